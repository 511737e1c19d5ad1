// The optional on-disk journal (--journal-dir): JSON lines in a file that rotates at a size
// limit, keeping a bounded number of old files, so disk use stays bounded too.
import { closeSync, existsSync, openSync, renameSync, statSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FileSink } from './journal.js';

export const JOURNAL_FILE = 'unitvisor-journal.jsonl';

export function rotatingFileSink(dir: string, maxBytes = 8 * 1024 * 1024, keep = 3): FileSink {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, JOURNAL_FILE);
  let fd = openSync(path, 'a');
  let size = existsSync(path) ? statSync(path).size : 0;
  const rotate = () => {
    closeSync(fd);
    const oldest = `${path}.${keep}`;
    if (existsSync(oldest)) unlinkSync(oldest);
    for (let i = keep - 1; i >= 1; i--) if (existsSync(`${path}.${i}`)) renameSync(`${path}.${i}`, `${path}.${i + 1}`);
    renameSync(path, `${path}.1`);
    fd = openSync(path, 'a');
    size = 0;
  };
  return {
    write(entry) {
      const line = `${JSON.stringify(entry)}\n`;
      const bytes = Buffer.byteLength(line);
      if (size + bytes > maxBytes && size > 0) rotate();
      writeSync(fd, line);
      size += bytes;
    },
    close() {
      closeSync(fd);
    },
  };
}
