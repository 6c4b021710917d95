import WebSocket from 'ws';

export interface WsSessionOptions {
  headers?: Record<string, string>;
  connectTimeoutMs: number;
  /** Silence (no message, no pong) longer than this closes the connection as dead; pings go out at a third of it. */
  idleTimeoutMs: number;
  /** Largest message accepted; a bigger one closes the connection. */
  maxPayload?: number;
}

/**
 * One WebSocket connection as a queue of text messages and a reason it ended.
 * Messages pile up while the reader is busy (a backfill, a slow sink) and are
 * handed over in batches; the connection is closed on abort, on silence and
 * when the reader disposes it.
 */
export async function openWsSession(url: string, opts: WsSessionOptions, signal: AbortSignal) {
  // An abort that came before this call would never fire its listener: the session would outlive its connector.
  if (signal.aborted) throw new Error('stopped');
  const ws = new WebSocket(url, { headers: opts.headers, handshakeTimeout: opts.connectTimeoutMs, maxPayload: opts.maxPayload ?? 16 * 1024 * 1024 });
  const inbox: string[] = [];
  let closed: string | null = null;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  const close = (reason: string) => {
    closed ??= reason;
    clearInterval(pinger);
    clearTimeout(idle);
    poke();
  };
  let idle: NodeJS.Timeout | undefined;
  const alive = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      close(`no data from the server for ${opts.idleTimeoutMs} ms`);
      ws.terminate();
    }, opts.idleTimeoutMs);
  };
  const pinger = setInterval(() => {
    if (ws.readyState === WebSocket.OPEN) ws.ping();
  }, Math.max(50, Math.floor(opts.idleTimeoutMs / 3)));
  pinger.unref();
  const onAbort = () => {
    close('stopped');
    ws.terminate();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
    alive();
    if (!isBinary) inbox.push(data.toString('utf8'));
    poke();
  });
  ws.on('pong', alive);
  ws.on('close', (code: number, reason: Buffer) => close(`connection closed (${code}${reason.length ? `: ${reason.toString()}` : ''})`));
  ws.on('error', (e: Error) => close(`connection error: ${e.message}`));
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => reject(Object.assign(new Error(`the server refused the connection (HTTP ${status})${body ? `: ${body.slice(0, 200)}` : ''}`), { status, headers: res.headers })));
        res.on('error', () => reject(Object.assign(new Error(`the server refused the connection (HTTP ${status})`), { status, headers: res.headers })));
      });
      ws.once('error', reject);
      ws.once('close', () => reject(new Error(closed ?? 'connection closed before it opened')));
    });
  } catch (e) {
    signal.removeEventListener('abort', onAbort);
    close('failed');
    ws.terminate();
    throw e;
  }
  if (signal.aborted) {
    close('stopped');
    ws.terminate();
    throw new Error('stopped');
  }
  alive();
  return {
    send: (text: string) => ws.send(text),
    async *batches(): AsyncGenerator<string[]> {
      for (;;) {
        if (inbox.length) yield inbox.splice(0);
        else if (closed !== null) return;
        else await new Promise<void>((r) => (wake = r));
      }
    },
    reason: () => closed ?? 'closed',
    dispose() {
      signal.removeEventListener('abort', onAbort);
      close('closed by Hark');
      ws.terminate();
    },
  };
}
export type WsSession = Awaited<ReturnType<typeof openWsSession>>;

/** The HTTP status of a refused WebSocket handshake, if that is what failed. */
export const handshakeStatus = (e: unknown): { status: number; headers: Record<string, string | string[] | undefined> } | null =>
  typeof e === 'object' && e !== null && typeof (e as { status?: unknown }).status === 'number' ? (e as { status: number; headers: Record<string, string | string[] | undefined> }) : null;
