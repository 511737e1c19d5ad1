// The manager's $NOTIFY_SOCKET: one datagram socket for every service, delivering {pid, text} (sd_notify(3), systemd.service(5) NotifyAccess=).
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../common/result.js';
import type { Native } from './native.js';

/** One datagram as received; the sender's pid, uid and gid come from the kernel (SO_PASSCRED). */
export interface NotifyMessage {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
  /** The raw datagram, "KEY=VALUE" lines; parsing belongs to service/notify-message.ts. */
  readonly text: string;
}

export interface NotifySocket {
  /** The value for $NOTIFY_SOCKET ("@name" for an abstract socket). */
  readonly path: string;
  close(): void;
}

export interface NotifySocketError {
  readonly path: string;
  readonly message: string;
}

// sockaddr_un.sun_path is 108 bytes, NUL included.
const SUN_PATH_MAX = 107;

/** systemd's place for it, under the manager's runtime directory (/run/systemd/notify for the system manager). */
export function notifySocketPath(runtimeDir: string): string {
  return join(runtimeDir, 'notify');
}

/** Binds the socket (creating its directory) and calls `onMessage` once per datagram, from the event loop. */
export function openNotifySocket(
  path: string,
  onMessage: (message: NotifyMessage) => void,
  native: Pick<Native, 'listenNotify'>,
): Result<NotifySocket, NotifySocketError> {
  if (Buffer.byteLength(path) > SUN_PATH_MAX) {
    return err({ path, message: `Notify socket path is too long (${Buffer.byteLength(path)} > ${SUN_PATH_MAX} bytes): ${path}` });
  }
  try {
    if (!path.startsWith('@')) mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    const handle = native.listenNotify(path, (datagram) => {
      onMessage({ pid: datagram.pid, uid: datagram.uid, gid: datagram.gid, text: datagram.text });
    });
    return ok({ path: handle.path, close: () => handle.close() });
  } catch (error) {
    return err({ path, message: `Failed to bind notify socket ${path}: ${(error as Error).message}` });
  }
}
