import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';

describe('IMPORT_MAX_LINE_BYTES', () => {
  it('defaults to 1 MiB and takes a number of bytes', () => {
    expect(loadConfig({}).importMaxLineBytes).toBe(1_048_576);
    expect(loadConfig({ IMPORT_MAX_LINE_BYTES: '65536' }).importMaxLineBytes).toBe(65_536);
  });
  it('refuses what is not a sensible size, naming the variable', () => {
    for (const bad of ['ten', '12', '1.5', String(2 ** 30)]) expect(() => loadConfig({ IMPORT_MAX_LINE_BYTES: bad }), bad).toThrow(/IMPORT_MAX_LINE_BYTES/);
  });
});
