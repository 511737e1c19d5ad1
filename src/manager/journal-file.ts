// The optional on-disk journal (--journal-dir): JSON lines in a file that rotates at a size
// limit, keeping a bounded number of old files, so disk use stays bounded too. Lines are batched
// and written asynchronously once per loop turn, so a slow disk never stalls the supervisor; what
// waits for the disk is bounded in bytes (beyond it lines are dropped and the drop is recorded).
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, write, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { FileSink } from './journal.js';

export const JOURNAL_FILE = 'unitvisor-journal.jsonl';
/** Bytes waiting for the disk at most. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

export function rotatingFileSink(dir: string, maxBytes = 8 * 1024 * 1024, keep = 3): FileSink {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, JOURNAL_FILE);
  let fd = openSync(path, 'a');
  let size = existsSync(path) ? statSync(path).size : 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  let dropped = 0;
  let writing = false;
  let scheduled = false;
  let closing = false;

  const rotate = () => {
    closeSync(fd);
    const oldest = `${path}.${keep}`;
    if (existsSync(oldest)) unlinkSync(oldest);
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    renameSync(path, `${path}.1`);
    fd = openSync(path, 'a');
    size = 0;
  };
  /** What of the pending lines fits in the current file, as one buffer (rotating first when none does);
   *  the rest waits for the next write, so that no file outgrows the limit however much piled up. */
  const take = (): Buffer => {
    if (dropped > 0) {
      const note = `${JSON.stringify({ kind: 'log', time: Date.now(), level: 'warning', msg: `Journal file: ${dropped} entries dropped while the disk was slow.` })}\n`;
      pending.push(note);
      pendingBytes += Buffer.byteLength(note);
      dropped = 0;
    }
    if (size > 0 && size + Buffer.byteLength(pending[0] ?? '') > maxBytes) rotate();
    let count = 0;
    let bytes = 0;
    for (const line of pending) {
      const lineBytes = Buffer.byteLength(line);
      // A line longer than the limit still goes, alone in its file.
      if (count > 0 && size + bytes + lineBytes > maxBytes) break;
      count++;
      bytes += lineBytes;
    }
    const data = Buffer.from(pending.slice(0, count).join(''));
    pending = pending.slice(count);
    pendingBytes -= bytes;
    size += data.length;
    return data;
  };
  const finish = () => {
    while (pending.length > 0 || dropped > 0) writeSync(fd, take());
    closeSync(fd);
  };
  const flush = () => {
    scheduled = false;
    if (writing || pending.length === 0) return;
    writing = true;
    write(fd, take(), () => {
      // A failed write (disk full) loses that batch only; the journal in memory still has it.
      writing = false;
      if (closing) finish();
      else if (pending.length > 0) schedule();
    });
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };
  return {
    write(entry) {
      if (closing) return;
      const line = `${JSON.stringify(entry)}\n`;
      const bytes = Buffer.byteLength(line);
      if (pendingBytes + bytes > MAX_PENDING_BYTES) {
        dropped++;
        return;
      }
      pending.push(line);
      pendingBytes += bytes;
      schedule();
    },
    close() {
      if (closing) return;
      closing = true;
      // A write still in flight owns the descriptor: the last lines follow it, then the file closes.
      if (!writing) finish();
    },
  };
}
