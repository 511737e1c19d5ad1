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
  /** The pending lines as one buffer, rotating first when they would overflow the file. */
  const take = (): Buffer => {
    if (dropped > 0) {
      const note = `${JSON.stringify({ kind: 'log', time: Date.now(), level: 'warning', msg: `Journal file: ${dropped} entries dropped while the disk was slow.` })}\n`;
      pending.push(note);
      pendingBytes += Buffer.byteLength(note);
      dropped = 0;
    }
    if (size + pendingBytes > maxBytes && size > 0) rotate();
    const data = Buffer.from(pending.join(''));
    pending = [];
    pendingBytes = 0;
    size += data.length;
    return data;
  };
  const finish = () => {
    if (pending.length > 0 || dropped > 0) writeSync(fd, take());
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
