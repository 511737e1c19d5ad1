// `init` over systemd's own search path runs sysinit.target and every enabled service: right as PID 1 of a
// container, wrong on a host. Outside a PID namespace of its own it refuses unless --force.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { CLI } from '../helpers/start-daemon.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';

describe('init safety', () => {
  test('the default search path, not as PID 1: refused with a clear message, nothing started, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitvisor-safety-'));
    try {
      const env = { ...process.env, UNITVISOR_UNIT_PATH: undefined };
      const result = await execa(process.execPath, [CLI, 'init', '--socket', join(dir, 'control.sock')], { env, extendEnv: false, reject: false, timeout: 20_000 });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^Refusing to boot systemd's unit search path: this process is not PID 1 of its own PID namespace\./);
      expect(result.stderr).toContain('--force');
      expect(result.stdout).not.toContain('Starting');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await expectNoLeakedProcesses();
  });
});
