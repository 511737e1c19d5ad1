// A client verb runs its bundle with V8's code cache, kept per verb in the user's cache directory: made
// by the first run after a build, used as it is by the next, replaced when V8 rejects it, and never a
// reason for a verb to fail.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { CLI } from '../helpers/start-daemon.js';

const dir = mkdtempSync(join(tmpdir(), 'unitvisor-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `unitvisor --version` with XDG_CACHE_HOME at `cacheHome`. */
function version(cacheHome: string): string {
  const run = spawnSync(process.execPath, [CLI, '--version'], { env: { ...process.env, XDG_CACHE_HOME: cacheHome }, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

const caches = (cacheHome: string) => readdirSync(join(cacheHome, 'unitvisor', 'code-cache')).map((name) => join(cacheHome, 'unitvisor', 'code-cache', name));

test('the first run makes the cache, private to the user; the next uses it as it is', () => {
  const home = join(dir, 'fresh');
  const printed = version(home);
  expect(printed).toMatch(/^unitvisor \d+\.\d+\.\d+\n$/);
  const [cache, ...others] = caches(home);
  expect(others).toEqual([]);
  const made = statSync(cache!);
  expect(made.mode & 0o777).toBe(0o600);
  expect(statSync(join(home, 'unitvisor', 'code-cache')).mode & 0o777).toBe(0o700);
  expect(version(home)).toBe(printed);
  // V8 accepted it: a rejected cache is written again.
  expect(statSync(cache!).mtimeMs).toBe(made.mtimeMs);
  expect(statSync(cache!).ino).toBe(made.ino);
});

test('a cache V8 rejects (another build, a damaged file) is replaced; a stale build\'s cache is removed', () => {
  const home = join(dir, 'damaged');
  const printed = version(home);
  const [cache] = caches(home);
  writeFileSync(cache!, 'not a code cache');
  const stale = join(home, 'unitvisor', 'code-cache', '0123456789abcdef0123456789abcdef-v0.0.0-x64-list-units');
  writeFileSync(stale, 'old');
  expect(version(home)).toBe(printed);
  expect(caches(home)).toEqual([cache]);
  expect(statSync(cache!).size).toBeGreaterThan(1000);
});

test('without a usable cache directory the verb runs as without a cache', () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, '');
  expect(version(file)).toMatch(/^unitvisor /);
});
