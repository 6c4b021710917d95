import fc from 'fast-check';

/**
 * Hostile values shared by the fuzz suites: what an attacker or a broken
 * client sends. Strings are well-formed UTF-16 where they go into a URL
 * (encodeURIComponent refuses lone surrogates, and bad percent-encoding of
 * :id is excluded for now: it is another helper's item), and free elsewhere.
 */
const nasty = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\u001b[2J',
  '\u202Egnp.exe',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '👩‍👩‍👧',
  'تأخرت الرحلة',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  "' OR 1=1 --",
  '"; DROP TABLE mentions; --',
  '"NEAR(',
  '*',
  'a AND OR NOT b',
  '((((((((((',
  '))))))',
  '%',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '=HYPERLINK("x")',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1',
  '999999999999999999999',
  '1e309',
  '9999-12-31',
  '-271821-04-20T00:00:00Z',
  '2026-02-30T25:61:61Z',
  'x'.repeat(300),
  'y'.repeat(70_000),
  'none',
  'queue',
  'mention:1',
  'case:1',
  'HK-1001',
);

export const hostileString = fc.oneof(
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.tuple(nasty, fc.string({ maxLength: 8 }), nasty).map(([a, b, c]) => a + b + c) },
);

/** Strings safe to put through encodeURIComponent (no lone surrogates). */
export const urlString = fc.oneof(
  { weight: 3, arbitrary: nasty.filter((s) => !/[\uD800-\uDFFF]/.test(s) || /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(s)) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => s.replace(/[\uD800-\uDFFF]/g, '')) },
);

const number = fc.oneof(fc.integer(), fc.constantFrom(0, 1, -1, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, 1e308, -0, 0.1), fc.double({ noNaN: true, noDefaultInfinity: true }));

/** Field names Hark's bodies use, so generated objects reach past the first `strict()` check now and then. */
export const FIELDS = [
  'version', 'text', 'idempotencyKey', 'cannedResponseId', 'assignee', 'team', 'reason', 'until', 'add', 'remove', 'ids', 'action', 'tags',
  'title', 'priority', 'status', 'mentionIds', 'attachTo', 'note', 'externalRef', 'name', 'identities', 'notes', 'addIdentities', 'removeIdentities',
  'otherId', 'confirmName', 'mentionDays', 'email', 'password', 'role', 'teams', 'capacity', 'needsApproval', 'query', 'queries', 'policy', 'rules',
  'webhooks', 'settings', 'credentials', 'sentiment', 'intent', 'body', 'shortcut', 'platform', 'handle', '__proto__', 'constructor',
] as const;

const leaf = fc.oneof(hostileString, number, fc.boolean(), fc.constant(null));

/** Plausible-looking values for a known field: hostile, but of the right kind often enough to go deep. */
const plausible = fc.oneof(
  leaf,
  fc.constantFrom(1, 2, 'agent', 'manager', 'admin', 'closed', 'low', 'urgent', 'dismiss', 'snooze', 'assign', 'tag', 'negative', 'praise', 'x', 'reddit', 'acme'),
  fc.constant(new Date(Date.now() + 3_600_000).toISOString()),
  fc.array(leaf, { maxLength: 4 }),
  fc.array(fc.record({ platform: fc.constantFrom('x', 'reddit', 'X!'), handle: hostileString }, { requiredKeys: [] }), { maxLength: 3 }),
  fc.array(fc.record({ id: hostileString, brand: hostileString, query: hostileString, networks: fc.array(hostileString, { maxLength: 2 }), enabled: fc.boolean() }, { requiredKeys: [] }), { maxLength: 2 }),
);

export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A body: an object of known fields (sometimes with junk), any JSON value, or deep nesting. */
export const hostileBody: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), plausible, { maxKeys: 6 }) },
  { weight: 2, arbitrary: fc.tuple(fc.dictionary(fc.constantFrom(...FIELDS), plausible, { maxKeys: 4 }), fc.dictionary(hostileString, hostileJson, { maxKeys: 2 })).map(([a, b]) => ({ ...b, ...a })) },
  { weight: 2, arbitrary: hostileJson },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3000 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown) },
);

/** A raw body that is not what its content type says. */
export const rawBody = fc.oneof(
  fc.constantFrom('{', '{"version":', '[1,2', 'null', '"str"', '{"__proto__":{"admin":true}}', '\u0000\u0001', 'id,text\n1,hi\n', '{"a":1}{"b":2}', '\uFEFF{}', '{"version":1e999}'),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

export const CONTENT_TYPES = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=nope',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'text/csv',
  'application/x-ndjson',
  '*/*',
  'garbage',
  'application/json;;;',
);

/** Header values fetch accepts (printable ASCII): anything else fails in the client, not the server. */
export const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constantFrom('', '127.0.0.1', '1.2.3.4, 5.6.7.8', 'bytes=0-', '*', 'a'.repeat(4000)),
);
export const HEADER_NAMES = fc.constantFrom('x-forwarded-for', 'accept', 'accept-language', 'range', 'if-none-match', 'x-requested-with', 'accept-charset', 'x-hark-anything', 'user-agent');
