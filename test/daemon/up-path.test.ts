// `up` runs units with the user's PATH (and the project's node_modules/.bin), as pm2 and `npm run` do,
// and status says when a command was found there; `init` keeps systemd's fixed PATH.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startUp, stopAllUps } from '../helpers/run-up.js';
import { startDaemon, stopAllDaemons } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';

afterEach(async () => {
  await stopAllUps();
  await stopAllDaemons();
  await expectNoLeakedProcesses();
});

/** An executable shell script at `path` that says who it is and stays up. */
function tool(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\necho "$(basename "$0") runs"\nexec sleep 60\n');
  chmodSync(path, 0o755);
}

/** A project: a.service runs a command that only the user's PATH has, b.service one from node_modules/.bin. */
function project() {
  const units = useTmpUnits({
    'a.service': '[Service]\nType=exec\nExecStart=only-on-my-path\n',
    'b.service': '[Service]\nExecStart=project-tool --flag\n',
  });
  const tools = join(units.dir, 'my-tools');
  tool(join(tools, 'only-on-my-path'));
  tool(join(units.dir, 'node_modules/.bin/project-tool'));
  return { dir: units.dir, tools, env: { ...process.env, PATH: `${tools}:${process.env['PATH'] ?? ''}` } };
}

describe('the PATH units run with', () => {
  test('up: a bare command is found on the user’s PATH and in node_modules/.bin, and status says so', async () => {
    const p = project();
    const up = await startUp(p.dir, [], p.env);
    await up.waitForLine(/^a\.service\[\d+\]: only-on-my-path runs$/);
    await up.waitForLine(/^b\.service\[\d+\]: project-tool runs$/);

    const status = await up.cli('status', 'a.service', 'b.service');
    expect(status.stdout).toContain(`    Command: only-on-my-path is ${join(p.tools, 'only-on-my-path')}, found on the user's PATH\n`);
    expect(status.stdout).toContain(`    Command: project-tool is ${join(p.dir, 'node_modules/.bin/project-tool')}, found on the user's PATH\n`);
    // The search path, project's bin folder first, then the user's PATH as up was started with it.
    const show = await up.cli('show', 'a.service', '-p', 'ExecSearchPath', '--value');
    expect(show.stdout.trim().split(' ').slice(0, 2)).toEqual([join(p.dir, 'node_modules/.bin'), p.tools]);
  });

  test('up: a command found in systemd’s own PATH directories is not pointed out', async () => {
    const units = useTmpUnits({ 'a.service': "[Service]\nExecStart=sh -c 'echo plain; exec sleep 60'\n" });
    const up = await startUp(units.dir);
    await up.waitForLine(/^a\.service\[\d+\]: plain$/);
    expect((await up.cli('status', 'a.service')).stdout).not.toContain('Command:');
  });

  test('init: the same units get systemd’s fixed PATH, so the command is not found (203/EXEC)', async () => {
    const p = project();
    const daemon = await startDaemon(p.dir, [], 'init', p.env);
    expect((await daemon.cli('start', 'a.service')).code).toBe(1);
    const show = await daemon.cli('show', 'a.service', '-p', 'ExecMainStatus,ExecSearchPath');
    expect(show.stdout).toBe('ExecMainStatus=203\nExecSearchPath=\n');
  });
});
