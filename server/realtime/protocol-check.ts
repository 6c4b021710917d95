import type { Socket } from 'socket.io';
import { HandshakeSchema, PROTOCOL_MISMATCH, PROTOCOL_VERSION, type ProtocolMismatch } from '../../shared/events.js';

/**
 * Socket middleware: a client built for another protocol (an open tab from
 * before an upgrade) is refused before it joins anything, with
 * `connect_error` PROTOCOL_MISMATCH whose data tells the UI to reload. A
 * client that sends no version predates the check, so it is another protocol.
 */
export function checkProtocol(socket: Pick<Socket, 'handshake'>, next: (err?: Error) => void) {
  const parsed = HandshakeSchema.safeParse(socket.handshake.auth);
  const client = parsed.success ? parsed.data.protocol : null;
  if (client === PROTOCOL_VERSION) return next();
  const err = new Error(PROTOCOL_MISMATCH) as Error & { data: ProtocolMismatch };
  err.data = { server: PROTOCOL_VERSION, client, action: 'reload' };
  next(err);
}
