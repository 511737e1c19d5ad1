// The daemon's control socket: a unix stream server (mode 0600: only its owner and root may
// connect), one JSON request line per connection, one or more JSON reply lines.
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { encodeLine, MAX_REQUEST_BYTES, parseRequest, type Reply, type Request } from '../protocol/protocol.js';

export interface Responder {
  /** Sends one reply line. */
  send(reply: Reply): void;
  /** Closes the connection after the replies sent so far. */
  end(): void;
  /** Called once when the client goes away (also after end()). */
  onClose(fn: () => void): void;
}

export type RequestHandler = (request: Request, responder: Responder) => void;

export interface ControlSocket {
  readonly path: string;
  close(): Promise<void>;
}

/** Whether something answers on `path` (a live daemon), as opposed to a stale socket file. */
function isLive(path: string): Promise<boolean> {
  // No file, no daemon: a failed connection would also make Node create process.stderr's stream.
  if (!existsSync(path)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** How long a client may take to send its request line; a half-sent request holds a connection no longer. */
export const REQUEST_TIMEOUT_MS = 5_000;

/**
 * What a client may leave unread (`logs -f` into a stopped pager while a service floods) before it is told
 * so and let go: a follower is never buffered without bound, and never holds the services back.
 */
export const MAX_UNREAD_BYTES = 8 * 1024 * 1024;

function serve(socket: Socket, handle: RequestHandler, onBug: (error: unknown) => void): void {
  let buffered = '';
  let handled = false;
  socket.setTimeout(REQUEST_TIMEOUT_MS, () => {
    if (handled) return;
    handled = true;
    responder.send({ ok: false, code: 'bad-request', message: 'Request timed out.' });
    socket.destroySoon();
  });
  const closeHandlers: (() => void)[] = [];
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('close', () => closeHandlers.splice(0).forEach((fn) => fn()));
  const responder: Responder = {
    send: (reply) => {
      if (socket.destroyed || !socket.writable) return;
      if (socket.writableLength <= MAX_UNREAD_BYTES) return void socket.write(encodeLine(reply));
      const mib = Math.round(socket.writableLength / 1024 / 1024);
      socket.end(encodeLine({ ok: false, code: 'refused', message: `The client fell ${mib} MiB behind; the daemon stopped sending.` }));
    },
    end: () => {
      socket.end();
    },
    onClose: (fn) => (socket.destroyed ? fn() : closeHandlers.push(fn)),
  };
  socket.on('data', (chunk: string) => {
    if (handled) return;
    buffered += chunk;
    const newline = buffered.indexOf('\n');
    if (newline < 0) {
      if (buffered.length > MAX_REQUEST_BYTES) {
        handled = true;
        socket.setTimeout(0);
        responder.send({ ok: false, code: 'bad-request', message: 'Request too long.' });
        responder.end();
      }
      return;
    }
    handled = true;
    // Answers may stream for as long as the client listens (logs -f).
    socket.setTimeout(0);
    const parsed = parseRequest(buffered.slice(0, newline));
    if (!parsed.ok) {
      responder.send({ ok: false, code: 'bad-request', message: parsed.message });
      responder.end();
      return;
    }
    try {
      handle(parsed.request, responder);
    } catch (error) {
      onBug(error);
      responder.send({ ok: false, code: 'internal', message: `Internal error: ${String(error)}` });
      responder.end();
    }
  });
}

/** Listens on `path`, replacing a stale socket file but refusing to steal a live daemon's. */
export async function listenControlSocket(
  path: string,
  handle: RequestHandler,
  onBug: (error: unknown) => void,
): Promise<ControlSocket> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  if (await isLive(path)) throw new Error(`Another unitvisor is already listening on ${path}.`);
  try {
    unlinkSync(path);
  } catch {
    // no stale file
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, handle, onBug);
  });
  server.on('error', onBug);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // umask-independent: tighten right after bind, before anyone learns the path.
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
          resolve();
        });
      }),
  };
}
