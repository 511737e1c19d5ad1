// unit-processes.ts: a unit's processes kept from spawn, exit and reap events, in both modes (process tree
// and cgroup); this worker is a subreaper with a reaper, as the supervisor is.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmdirSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { spawnExec, type SpawnedProcess } from '../../src/process/spawn.js';
import { blockLines } from '../../src/protocol/output-block.js';
import { killUnitProcesses } from '../../src/process/kill.js';
import { loadNative } from '../../src/process/native.js';
import { isAlive, readProcStat } from '../../src/process/process-tree.js';
import { startReaper, type Reaper } from '../../src/process/reaper.js';
import { openCgroupTree, type CgroupTree } from '../../src/process/cgroup.js';
import { ownerOf, ownerOfExited, UnitProcesses } from '../../src/process/unit-processes.js';
import { defaultExecContext } from '../../src/unit/settings/defaults.js';
import { expectNoLeakedProcesses, ownerEnvironment } from '../helpers/processes.js';

let reaper: Reaper;
const reapedOwners: (UnitProcesses | undefined)[] = [];
beforeAll(() => {
  const native = loadNative();
  native.setChildSubreaper();
  reaper = startReaper((exit) => void reapedOwners.push(ownerOfExited(exit.pid)), { native });
});
afterAll(() => reaper.stop());
afterEach(expectNoLeakedProcesses);

/** Spawns `script` as the unit's main process (journal output: a pipe), as the effect runner does. */
async function startUnit(tracking: UnitProcesses, script: string, waitFor: string): Promise<SpawnedProcess> {
  const invocationId = randomBytes(16).toString('hex');
  tracking.begin(invocationId);
  const argv = ['/bin/sh', '-c', script];
  const lines: string[] = [];
  let heard: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (heard = resolve));
  const spawned = spawnExec({
    command: { path: '/bin/sh', argv, ignoreFailure: false, noEnvExpand: false, fullPrivileges: false, privilegesMode: 'normal', file: 'u.service', line: 1 },
    argv,
    environment: { INVOCATION_ID: invocationId, PATH: '/usr/bin:/bin', ...ownerEnvironment() },
    exec: defaultExecContext(),
    cgroup: tracking.cgroupForSpawn(),
    onOutput: (_stream, block) => {
      for (const line of blockLines(block.text)) {
        lines.push(line);
        if (line === waitFor) heard();
      }
    },
  });
  if (!spawned.ok) throw new Error(spawned.error.message);
  tracking.spawned(spawned.value.pid, spawned.value.outputNames);
  void spawned.value.exited.then(() => tracking.exited(spawned.value.pid));
  await ready;
  return spawned.value;
}

const comms = (pids: readonly number[]) => pids.map((pid) => readProcStat(pid)?.comm).sort();

async function killEverything(tracking: UnitProcesses): Promise<void> {
  killUnitProcesses({ mode: 'control-group', operation: 'kill', signal: constants.signals.SIGKILL, unitPids: () => tracking.pids() });
  tracking.killGroup();
  await expect.poll(() => tracking.isEmpty(), { timeout: 10_000 }).toBe(true);
}

describe('process-tree mode', () => {
  test('an orphan that cleared its environment and changed its session is still the unit\'s (its journal pipe)', async () => {
    const tracking = new UnitProcesses('escape.service', undefined);
    const main = await startUnit(tracking, 'env -i setsid -f sleep 1000; echo ready; exec sleep 999', 'ready');
    // Re-parented to us, no INVOCATION_ID, its own session: found all the same.
    await expect.poll(() => comms(tracking.pids())).toEqual(['sleep', 'sleep']);
    const pids = tracking.pids();
    const escapee = pids.find((pid) => pid !== main.pid);
    expect(readProcStat(escapee ?? 0)).toMatchObject({ ppid: process.pid, session: escapee });
    expect(ownerOf(escapee ?? 0)).toBe(tracking);
    expect(tracking.isEmpty()).toBe(false);
    await killEverything(tracking);
    expect(pids.filter(isAlive)).toEqual([]);
    tracking.dispose();
  });

  test('an orphan seen below the unit is the unit\'s by descent, whatever it carries', async () => {
    const tracking = new UnitProcesses('descent.service', undefined);
    // The child clears its environment, leaves the session and closes the journal pipe, then its parent exits.
    const main = await startUnit(tracking, 'env -i setsid sleep 1000 </dev/null >/dev/null 2>&1 & echo ready; exec sleep 999', 'ready');
    const [child] = tracking.pids().filter((pid) => pid !== main.pid);
    expect(child).toBeDefined();
    process.kill(main.pid, 'SIGKILL');
    await main.exited;
    expect(readProcStat(child ?? 0)?.ppid).toBe(process.pid);
    expect(tracking.isEmpty()).toBe(false);
    expect(tracking.pids()).toEqual([child]);
    await killEverything(tracking);
    // Its reaping named the unit: no other unit had to look.
    expect(reapedOwners).toContain(tracking);
    tracking.dispose();
  });

  test('empty once the main process exited and left nothing behind', async () => {
    const tracking = new UnitProcesses('plain.service', undefined);
    const main = await startUnit(tracking, 'echo ready; exec sleep 999', 'ready');
    expect(tracking.isEmpty()).toBe(false);
    process.kill(main.pid, 'SIGTERM');
    await main.exited;
    await expect.poll(() => tracking.isEmpty()).toBe(true);
    tracking.dispose();
  });
});

describe('cgroup mode', () => {
  let tree: CgroupTree | undefined;
  beforeAll(async () => {
    tree = await openCgroupTree(loadNative().execHelperPath);
    if (tree === undefined) console.log('No writable cgroup v2 subtree here: the cgroup mode tests are skipped.');
  });

  test('every process of the unit is in its cgroup, escapees included; cgroup.kill ends them all', async (context) => {
    if (tree === undefined) return context.skip();
    const tracking = new UnitProcesses('group.service', tree);
    await startUnit(tracking, 'env -i setsid -f sleep 1000 </dev/null >/dev/null 2>&1; echo ready; exec sleep 999', 'ready');
    // The forked child of `setsid -f` may not have exec'd sleep yet.
    await expect.poll(() => comms(tracking.pids())).toEqual(['sleep', 'sleep']);
    const pids = tracking.pids();
    expect(tracking.describe()).toEqual({ mode: 'cgroup', controlGroup: expect.stringMatching(/\/unitvisor-\d+-\d+-\d+\/group\.service$/) });
    for (const pid of pids) expect(tracking.owns(pid)).toBe(true);
    expect(tracking.killGroup()).toBe(true);
    await expect.poll(() => tracking.isEmpty(), { timeout: 10_000 }).toBe(true);
    expect(pids.filter(isAlive)).toEqual([]);
    tracking.dispose();
  });

  test('emptied by a process it never reaps: the change event of cgroup.events says so', async (context) => {
    if (tree === undefined) return context.skip();
    const tracking = new UnitProcesses('stranger.service', tree);
    const dir = tracking.cgroupForSpawn() ?? '';
    let changed: () => void = () => undefined;
    tracking.onPossiblyEmpty(() => changed());
    // A shell outside the unit starts the stranger and reaps it: no exit of it ever reaches the unit.
    const shell = spawn('/bin/sh', ['-c', 'sleep 1000 & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    shell.unref();
    const stranger = Number(String((await once(shell.stdout, 'data'))[0]).trim());
    writeFileSync(join(dir, 'cgroup.procs'), String(stranger));
    expect(tracking.isEmpty()).toBe(false);
    // Asked again, the answer is the one read before (nothing changed)...
    expect(tracking.isEmpty()).toBe(false);
    const emptied = new Promise<void>((resolve) => (changed = () => (tracking.isEmpty() ? resolve() : undefined)));
    process.kill(stranger, 'SIGKILL');
    // ...until the file's change event: then it is read again.
    await emptied;
    await expect.poll(() => isAlive(shell.pid ?? 0)).toBe(false);
    tracking.dispose();
  });

  test('an inactive unit keeps its cgroup while a process is left in it, loses it once empty, and gets it back at the next spawn', async (context) => {
    if (tree === undefined) return context.skip();
    const tracking = new UnitProcesses('prune.service', tree);
    const dir = join(tree.dir, 'prune.service');
    const main = await startUnit(tracking, 'sleep 1000 & echo ready; exec sleep 999', 'ready');
    process.kill(main.pid, 'SIGKILL');
    await main.exited;
    // The backgrounded sleep is still in it: pruning leaves the cgroup, and the unit is not empty.
    tracking.prune();
    expect(existsSync(dir)).toBe(true);
    expect(tracking.isEmpty()).toBe(false);
    await killEverything(tracking);
    tracking.prune();
    expect(existsSync(dir)).toBe(false);
    expect(tracking.isEmpty()).toBe(true);
    expect(tracking.pids()).toEqual([]);
    const again = await startUnit(tracking, 'echo ready; exec sleep 999', 'ready');
    expect(existsSync(dir)).toBe(true);
    expect(tracking.pids()).toEqual([again.pid]);
    await killEverything(tracking);
    tracking.dispose();
    expect(existsSync(dir)).toBe(false);
  });

  // A killed container's PID 1 leaves "unitvisor-NS-1-1" behind, and the kernel reuses the namespace's number: the
  // next PID 1 of that number must sweep the folder that names it, not fall back to tracking by descent.
  test('a stale tree named with this very process (a reused PID namespace) is swept, not taken for its own', async (context) => {
    if (tree === undefined) return context.skip();
    const mount = dirname(tree.dir);
    const script = `
      import { mkdirSync, readlinkSync } from 'node:fs';
      const ns = /\\[(\\d+)\\]/.exec(readlinkSync('/proc/self/ns/pid'))[1];
      const stale = '${mount}/unitvisor-' + ns + '-' + process.pid + '-1';
      mkdirSync(stale);
      console.log(stale);
      const { openCgroupTree, removeCgroup } = await import('${resolve(import.meta.dirname, '../../dist/process/cgroup.js')}');
      const tree = await openCgroupTree('${loadNative().execHelperPath}');
      console.log(tree === undefined ? 'no tree' : tree.dir === stale ? 'made anew' : 'elsewhere');
      if (tree !== undefined) removeCgroup(tree.dir);
    `;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).stdout.trim().split('\n');
    if (out[0] !== undefined && existsSync(out[0])) rmdirSync(out[0]);
    expect(out[1]).toBe('made anew');
  });
});

