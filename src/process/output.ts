// Split a child's stdout/stderr into bounded lines, as journald's stdout streams do (systemd-journald.service(8), journald.conf(5) LineMax=).
import type { Readable } from 'node:stream';
import type { OutputFlow } from './output-flow.js';

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
 * terminator is delivered at end of stream. A NUL that ends nothing (binary zeros, "\0\0\0") makes no
 * record, so that a stream of zeros costs no more than a stream of text. At most `maxBytes` of an
 * unfinished line are held, whatever the child writes; chunks are searched with Buffer.indexOf, never
 * byte by byte. With a `flow`, reading waits while a sink is full (the child then blocks on its full pipe);
 * without, chunks are read as fast as they come.
 */
export function readLines(stream: Readable, onLine: (line: string) => void, maxBytes: number = LINE_MAX, flow?: OutputFlow): LineReader {
  // The unfinished line's bytes (a copy: a slice would keep the whole chunk alive), at most maxBytes.
  let carry: Buffer | undefined;
  const emit = (data: Buffer, from: number, to: number): void => {
    for (let at = from; at < to; at += maxBytes) onLine(data.toString('utf8', at, Math.min(to, at + maxBytes)));
  };
  const consume = (chunk: Buffer): void => {
    const data = carry ? Buffer.concat([carry, chunk]) : chunk;
    carry = undefined;
    let start = 0;
    let nul = data.indexOf(NUL);
    let newline = data.indexOf(NEWLINE);
    while (start < data.length) {
      if (nul !== -1 && nul < start) nul = data.indexOf(NUL, start);
      if (newline !== -1 && newline < start) newline = data.indexOf(NEWLINE, start);
      const end = nul === -1 ? newline : newline === -1 ? nul : Math.min(nul, newline);
      if (end === -1) break;
      if (end === start) {
        if (end !== nul) onLine('');
      } else emit(data, start, end);
      start = end + 1;
    }
    // Cut only when more bytes follow, so a line of exactly maxBytes plus "\n" stays one record.
    const whole = Math.max(0, Math.ceil((data.length - start) / maxBytes) - 1) * maxBytes;
    emit(data, start, start + whole);
    start += whole;
    if (start < data.length) carry = Buffer.from(data.subarray(start));
  };
  const done = new Promise<void>((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (carry) emit(carry, 0, carry.length);
      carry = undefined;
      resolve();
    };
    stream.on('data', (chunk: Buffer | string) => {
      consume(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      flow?.chunkRead(stream);
    });
    stream.once('end', finish);
    stream.once('close', finish);
    // A read error (EIO from a vanished pty, ...) ends the stream like EOF does.
    stream.once('error', finish);
  });
  flow?.attach(stream, done);
  return { done };
}
