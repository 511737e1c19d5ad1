// Once per run: dist/ is current for the tests that run the built CLI, and every test's temporary files
// go to one private TMPDIR that must be empty again at the end (nothing is left in /tmp).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (name.endsWith('.ts')) newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than src/ (tests run dist/bin.cjs as users do). */
function ensureDist(): void {
  // The daemon's bundle: the build's last step.
  const built = join(repo, 'dist/daemon/main.cjs');
  if (existsSync(built) && statSync(built).mtimeMs >= newestMtime(join(repo, 'src'))) return;
  process.stderr.write('dist/ is missing or older than src/: building it first\n');
  const r = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed: the tests that run dist/ cannot run');
}

export default function setup(): () => void {
  ensureDist();
  const root = mkdtempSync(join(tmpdir(), 'unitvisor-suite-'));
  // As /tmp: services the tests run as User=nobody reach their files through it.
  chmodSync(root, 0o1777);
  process.env.TMPDIR = root;
  return () => {
    // A test file whose tests were all skipped never runs its afterAll hooks (test/setup/per-file.ts), so
    // its own TMPDIR stays behind, empty: that one is the harness's, not a leak.
    const left = readdirSync(root).filter((name) => !(name.startsWith('file-') && readdirSync(join(root, name)).length === 0));
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0) {
      process.stderr.write(`FAIL: the run left files in its temp dir: ${left.join(', ')}\n`);
      process.exitCode = 1;
    }
  };
}
