import type { Socket } from 'socket.io-client';

/**
 * Counts what one socket.io client receives on the wire: every engine.io
 * message (one socket.io packet: an event, its ack or a handshake) with its
 * size in bytes. Attach before connecting (make the socket with autoConnect: false).
 */
export function meter(socket: Socket) {
  const m = { bytes: 0, messages: 0, largest: 0, events: new Map<string, number>() };
  socket.io.on('open', () => {
    socket.io.engine.on('data', (d: unknown) => {
      const n = typeof d === 'string' ? Buffer.byteLength(d) : Buffer.isBuffer(d) ? d.length : 0;
      m.bytes += n;
      m.messages++;
      m.largest = Math.max(m.largest, n);
      const name = typeof d === 'string' ? /^\d+\["([^"]+)"/.exec(d)?.[1] : undefined;
      if (name) m.events.set(name, (m.events.get(name) ?? 0) + 1);
    });
  });
  return m;
}
