// kill.ts: KillMode= semantics on a real tree of processes (systemd.kill(5)); this worker is a subreaper, as the supervisor is.
import { constants } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { execa } from 'execa';
import { killUnitProcesses } from '../../src/process/kill.js';
import { loadNative } from '../../src/process/native.js';
import { isAlive, readProcStat } from '../../src/process/process-tree.js';
import { ownerOfExited, UnitProcesses } from '../../src/process/unit-processes.js';
import { startReaper, type Reaper } from '../../src/process/reaper.js';
import { readLines } from '../../src/process/output.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { bin } from '../helpers/use-tmp-units.js';
import { startTree, type StartedTree } from './start-tree.js';

const { SIGTERM, SIGKILL, SIGHUP, SIGSTOP } = constants.signals;
let reaper: Reaper;

beforeAll(() => {
  const native = loadNative();
  // The double-forked orphan must come back to us, as it does to the supervisor.
  native.setChildSubreaper();
  reaper = startReaper((exit) => void ownerOfExited(exit.pid), { native });
});
afterAll(() => reaper.stop());
afterEach(expectNoLeakedProcesses);

/** The tree's processes as the manager tracks a unit's (by descent and INVOCATION_ID, no cgroup): one tracking per tree. */
const trackings = new WeakMap<StartedTree, UnitProcesses>();
function unitPidsOf(tree: StartedTree): () => number[] {
  let tracking = trackings.get(tree);
  if (tracking === undefined) {
    tracking = new UnitProcesses('tree.service', undefined);
    tracking.begin(tree.invocationId);
    tracking.spawned(tree.root.pid ?? 0, []);
    const exited = tracking;
    void tree.root.then(() => exited.exited(tree.root.pid ?? 0));
    trackings.set(tree, tracking);
  }
  const known = tracking;
  return () => known.pids();
}
const alive = (pids: readonly number[]) => pids.filter(isAlive);

async function killAll(tree: StartedTree): Promise<void> {
  killUnitProcesses({ mode: 'control-group', operation: 'kill', signal: SIGKILL, unitPids: unitPidsOf(tree) });
  await expect.poll(() => alive(tree.pids)).toEqual([]);
}

describe('KillMode=', () => {
  test('control-group: every process, also setsid()ed and double-forked ones, gets the signal', async () => {
    const tree = await startTree();
    const sessions = new Set(tree.pids.map((pid) => readProcStat(pid)?.session));
    expect(sessions.size).toBeGreaterThanOrEqual(3);
    expect(new Set(unitPidsOf(tree)())).toEqual(new Set(tree.pids));
    const outcome = killUnitProcesses({ mode: 'control-group', operation: 'terminate', signal: SIGTERM, mainPid: tree.root.pid, unitPids: unitPidsOf(tree) });
    expect(new Set(outcome.signalled)).toEqual(new Set(tree.pids));
    expect(outcome.errors).toEqual([]);
    await expect.poll(() => alive(tree.pids)).toEqual([]);
    expect((await tree.root).signal).toBe('SIGTERM');
  });

  test('mixed: SIGTERM goes to the main process only, the final SIGKILL to all', async () => {
    const tree = await startTree();
    const main = tree.root.pid ?? 0;
    const others = tree.pids.filter((pid) => pid !== main);
    const term = killUnitProcesses({ mode: 'mixed', operation: 'terminate', signal: SIGTERM, mainPid: main, unitPids: unitPidsOf(tree) });
    expect(term.signalled).toEqual([main]);
    await expect.poll(() => isAlive(main)).toBe(false);
    expect(alive(others)).toEqual(others);
    const kill = killUnitProcesses({ mode: 'mixed', operation: 'kill', signal: SIGKILL, unitPids: unitPidsOf(tree) });
    expect(new Set(kill.signalled)).toEqual(new Set(others));
    await expect.poll(() => alive(tree.pids)).toEqual([]);
  });

  test('process: only the main process, even for the final SIGKILL', async () => {
    const tree = await startTree();
    const main = tree.root.pid ?? 0;
    const outcome = killUnitProcesses({ mode: 'process', operation: 'kill', signal: SIGKILL, mainPid: main, unitPids: unitPidsOf(tree) });
    expect(outcome.signalled).toEqual([main]);
    expect((await tree.root).signal).toBe('SIGKILL');
    expect(alive(tree.pids)).toEqual(tree.pids.filter((pid) => pid !== main));
    await killAll(tree);
  });

  test('none: nobody is signalled', async () => {
    const tree = await startTree();
    const outcome = killUnitProcesses({ mode: 'none', operation: 'kill', signal: SIGKILL, mainPid: tree.root.pid, unitPids: unitPidsOf(tree) });
    expect(outcome.signalled).toEqual([]);
    expect(alive(tree.pids)).toEqual(tree.pids);
    await killAll(tree);
  });

  test('the control process is signalled like the main process', async () => {
    const tree = await startTree();
    const unitPids = unitPidsOf(tree);
    const outcome = killUnitProcesses({ mode: 'process', operation: 'terminate', signal: SIGTERM, controlPid: tree.root.pid, unitPids });
    expect(outcome.signalled).toEqual([tree.root.pid]);
    await killAll(tree);
  });
});

describe('details of delivery', () => {
  test('SendSIGHUP=yes follows the SIGTERM (a process that ignores SIGTERM dies of SIGHUP)', async () => {
    const child = execa(process.execPath, [bin('ignore-sigterm')], { detached: true, buffer: false, reject: false, stdin: 'ignore' });
    const lines: string[] = [];
    const output = readLines(child.stdout, (line) => lines.push(line));
    await expect.poll(() => lines).toContain('ready');
    killUnitProcesses({ mode: 'process', operation: 'terminate', signal: SIGTERM, mainPid: child.pid, unitPids: () => [], sendSIGHUP: true });
    // SIGTERM is handled (ignored); the SIGHUP right behind it has the default action.
    expect((await child).signal).toBe('SIGHUP');
    await output.done;
  });

  test('SendSIGHUP= is not used for the final kill', async () => {
    const child = execa(process.execPath, [bin('ignore-sigterm')], { detached: true, buffer: false, reject: false, stdin: 'ignore' });
    const outcome = killUnitProcesses({ mode: 'process', operation: 'kill', signal: SIGKILL, mainPid: child.pid, unitPids: () => [], sendSIGHUP: true });
    expect(outcome.signalled).toEqual([child.pid]);
    expect((await child).signal).toBe('SIGKILL');
  });

  test('a stopped process gets SIGCONT after SIGTERM, so it terminates', async () => {
    const child = execa(process.execPath, [bin('exit-with'), '0', '--after', '60000'], { detached: true, buffer: false, reject: false, stdin: 'ignore' });
    const pid = child.pid ?? 0;
    process.kill(pid, SIGSTOP);
    await expect.poll(() => readProcStat(pid)?.state).toBe('T');
    killUnitProcesses({ mode: 'control-group', operation: 'terminate', signal: SIGTERM, mainPid: pid, unitPids: () => [pid] });
    expect((await child).signal).toBe('SIGTERM');
  });

  test('vanished processes are not errors (ESRCH)', async () => {
    const child = execa(process.execPath, [bin('exit-with'), '0'], { reject: false });
    const pid = child.pid ?? 0;
    await child;
    const outcome = killUnitProcesses({ mode: 'control-group', operation: 'terminate', signal: SIGTERM, mainPid: pid, unitPids: () => [pid] });
    expect(outcome).toEqual({ signalled: [], errors: [] });
  });

  test('SIGHUP as the kill signal is not doubled', async () => {
    const child = execa(process.execPath, [bin('ignore-sigterm'), '--ignore-sighup'], { detached: true, buffer: false, reject: false, stdin: 'ignore' });
    const lines: string[] = [];
    const output = readLines(child.stdout, (line) => lines.push(line));
    await expect.poll(() => lines).toContain('ready');
    killUnitProcesses({ mode: 'process', operation: 'terminate', signal: SIGHUP, mainPid: child.pid, unitPids: () => [], sendSIGHUP: true });
    await expect.poll(() => lines).toContain('got SIGHUP');
    process.kill(child.pid ?? 0, SIGKILL);
    await child;
    await output.done;
    expect(lines.filter((line) => line === 'got SIGHUP')).toHaveLength(1);
  });
});
