// Temporary files of a test file: a TMPDIR of its own, which must be empty once its tests and hooks are done.
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/** A fresh directory, removed after the test file. */
export function tempDir(prefix = 'unitvisor-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Gives the test file its own TMPDIR (so daemons and children it starts use it too); returns the check. */
export function isolateTempFiles(): () => void {
  const outer = process.env.TMPDIR;
  const own = mkdtempSync(join(tmpdir(), 'file-'));
  chmodSync(own, 0o1777);
  process.env.TMPDIR = own;
  return () => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
    made.clear();
    const left = readdirSync(own);
    rmSync(own, { recursive: true, force: true });
    process.env.TMPDIR = outer;
    if (left.length > 0) throw new Error(`left behind in the temp dir: ${left.join(', ')}`);
  };
}
