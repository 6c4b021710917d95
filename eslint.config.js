// Lint enforces the house (see ../shared/ARCHITECTURE.md, "The house"):
// every arrow points down toward shared/, and nothing imports server/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const serverOnly = { group: ['**/server/**', '../server/*', '../../server/*'], message: 'Only server entry points import server/.' };
const routeStore = 'Routes do not touch the store: call an operation in server/operations/ and pass it deps.';
const settingsStore = 'Settings are read and written through server/settings/registry.ts (readSetting/writeSetting), which checks each document against its schema.';
const rawSettings = { selector: "MemberExpression[object.property.name='settings'][property.name=/^(get|set|keys)$/]", message: settingsStore };
const drivers = ['express', 'socket.io', 'better-sqlite3', 'mongoose', 'mongodb', 'bullmq', 'ioredis'].map((name) => ({
  name,
  message: 'Stages and connectors take their dependencies as arguments; drivers live in server/.',
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'client/dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests poke at JSON bodies; typing each one would add noise, not safety.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', '!./*'], message: 'shared/ imports nothing of ours outside shared/.' }],
        paths: [...drivers, { name: 'node:fs', message: 'shared/ is isomorphic.' }],
      }],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/server/**', '**/workers/**', '**/connectors/**', '**/tests/**'], message: 'The client imports shared/ only.' },
        ],
        paths: drivers,
      }],
    },
  },
  {
    files: ['workers/**/*.ts', 'connectors/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [serverOnly, { group: ['**/client/**', '**/tests/**'], message: 'Stages and connectors import shared/ only.' }],
        paths: drivers,
      }],
    },
  },
  {
    files: ['workers/**/*.ts'],
    ignores: ['workers/nlp/lexicons.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [serverOnly, { group: ['**/client/**', '**/tests/**', '**/connectors/**'], message: 'Stages import shared/ only.' }],
        paths: [...drivers, { name: 'natural', message: 'natural runs dotenv on import: only workers/nlp/lexicons.ts may read it.' }],
      }],
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/store/**', 'server/settings/**'],
    rules: { 'no-restricted-syntax': ['error', rawSettings] },
  },
  {
    // Thin edges: a route parses, calls one operation (server/operations/*) and answers; it never reaches the store itself.
    files: ['server/http/routes/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[property.name='store']", message: routeStore },
        { selector: "MemberExpression[computed=true][property.value='store']", message: routeStore },
        { selector: "ObjectPattern > Property[key.name='store']", message: routeStore },
        rawSettings,
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/main.ts', 'server/cli.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/client/**', '**/tests/**'], message: 'server/ does not import client/ or tests/.' }],
      }],
    },
  },
);
