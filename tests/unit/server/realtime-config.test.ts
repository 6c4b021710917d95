import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../server/config.js';

describe('realtime config', () => {
  it('bounds the replay log in bytes (and entries), socket messages in KB, bursts in mentions per second', () => {
    expect(loadConfig({}).realtime).toEqual({ batchMs: 150, replayMaxBytes: 16 * 1048576, replayMaxEntries: 20_000, maxMessageBytes: 256 * 1024, burstRate: 2000 });
    const c = loadConfig({ REALTIME_REPLAY_MB: '2', REALTIME_REPLAY_BATCHES: '500', REALTIME_MAX_MESSAGE_KB: '64', REALTIME_BURST_RATE: '50' });
    expect(c.realtime).toMatchObject({ replayMaxBytes: 2 * 1048576, replayMaxEntries: 500, maxMessageBytes: 65_536, burstRate: 50 });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ REALTIME_MAX_MESSAGE_KB: '4' })).toThrow(/REALTIME_MAX_MESSAGE_KB/);
    expect(() => loadConfig({ REALTIME_REPLAY_MB: 'lots' })).toThrow(/REALTIME_REPLAY_MB/);
    // A log that cannot hold a few messages could never replay anything.
    expect(() => loadConfig({ REALTIME_REPLAY_MB: '1', REALTIME_MAX_MESSAGE_KB: '512' })).toThrow(/REALTIME_REPLAY_MB must hold/);
  });
});
