// Reading the kernel's own files (/proc, cgroupfs), which report a size of 0: readFileSync() then reads
// them in fresh 64 KiB buffers, which costs more than the read itself when a supervisor does it per event.
// One buffer is kept and reused instead (grown for a larger file, such as a big unit's cgroup.procs).
import { closeSync, openSync, readSync } from 'node:fs';

let buffer = Buffer.allocUnsafe(16 * 1024);

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
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    return buffer.toString('latin1', 0, length);
  } finally {
    closeSync(fd);
  }
}
