// A throw-away root directory (for --root) with unit files and symlinks, removed after the test.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onTestFinished } from 'vitest';

/** A root directory with files; `{ link }` values are symlinks, written as systemctl would (paths inside the root). */
export function makeRoot(files: Record<string, string | { link: string }>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'uv-root-'));
  onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
  for (const [rel, v] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    if (typeof v === 'string') fs.writeFileSync(p, v);
    else fs.symlinkSync(v.link, p);
  }
  return root;
}
