// The client side of the control socket: connect, send one request, read reply lines.
import { createConnection } from 'node:net';
import { encodeLine, type Reply, type Request } from '../protocol/protocol.js';

export class ConnectError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Default socket path (DESIGN.md): --socket, else UNITVISOR_SOCKET, else per-user or system runtime dir. */
export function defaultSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env['UNITVISOR_SOCKET']) return env['UNITVISOR_SOCKET'];
  if (process.getuid?.() === 0) return '/run/unitvisor/control.sock';
  const runtime = env['XDG_RUNTIME_DIR'] ?? `/tmp/unitvisor-${process.getuid?.() ?? 'user'}`;
  return `${runtime}/unitvisor/control.sock`;
}

function connectMessage(path: string, code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
      return `Failed to connect to unitvisor at ${path}: no daemon is running there (start one with 'unitvisor init' or 'unitvisor up').`;
    case 'EACCES':
    case 'EPERM':
      return `Failed to connect to unitvisor at ${path}: Permission denied (the control socket is only for the user the daemon runs as, and root).`;
    default:
      return `Failed to connect to unitvisor at ${path}: ${code ?? 'unknown error'}.`;
  }
}

/**
 * Sends `request` and calls `onReply` for each reply line until the daemon closes the connection.
 * Resolves when the connection ends; rejects with ConnectError when no daemon answers.
 */
export function sendRequest(path: string, request: Request, onReply: (reply: Reply) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let connected = false;
    // The chunks of the reply line being received: each is searched once, and joined once when the line ends
    // (a reply of many megabytes, `logs -n 2000` of a unit printing long lines, stays linear).
    let partial: Buffer[] = [];
    socket.on('connect', () => {
      connected = true;
      socket.write(encodeLine(request));
    });
    socket.on('data', (chunk: Buffer) => {
      let start = 0;
      let newline: number;
      while ((newline = chunk.indexOf(0x0a, start)) >= 0) {
        partial.push(chunk.subarray(start, newline));
        const line = Buffer.concat(partial).toString('utf8');
        partial = [];
        start = newline + 1;
        onReply(JSON.parse(line) as Reply);
      }
      if (start < chunk.length) partial.push(chunk.subarray(start));
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected) reject(new ConnectError(connectMessage(path, error.code), error.code ?? 'unknown'));
      else reject(error);
    });
    socket.on('close', () => resolve());
  });
}

/** One request, one reply. */
export async function call(path: string, request: Request): Promise<Reply> {
  let reply: Reply | undefined;
  await sendRequest(path, request, (r) => (reply ??= r));
  return reply ?? { ok: false, code: 'internal', message: 'The daemon closed the connection without a reply.' };
}
