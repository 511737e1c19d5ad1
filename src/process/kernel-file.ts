// Reading the kernel's own files (/proc, cgroupfs), which report a size of 0: readFileSync() then reads
// them in fresh 64 KiB buffers, which costs more than the read itself when a supervisor does it per event.
// One buffer is kept and reused instead (grown for a larger file, such as a big unit's cgroup.procs).
import { closeSync, openSync, readSync } from 'node:fs';

let buffer = Buffer.allocUnsafe(16 * 1024);
/** Below half a page: a seq_file's read that short has nothing after it. */
const SHORT_READ = 2048;

/** The whole file as latin1 text (bytes unchanged); throws as readFileSync() does. */
export function readKernelFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(larger, 0, 0, length);
        buffer = larger;
      }
      const room = buffer.length - length;
      const n = readSync(fd, buffer, length, room, null);
      length += n;
      // These files are seq_files: a read returns all they hold, or stops short only once the kernel's own
      // page-sized buffer is full. A short read well under a page is therefore the end (no read of 0 to say so).
      if (n < room && n < SHORT_READ) break;
    }
    return buffer.toString('latin1', 0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * The decimal numbers of a kernel file (cgroup.procs, /proc/PID/task/TID/children); null when it cannot be
 * read. What loadNative().readPidList() does in one call, for an addon built before it had that call.
 */
export function readPidListInJs(path: string): number[] | null {
  let text: string;
  try {
    text = readKernelFile(path);
  } catch {
    return null;
  }
  const numbers: number[] = [];
  for (const word of text.split(/\s+/)) if (word !== '') numbers.push(Number(word));
  return numbers;
}
