// Reading a file a unit names (EnvironmentFile=, PIDFile=) from the supervisor without ever blocking or
// ballooning it: opened non-blocking (a FIFO without writer, a device), read up to a byte limit, as
// systemd's read_full_file() stops at READ_FULL_BYTES_MAX with E2BIG.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** systemd's READ_FULL_BYTES_MAX: 4 MiB - 1. */
export const READ_FULL_BYTES_MAX = 4 * 1024 * 1024 - 1;

export interface BoundedFile {
  readonly text: string;
  readonly ownerUid: number;
}

/** An errno-style failure: `code` as Node names it, `message` as strerror() words it. */
export class ReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  E2BIG: 'Argument list too long',
  EAGAIN: 'Resource temporarily unavailable',
  ENXIO: 'No such device or address',
};

/** strerror() of a Node fs error. */
export function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return (code !== undefined ? STRERROR[code] : undefined) ?? (error as Error).message;
}

/**
 * Reads at most `maxBytes` of `path` without blocking: a FIFO nobody writes to reads as empty, one whose
 * writer is silent fails with EAGAIN, and anything longer than `maxBytes` (/dev/zero) fails with E2BIG.
 * Throws ReadError.
 */
export function readBoundedSync(path: string, maxBytes: number = READ_FULL_BYTES_MAX): BoundedFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw new ReadError((error as NodeJS.ErrnoException).code ?? 'EIO', describeErrno(error));
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new ReadError('EISDIR', STRERROR['EISDIR'] as string);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (error) {
        throw new ReadError((error as NodeJS.ErrnoException).code ?? 'EIO', describeErrno(error));
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new ReadError('E2BIG', STRERROR['E2BIG'] as string);
    }
    return { text: Buffer.concat(chunks, total).toString('utf8'), ownerUid: stat.uid };
  } finally {
    closeSync(fd);
  }
}
