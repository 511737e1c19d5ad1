// main-pid.ts: PIDFile= and GuessMainPID= for a real forking daemon; this worker is a subreaper like the supervisor.
import { randomBytes } from 'node:crypto';
import { chownSync, lchownSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ExecContext } from '../../src/unit/model.js';
import { spawnExec } from '../../src/process/spawn.js';
import { killUnitProcesses } from '../../src/process/kill.js';
import { guessMainPid, readPidFile } from '../../src/process/main-pid.js';
import { loadNative } from '../../src/process/native.js';
import { isAlive } from '../../src/process/process-tree.js';
import { ownerOfExited, UnitProcesses } from '../../src/process/unit-processes.js';
import { startReaper, type Reaper } from '../../src/process/reaper.js';
import { expectNoLeakedProcesses, ownerEnvironment } from '../helpers/processes.js';
import { bin } from '../helpers/use-tmp-units.js';
import { defaultExecContext } from '../../src/unit/settings/defaults.js';
import { tempDir } from '../helpers/temp-files.js';

let reaper: Reaper;
beforeAll(() => {
  const native = loadNative();
  native.setChildSubreaper();
  reaper = startReaper((exit) => void ownerOfExited(exit.pid), { native });
});
afterAll(() => reaper.stop());
afterEach(expectNoLeakedProcesses);

const tmp = () => tempDir('unitvisor-pidfile-');
const nobodyCares = { belongsToUnit: () => false };

const execContext: ExecContext = defaultExecContext();

/** A Type=forking service's ExecStart=, spawned as the manager would, while this process reaps adopted orphans. */
async function forkingDaemon(pidfile?: string) {
  const invocationId = randomBytes(16).toString('hex');
  const argv = [process.execPath, bin('double-fork'), ...(pidfile === undefined ? [] : ['--pidfile', pidfile])];
  const spawned = spawnExec({
    command: { path: argv[0] ?? '', argv, ignoreFailure: false, noEnvExpand: false, fullPrivileges: false, privilegesMode: 'normal', file: 'd.service', line: 1 },
    argv,
    environment: { INVOCATION_ID: invocationId, ...ownerEnvironment() },
    exec: execContext,
  });
  if (!spawned.ok) throw new Error(spawned.error.message);
  const tracking = new UnitProcesses('d.service', undefined);
  tracking.begin(invocationId);
  tracking.spawned(spawned.value.pid, spawned.value.outputNames);
  // The reaper runs here too, yet libuv still gets its own child's status.
  expect(await spawned.value.exited).toEqual({ pid: spawned.value.pid, code: 'exited', status: 0 });
  tracking.exited(spawned.value.pid);
  const unitPids = () => tracking.pids();
  // The intermediate child is gone once the daemon is re-parented to us.
  await expect.poll(() => unitPids().length).toBe(1);
  const stop = async () => {
    killUnitProcesses({ mode: 'control-group', operation: 'kill', signal: constants.signals.SIGKILL, unitPids });
    await expect.poll(() => unitPids().filter(isAlive)).toEqual([]);
  };
  return { unitPids, stop };
}

describe('PIDFile=', () => {
  test("a forking daemon's PID file names its main process", async () => {
    const pidfile = join(tmp(), 'daemon.pid');
    const daemon = await forkingDaemon(pidfile);
    try {
      const [pid] = daemon.unitPids();
      const belongsToUnit = (candidate: number) => daemon.unitPids().includes(candidate);
      expect(await readPidFile(pidfile, { belongsToUnit })).toEqual({ ok: true, value: pid });
    } finally {
      await daemon.stop();
    }
  });

  test.each([
    { content: '', reason: 'Invalid argument' },
    { content: 'abc\n', reason: 'Invalid argument' },
    { content: '12 34\n', reason: 'Invalid argument' },
    { content: '0\n', reason: 'Numerical result out of range' },
    { content: '-5\n', reason: 'Numerical result out of range' },
    { content: '99999999999\n', reason: 'Numerical result out of range' },
  ])('content $content: $reason', async ({ content, reason }) => {
    const pidfile = join(tmp(), 'x.pid');
    writeFileSync(pidfile, content);
    expect(await readPidFile(pidfile, nobodyCares)).toEqual({ ok: false, error: { kind: 'invalid', message: `Failed to parse PID from file ${pidfile}: ${reason}` } });
  });

  test('a missing file is "not there (yet?)"', async () => {
    const pidfile = join(tmp(), 'none.pid');
    expect(await readPidFile(pidfile, { ...nobodyCares, afterState: 'start' })).toEqual({
      ok: false,
      error: { kind: 'missing', reason: 'No such file or directory', message: `Can't open PID file ${pidfile} (yet?) after start: No such file or directory` },
    });
  });

  test.each([
    { name: 'a pid that does not exist', pid: () => 0x7ffffffe, message: (pid: number) => `New main PID ${pid} does not exist or is a zombie.` },
    { name: 'the manager itself', pid: () => process.pid, message: (pid: number) => `New main PID ${pid} is the manager, refusing.` },
    { name: 'init (PID 1)', pid: () => 1, message: () => 'New main PID 1 is the manager, refusing.' },
    { name: 'the control process', pid: () => process.ppid, controlPid: true, message: (pid: number) => `New main PID ${pid} is the control process, refusing.` },
  ])('refuses $name', async ({ pid, controlPid, message }) => {
    const pidfile = join(tmp(), 'x.pid');
    writeFileSync(pidfile, `${pid()}\n`);
    const context = { ...nobodyCares, controlPid: controlPid === true ? pid() : undefined };
    expect(await readPidFile(pidfile, context)).toEqual({ ok: false, error: { kind: 'refused', message: message(pid()) } });
  });

  test('a pid outside the unit is accepted only from a root-owned file', async () => {
    const pidfile = join(tmp(), 'foreign.pid');
    writeFileSync(pidfile, `${process.ppid}\n`);
    expect(await readPidFile(pidfile, nobodyCares)).toEqual({ ok: true, value: process.ppid });
    chownSync(pidfile, 65534, 65534);
    expect(await readPidFile(pidfile, nobodyCares)).toEqual({
      ok: false,
      error: { kind: 'refused', message: `New main PID ${process.ppid} does not belong to service, and PID file is not owned by root. Refusing.` },
    });
    // The unit's own process is fine from any file.
    expect(await readPidFile(pidfile, { belongsToUnit: (pid) => pid === process.ppid })).toEqual({ ok: true, value: process.ppid });
  });

  test('a root-owned file reached through a directory of another user is an unsafe chain', async () => {
    const dir = join(tmp(), 'run');
    mkdirSync(dir);
    chownSync(dir, 65534, 65534);
    const pidfile = join(dir, 'foreign.pid');
    writeFileSync(pidfile, `${process.ppid}\n`);
    expect(await readPidFile(pidfile, nobodyCares)).toEqual({
      ok: false,
      error: { kind: 'refused', message: `Refusing to accept PID outside of service control group, acquired through unsafe symlink chain: ${pidfile}` },
    });
    // A symlink owned by another user, pointing to a root-owned file elsewhere, is unsafe too.
    const target = join(tmp(), 'real.pid');
    writeFileSync(target, `${process.ppid}\n`);
    const link = join(tmp(), 'link.pid');
    symlinkSync(target, link);
    expect(await readPidFile(link, nobodyCares)).toEqual({ ok: true, value: process.ppid });
    lchownSync(link, 65534, 65534);
    expect(await readPidFile(link, nobodyCares)).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(await readPidFile(link, { belongsToUnit: (pid) => pid === process.ppid })).toEqual({ ok: true, value: process.ppid });
  });
});

describe('GuessMainPID=', () => {
  test("the daemon, re-parented to us, is the single candidate", async () => {
    const daemon = await forkingDaemon();
    try {
      expect(guessMainPid(daemon.unitPids())).toBe(daemon.unitPids()[0]);
      expect(guessMainPid(daemon.unitPids(), { controlPid: daemon.unitPids()[0] })).toBeUndefined();
    } finally {
      await daemon.stop();
    }
  });

  test('two children of ours: unknown', async () => {
    const first = await forkingDaemon();
    const second = await forkingDaemon();
    try {
      expect(guessMainPid([...first.unitPids(), ...second.unitPids()])).toBeUndefined();
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  test('a process that is not our child is no candidate', () => {
    expect(guessMainPid([process.ppid])).toBeUndefined();
  });
});
