// Split a child's stdout/stderr into bounded lines, as journald's stdout streams do (systemd-journald.service(8), journald.conf(5) LineMax=).
import { blockLines, ByteLines, textLines, type Lines } from '../protocol/output-block.js';
import { loadNative } from './native.js';
import type { OutputFlow, PausableStream } from './output-flow.js';

/** journald's default LineMax= (48K): a longer line is split into records of at most this many bytes. */
export const LINE_MAX = 48 * 1024;

export type OutputStreamName = 'stdout' | 'stderr';

/** What is read as lines: a child's pipe (a PipeReader) or any Readable. */
export interface ByteStream extends PausableStream {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'close' | 'error', listener: () => void): unknown;
}

export interface LineReader {
  /** Resolves when the stream has ended (or failed) and the last partial line was delivered. */
  readonly done: Promise<void>;
}

/**
 * Lines that must be decoded (a NUL, an over-long line) go on in blocks of about this many bytes: the
 * strings made of a block (its text, its log lines) then stay below V8's large-object size, whose
 * allocations cost many times more.
 */
const BLOCK_BYTES = 16 * 1024;
const NEWLINE = 0x0a;
const NUL = 0x00;

/** Every line of `stream` to `onLine`, without its terminator (see readBlocks). */
export function readLines(stream: ByteStream, onLine: (line: string) => void, maxBytes: number = LINE_MAX, flow?: OutputFlow): LineReader {
  return readBlocks(stream, (lines) => blockLines(lines.text).forEach((line) => onLine(line)), maxBytes, flow);
}

/**
 * Delivers the lines of `stream` to `onLines`, each chunk's whole lines at once: `text` holds each line
 * followed by "\n", `count` says how many; with `bytes` set they may be in the stream's read buffer:
 * they are valid during the call only. Like journald, a line ends at "\n" or NUL, a line longer than
 * `maxBytes` is cut into `maxBytes` pieces, and a final line without terminator is delivered at end of
 * stream. A NUL that ends nothing (binary zeros, "\0\0\0") makes no record, so that a stream of zeros costs
 * no more than a stream of text. At most `maxBytes` of an unfinished line are held, whatever the child
 * writes. A chunk without NUL and without an over-long line (most output) is decoded in one go; the
 * others line by line, searched with Buffer.indexOf, never byte by byte. With a `flow`, reading waits while
 * a sink is full (the child then blocks on its full pipe); without, chunks are read as fast as they come.
 */
export function readBlocks(stream: ByteStream, onLines: (lines: Lines) => void, maxBytes: number = LINE_MAX, flow?: OutputFlow): LineReader {
  // The unfinished line's bytes (a copy: a slice would keep the whole chunk alive), at most maxBytes.
  let carry: Buffer | undefined;
  const hand = ({ lines, rest }: SplitChunk): number => {
    if (lines.count > 0) onLines(lines);
    return rest;
  };
  const deliver = (data: Buffer): number => hand(splitChunk(data, maxBytes));
  const consume = (chunk: Buffer): void => {
    let data = chunk;
    if (carry) {
      // The unfinished line ends in this chunk: it goes alone, so that the rest is not copied.
      const end = chunk.indexOf(NEWLINE);
      if (end === -1) data = Buffer.concat([carry, chunk]);
      else {
        deliver(Buffer.concat([carry, chunk.subarray(0, end + 1)]));
        data = chunk.subarray(end + 1);
      }
      carry = undefined;
    }
    // Plain lines are one block, however many (their bytes are framed natively, never decoded); other
    // lines go in blocks of whole lines of at most BLOCK_BYTES, while there are such.
    const plain = plainSplit(data, maxBytes);
    let from = 0;
    if (plain !== undefined) from = hand(plain);
    else {
      while (data.length - from > BLOCK_BYTES) {
        const end = data.lastIndexOf(NEWLINE, from + BLOCK_BYTES - 1);
        if (end < from) break;
        from += deliver(data.subarray(from, end + 1));
      }
      from += deliver(from === 0 ? data : data.subarray(from));
    }
    if (from < data.length) carry = Buffer.from(data.subarray(from));
  };
  const done = new Promise<void>((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (carry) onLines(finalLines(carry, maxBytes));
      carry = undefined;
      resolve();
    };
    stream.on('data', (chunk: Buffer | string) => {
      consume(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      flow?.chunkRead(stream);
    });
    // `on`, not `once`: finish() runs once by itself, and a once() wrapper costs each service's pipes six
    // objects for as long as they are open.
    stream.on('end', finish);
    stream.on('close', finish);
    // A read error (EIO from a vanished pty, ...) ends the stream like EOF does.
    stream.on('error', finish);
  });
  flow?.attach(stream, done);
  // A PipeReader reads once resumed; a Readable flows from its 'data' listener on.
  stream.resume();
  return { done };
}

interface SplitChunk {
  readonly lines: Lines;
  readonly rest: number;
}

/** The whole lines at the start of `data`, and where the unfinished rest begins. */
export function splitChunk(data: Buffer, maxBytes: number): SplitChunk {
  const plain = plainSplit(data, maxBytes);
  if (plain !== undefined) return plain;
  let text = '';
  let count = 0;
  const emit = (from: number, to: number): void => {
    const cut = records(data, from, to, maxBytes);
    text += cut.text;
    count += cut.count;
  };
  let start = 0;
  let nul = data.indexOf(NUL);
  let newline = data.indexOf(NEWLINE);
  while (start < data.length) {
    if (nul !== -1 && nul < start) nul = data.indexOf(NUL, start);
    if (newline !== -1 && newline < start) newline = data.indexOf(NEWLINE, start);
    const end = nul === -1 ? newline : newline === -1 ? nul : Math.min(nul, newline);
    if (end === -1) break;
    if (end === start) {
      if (end !== nul) {
        text += '\n';
        count++;
      }
    } else emit(start, end);
    start = end + 1;
  }
  // Cut only when more bytes follow, so a line of exactly maxBytes plus "\n" stays one record.
  const whole = Math.max(0, Math.ceil((data.length - start) / maxBytes) - 1) * maxBytes;
  emit(start, start + whole);
  return { lines: textLines(text, count), rest: start + whole };
}

/** The unfinished line at the end of a stream, cut into records of at most `maxBytes`. */
function finalLines(data: Buffer, maxBytes: number): Lines {
  const { text, count } = records(data, 0, data.length, maxBytes);
  return textLines(text, count);
}

/** data[from, to) as records of at most `maxBytes`, each followed by "\n". */
function records(data: Buffer, from: number, to: number, maxBytes: number): { text: string; count: number } {
  let text = '';
  let count = 0;
  for (let at = from; at < to; at += maxBytes, count++) text += `${data.toString('utf8', at, Math.min(to, at + maxBytes))}\n`;
  return { text, count };
}

/**
 * splitChunk() of data whose lines are what they are as bytes: the bytes up to its last "\n", as they are;
 * undefined when a NUL ends a line, a line is longer than `maxBytes`, or the unfinished rest after them
 * could not be carried within the limit. Their count and the search for a NUL are one native pass.
 */
function plainSplit(data: Buffer, maxBytes: number): SplitChunk | undefined {
  const last = data.lastIndexOf(NEWLINE);
  if (data.length - last - 1 > maxBytes || !linesFit(data, last, maxBytes)) return undefined;
  const bytes = data.subarray(0, last + 1);
  const count = loadNative().countLines(bytes);
  return count < 0 || data.includes(NUL, last + 1) ? undefined : { lines: new ByteLines(bytes, count), rest: last + 1 };
}

/** Whether every line of data[0, last] (each ended by "\n") is at most `maxBytes` long: a jump per maxBytes, not a search per line. */
function linesFit(data: Buffer, last: number, maxBytes: number): boolean {
  for (let at = 0; at + maxBytes < last; ) {
    const end = data.lastIndexOf(NEWLINE, at + maxBytes);
    if (end < at) return false;
    at = end + 1;
  }
  return true;
}
