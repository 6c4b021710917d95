import { describe, expect, it } from 'vitest';
import { diffRules } from '../../../connectors/x/stream-rules.js';

describe('filtered-stream rule diff', () => {
  it('adds only missing rules, deletes stale and duplicate Hark rules, never touches foreign ones', () => {
    const existing = [
      { id: '1', value: 'acme refund', tag: 'hark:a' },
      { id: '2', value: 'acme refund', tag: 'hark:a' }, // duplicate
      { id: '3', value: 'nimbus old', tag: 'hark:b' }, // query b changed
      { id: '4', value: 'anything', tag: 'growth-team' },
      { id: '5', value: 'gone', tag: 'hark:c' },
    ];
    const desired = [
      { value: 'acme refund', tag: 'hark:a' },
      { value: 'nimbus new', tag: 'hark:b' },
    ];
    expect(diffRules(existing, desired)).toEqual({ add: [{ value: 'nimbus new', tag: 'hark:b' }], deleteIds: ['2', '3', '5'] });
    expect(diffRules([{ id: '1', value: 'acme refund', tag: 'hark:a' }], [{ value: 'acme refund', tag: 'hark:a' }])).toEqual({ add: [], deleteIds: [] });
  });
});
