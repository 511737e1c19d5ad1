// The package installs one command, `unitvisor`; `systemctl` is an opt-in alias that never replaces
// another program. package.json states the platform and a LICENSE file matches its license.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { CLI } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; os: string[]; license: string; files: string[] };

/** Runs a script as its `#!/usr/bin/env node` line does (dist/ is not executable before npm installs it). */
function run(script: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => execFile(process.execPath, [script, ...args], (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr })));
}

test('package.json: `unitvisor` is the only command, Linux the only platform, and the LICENSE is shipped', () => {
  expect(pkg.bin).toEqual({ unitvisor: 'dist/bin.cjs' });
  expect(pkg.os).toEqual(['linux']);
  expect(pkg.files).toContain('LICENSE');
  expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(new RegExp(`^${pkg.license} License\\n`));
});

test('install-systemctl-alias links `systemctl` beside `unitvisor`; it runs the same program', async () => {
  const bin = useTmpUnits({}).dir;
  symlinkSync(CLI, join(bin, 'unitvisor')); // what npm makes for "bin"
  const installed = await run(join(bin, 'unitvisor'), ['install-systemctl-alias']);
  expect(installed).toEqual({ code: 0, stdout: '', stderr: `Created symlink ${bin}/systemctl → ${realpathSync(CLI)}.\n` });
  expect(readlinkSync(join(bin, 'systemctl'))).toBe(realpathSync(CLI));
  expect((await run(join(bin, 'systemctl'), ['--version'])).stdout).toMatch(/^unitvisor \d/);
  // Again: nothing to do.
  expect(await run(join(bin, 'unitvisor'), ['install-systemctl-alias', bin])).toEqual({ code: 0, stdout: '', stderr: '' });
});

test('install-systemctl-alias DIR never replaces another systemctl', async () => {
  const dir = useTmpUnits({}).dir;
  const host = join(dir, 'systemctl');
  writeFileSync(host, '#!/bin/sh\necho the real one\n');
  chmodSync(host, 0o755);
  expect(await run(CLI, ['install-systemctl-alias', dir])).toEqual({ code: 1, stdout: '', stderr: `${host} already exists and is not unitvisor; not replaced.\n` });
  expect(readFileSync(host, 'utf8')).toContain('the real one');
  expect(existsSync(join(dir, 'missing'))).toBe(false);
  expect((await run(CLI, ['install-systemctl-alias', join(dir, 'missing')])).code).toBe(1);
});
