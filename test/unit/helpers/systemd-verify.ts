// Runs the installed `systemd-analyze verify` (systemd 252) on unit texts, as a reference for messages.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasSystemdAnalyze = (() => {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** The `file:line: message` lines systemd-analyze verify prints for one unit, with the file shown as `name`. */
export function systemdVerify(name: string, text: string | Uint8Array): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-verify-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, text);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', '--generators=no', path], { encoding: 'utf8' });
    return `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => l.startsWith(path + ':'))
      .map((l) => name + l.slice(path.length));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
