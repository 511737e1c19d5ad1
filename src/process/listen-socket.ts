// Opening and closing a socket unit's listening fds (systemd.socket(5); socket.c socket_open_fds(), socket_close_fds()).
import { chownSync, closeSync, mkdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { err, ok, type Result } from '../common/result.js';
import type { ListenSpec, SocketSection } from '../unit/model.js';
import { formatListenAddress } from '../unit/values/listen-address.js';
import { loadNative } from './native.js';

/** One open Listen*= entry. */
export interface OpenListener {
  readonly spec: ListenSpec;
  readonly fd: number;
}

export interface ListenFailure {
  /** systemd's log line: "Failed to create listening socket (ADDR): REASON". */
  readonly message: string;
  /** strerror() text, for "Failed to listen on sockets: REASON". */
  readonly reason: string;
}

const FLAG_REUSE_PORT = 1;
const FLAG_NO_DELAY = 2;
const FLAG_KEEP_ALIVE = 4;

const V6ONLY = { default: -1, both: 0, 'ipv6-only': 1 } as const;

/** The strerror() part of a system error's message ("bind 127.0.0.1: Address already in use"). */
function reasonOf(error: unknown): string {
  const message = String((error as Error).message);
  return message.slice(message.lastIndexOf(': ') + 2);
}

/** mkdir_parents_label(path, DirectoryMode=): missing parents only, existing ones keep their mode. */
function makeParents(path: string, mode: number): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode });
  } catch {
    // bind() reports the real problem.
  }
}

function openOne(spec: ListenSpec, cfg: SocketSection): number {
  const native = loadNative();
  const a = spec.address;
  if (a.family === 'fifo') {
    makeParents(a.path, cfg.directoryMode);
    return native.openFifo(a.path, cfg.socketMode);
  }
  if (a.family === 'unix' && a.path.startsWith('/')) makeParents(a.path, cfg.directoryMode);
  const flags = (cfg.reusePort ? FLAG_REUSE_PORT : 0) | (cfg.noDelay ? FLAG_NO_DELAY : 0) | (cfg.keepAlive ? FLAG_KEEP_ALIVE : 0);
  const where = a.family === 'unix' ? a.path : a.host;
  const port = a.family === 'unix' ? 0 : a.port;
  return native.openListenSocket(spec.type, a.family, where, port, Math.min(cfg.backlog, 2147483647), flags, V6ONLY[cfg.bindIPv6Only], cfg.socketMode);
}

/** SocketUser=/SocketGroup= on the socket files and FIFOs (socket_enter_start_chown()). */
function chownPath(path: string, cfg: SocketSection): string | undefined {
  if (cfg.socketUser === undefined && cfg.socketGroup === undefined) return undefined;
  const native = loadNative();
  const user = cfg.socketUser === undefined ? undefined : native.getpwnam(cfg.socketUser);
  const group = cfg.socketGroup === undefined ? undefined : native.getgrnam(cfg.socketGroup);
  if (user === null) return `Failed to resolve user ${cfg.socketUser}: No such process`;
  if (group === null) return `Failed to resolve group ${cfg.socketGroup}: No such process`;
  try {
    chownSync(path, user?.uid ?? -1, group?.gid ?? user?.gid ?? -1);
  } catch (error) {
    return `Failed to chown socket ${path}: ${reasonOf(error)}`;
  }
  return undefined;
}

const pathOf = (spec: ListenSpec): string | undefined =>
  spec.address.family === 'fifo' || (spec.address.family === 'unix' && spec.address.path.startsWith('/')) ? spec.address.path : undefined;

/** Opens every Listen*= entry in order; on the first failure closes what it opened. */
export function openListeners(cfg: SocketSection): Result<OpenListener[], ListenFailure> {
  const opened: OpenListener[] = [];
  for (const spec of cfg.listen) {
    try {
      opened.push({ spec, fd: openOne(spec, cfg) });
    } catch (error) {
      closeListeners(opened, cfg);
      const reason = reasonOf(error);
      return err({ message: `Failed to create listening socket (${formatListenAddress(spec.address)}): ${reason}`, reason });
    }
    const path = pathOf(spec);
    const chownFailure = path === undefined ? undefined : chownPath(path, cfg);
    if (chownFailure !== undefined) {
      closeListeners(opened, cfg);
      return err({ message: chownFailure, reason: chownFailure.replace(/^.*: /, '') });
    }
  }
  return ok(opened);
}

/** Closes the fds; RemoveOnStop= also removes the socket files and FIFOs. */
export function closeListeners(listeners: readonly OpenListener[], cfg: SocketSection): void {
  for (const { spec, fd } of listeners) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    const path = pathOf(spec);
    if (cfg.removeOnStop && path !== undefined) {
      try {
        unlinkSync(path);
      } catch {
        // gone already
      }
    }
  }
}

/** Closes a file descriptor the manager holds (an accepted connection handed to a service). */
export function closeFd(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
