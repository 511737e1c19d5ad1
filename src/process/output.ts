// Split a child's stdout/stderr into bounded lines, as journald's stdout streams do (systemd-journald.service(8), journald.conf(5) LineMax=).
import type { Readable } from 'node:stream';

/** journald's default LineMax= (48K): a longer line is split into records of at most this many bytes. */
export const LINE_MAX = 48 * 1024;

export type OutputStreamName = 'stdout' | 'stderr';

export interface OutputLine {
  readonly stream: OutputStreamName;
  readonly line: string;
}

export interface LineReader {
  /** Resolves when the stream has ended (or failed) and the last partial line was delivered. */
  readonly done: Promise<void>;
}

const NEWLINE = 0x0a;
const NUL = 0x00;

/**
 * Delivers every line of `stream` to `onLine`, without its terminator. Like journald, a line ends at
 * "\n" or NUL, a line longer than `maxBytes` is cut into `maxBytes` pieces, and a final line without
 * terminator is delivered at end of stream. At most `maxBytes` are held, whatever the child writes;
 * the stream is read as fast as it comes so that the child never blocks on a full pipe.
 */
export function readLines(stream: Readable, onLine: (line: string) => void, maxBytes: number = LINE_MAX): LineReader {
  const pending = Buffer.allocUnsafe(maxBytes);
  let pendingLength = 0;
  const flush = (): void => {
    onLine(pending.toString('utf8', 0, pendingLength));
    pendingLength = 0;
  };
  const consume = (chunk: Buffer): void => {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== NEWLINE && byte !== NUL) continue;
      append(chunk, start, i);
      flush();
      start = i + 1;
    }
    append(chunk, start, chunk.length);
  };
  const append = (chunk: Buffer, from: number, to: number): void => {
    let at = from;
    while (at < to) {
      // Cut only when more bytes follow, so a line of exactly maxBytes plus "\n" stays one record.
      if (pendingLength === maxBytes) flush();
      const take = Math.min(maxBytes - pendingLength, to - at);
      chunk.copy(pending, pendingLength, at, at + take);
      pendingLength += take;
      at += take;
    }
  };
  const done = new Promise<void>((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (pendingLength > 0) flush();
      resolve();
    };
    stream.on('data', (chunk: Buffer | string) => consume(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.once('end', finish);
    stream.once('close', finish);
    // A read error (EIO from a vanished pty, ...) ends the stream like EOF does.
    stream.once('error', finish);
  });
  return { done };
}
