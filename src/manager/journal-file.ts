// The optional on-disk journal (--journal-dir): JSON lines in a file that rotates at a size
// limit, keeping a bounded number of old files, so disk use stays bounded too. Lines are batched
// and written asynchronously once per loop turn, so a slow disk never stalls the supervisor. Past a
// high-water mark it holds services' output pipes back (their write() waits, no line is lost); the pipes
// of exited processes, read on past that mark, wait too once the most it holds is waiting. What still
// comes then (the supervisor's own messages) is dropped, and the drop recorded.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, write, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { OutputFlow } from '../process/output-flow.js';
import type { FileSink } from './journal.js';
import { jsonEachLine } from '../protocol/output-block.js';

export const JOURNAL_FILE = 'unitvisor-journal.jsonl';
/** Bytes waiting for the disk beyond which services' output waits; it reads on below a quarter of it. */
const HIGH_WATER_BYTES = 1024 * 1024;
/**
 * Bytes waiting for the disk at most: the supervisor's messages beyond it are dropped; a block of a service's
 * output is taken whole while no more than this waits, and past it every pipe waits (`limit`) until no more
 * than half of it does.
 */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

export interface RotatingFileOptions {
  /** A file's size limit. */
  readonly maxBytes?: number;
  /** Old files kept. */
  readonly keep?: number;
  /** Told how many bytes wait for the disk, so that services' pipes wait past its marks. */
  readonly flow?: OutputFlow;
}

export function rotatingFileSink(dir: string, options: RotatingFileOptions = {}): FileSink {
  const { maxBytes = 8 * 1024 * 1024, keep = 3 } = options;
  const level = options.flow?.level(HIGH_WATER_BYTES, MAX_PENDING_BYTES);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, JOURNAL_FILE);
  let fd = openSync(path, 'a');
  let size = existsSync(path) ? statSync(path).size : 0;
  // The lines waiting, from `first` on, with their sizes in bytes.
  let pending: string[] = [];
  let sizes: number[] = [];
  let first = 0;
  let pendingBytes = 0;
  let dropped = 0;
  let writing = false;
  let scheduled = false;
  let closing = false;
  let closed: () => void = () => undefined;
  const allWritten = new Promise<void>((resolve) => (closed = resolve));

  const rotate = () => {
    closeSync(fd);
    const oldest = `${path}.${keep}`;
    if (existsSync(oldest)) unlinkSync(oldest);
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    renameSync(path, `${path}.1`);
    fd = openSync(path, 'a');
    size = 0;
  };
  const push = (line: string, bytes = Buffer.byteLength(line)) => {
    pending.push(line);
    sizes.push(bytes);
    pendingBytes += bytes;
  };
  /** `lines` entries as one piece, or line by line where the file may rotate within them; `block` for a service's output. */
  const accept = (text: string, lines: number, block: boolean) => {
    if (closing) return;
    if (block ? pendingBytes > MAX_PENDING_BYTES : pendingBytes + text.length > MAX_PENDING_BYTES) {
      dropped += lines;
      return;
    }
    const bytes = Buffer.byteLength(text);
    if (lines === 1 || size + pendingBytes + bytes <= maxBytes) push(text, bytes);
    else for (const line of text.split(/(?<=\n)/)) push(line);
    level?.(pendingBytes);
    schedule();
  };
  /** What of the pending lines fits in the current file, as one buffer (rotating first when none does);
   *  the rest waits for the next write, so that no file outgrows the limit however much piled up. */
  const take = (): Buffer => {
    if (dropped > 0) {
      push(`${JSON.stringify({ kind: 'log', time: Date.now(), level: 'warning', msg: `Journal file: ${dropped} entries dropped while the disk was slow.` })}\n`);
      dropped = 0;
    }
    if (size > 0 && size + (sizes[first] ?? 0) > maxBytes) rotate();
    let end = first;
    let bytes = 0;
    // A line longer than the limit still goes, alone in its file.
    while (end < pending.length && (end === first || size + bytes + (sizes[end] as number) <= maxBytes)) bytes += sizes[end++] as number;
    const data = Buffer.from(end - first === pending.length ? pending.join('') : pending.slice(first, end).join(''));
    first = end;
    if (first === pending.length) {
      pending = [];
      sizes = [];
      first = 0;
    }
    pendingBytes -= bytes;
    size += data.length;
    return data;
  };
  const waiting = () => first < pending.length;
  const finish = () => {
    while (waiting() || dropped > 0) {
      const data = take();
      writeSync(fd, data);
    }
    closeSync(fd);
    closed();
  };
  const flush = () => {
    scheduled = false;
    if (writing || !waiting()) return;
    writing = true;
    // take() first: it may rotate, and the file it opens need not get the descriptor number the old one had.
    const data = take();
    write(fd, data, () => {
      // A failed write (disk full) loses that batch only; the journal in memory still has it.
      writing = false;
      if (closing) return finish();
      level?.(pendingBytes);
      if (waiting()) schedule();
    });
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  return {
    write: (entry) => accept(`${JSON.stringify(entry)}\n`, 1, false),
    // The same JSON as write()'s for each line, made for the whole block at once.
    writeOutput: ({ time, unit, pid, ident, stream, text, count }) =>
      accept(jsonEachLine(text, `{"kind":"output","time":${time},"unit":${JSON.stringify(unit)},"pid":${pid},"ident":${JSON.stringify(ident)},"stream":"${stream}","line":`, '}').join(''), count, true),
    close() {
      if (closing) return allWritten;
      closing = true;
      level?.(0);
      // A write still in flight owns the descriptor: the last lines follow it, then the file closes.
      if (!writing) finish();
      return allWritten;
    },
  };
}
