// process-tree.ts: /proc walking and the attribution of processes to a unit (without a subreaper here).
import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { killUnitProcesses } from '../../src/process/kill.js';
import { UnitProcessTracker, childrenOf, descendantsOf, isAlive, processesOfUnit, readEnvironVariable, readProcStat } from '../../src/process/process-tree.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startTree, type StartedTree } from './start-tree.js';

afterEach(expectNoLeakedProcesses);

async function withTree(body: (tree: StartedTree, main: number) => Promise<void> | void): Promise<void> {
  const tree = await startTree();
  try {
    await body(tree, tree.root.pid ?? 0);
  } finally {
    killUnitProcesses({ mode: 'control-group', operation: 'kill', signal: constants.signals.SIGKILL, unitPids: () => tree.pids });
    await expect.poll(() => tree.pids.filter(isAlive)).toEqual([]);
    await tree.root;
  }
}

describe('/proc', () => {
  test('readProcStat parses state, ppid, process group and session', () => {
    const self = readProcStat(process.pid);
    expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid, state: expect.stringMatching(/^[RS]$/) });
    expect(self?.startTime).toBeGreaterThan(0);
    expect(readProcStat(0x7ffffffe)).toBeUndefined();
  });

  test('a comm holding ") (" does not shift the fields', async () => {
    const link = join(mkdtempSync(join(tmpdir(), 'unitvisor-comm-')), 'a) (b c');
    symlinkSync(process.execPath, link);
    const child = execa(link, ['-e', 'setTimeout(() => {}, 60000)'], { reject: false });
    try {
      // Polled: Node 24's spawn can return before the child's execve() renamed it (comm is still the parent's).
      await expect.poll(() => readProcStat(child.pid ?? 0)).toMatchObject({ comm: 'a) (b c', state: expect.stringMatching(/^[RS]$/), ppid: process.pid });
    } finally {
      child.kill('SIGKILL');
      await child;
    }
  });

  test('descendants, children and sessions of a tree', () =>
    withTree((tree, main) => {
      expect(childrenOf(process.pid)).toContain(main);
      const descendants = descendantsOf(main);
      // Everything but the double-forked orphan, which left the tree when its parent exited.
      expect(descendants).toHaveLength(4);
      expect(tree.pids).toEqual(expect.arrayContaining(descendants));
      for (const pid of descendants) expect(readProcStat(pid)?.pgrp).toBeGreaterThan(0);
      const ownSessions = descendants.filter((pid) => readProcStat(pid)?.session === pid);
      expect(ownSessions.length).toBeGreaterThanOrEqual(2);
      expect(descendantsOf(process.pid)).toEqual(expect.arrayContaining([main, ...descendants]));
    }));

  test('a walk of /proc is cheap', () => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 10; i++) descendantsOf(1);
    const perWalkMs = Number(process.hrtime.bigint() - started) / 1e6 / 10;
    expect(perWalkMs).toBeLessThan(50);
  });

  test('the INVOCATION_ID marker is readable from /proc/PID/environ', () =>
    withTree((tree) => {
      for (const pid of tree.pids) expect(readEnvironVariable(pid, 'INVOCATION_ID')).toBe(tree.invocationId);
      expect(readEnvironVariable(tree.pids[0] ?? 0, 'NOT_THERE')).toBeUndefined();
    }));
});

describe('processesOfUnit', () => {
  test('roots and their descendants', () =>
    withTree((_tree, main) => {
      const found = processesOfUnit({ invocationId: undefined, roots: [main] }).map((p) => p.pid);
      expect(found).toHaveLength(5);
      expect(found).toContain(main);
    }));

  test('a remembered orphan is still found, but not a recycled pid', () =>
    withTree((tree, main) => {
      const inTree = new Set([main, ...descendantsOf(main)]);
      const orphan = tree.pids.find((pid) => !inTree.has(pid)) ?? 0;
      const identity = { pid: orphan, startTime: readProcStat(orphan)?.startTime ?? 0 };
      const found = processesOfUnit({ invocationId: undefined, roots: [main], remembered: [identity] }).map((p) => p.pid);
      expect(new Set(found)).toEqual(new Set(tree.pids));
      const recycled = processesOfUnit({ invocationId: undefined, roots: [], remembered: [{ pid: orphan, startTime: identity.startTime + 1 }] });
      expect(recycled).toEqual([]);
    }));

  test('processes below the supervisor carrying the INVOCATION_ID are found without roots', () =>
    withTree((tree, main) => {
      const found = processesOfUnit({ invocationId: tree.invocationId, roots: [] }).map((p) => p.pid);
      expect(new Set(found)).toEqual(new Set([main, ...descendantsOf(main)]));
      expect(processesOfUnit({ invocationId: '0'.repeat(32), roots: [] })).toEqual([]);
    }));

  test('UnitProcessTracker remembers processes that left our tree, and forgets the dead', () =>
    withTree(async (tree, main) => {
      const tracker = new UnitProcessTracker(tree.invocationId);
      const seen = tracker.refresh([main]);
      expect(new Set(seen)).toEqual(new Set([main, ...descendantsOf(main)]));
      // Without its parent, the rest of the tree is re-parented away from us (no subreaper here):
      // neither a root nor our descendant any more, it is still the unit's.
      process.kill(main, 'SIGKILL');
      await tree.root;
      const survivors = seen.filter((pid) => pid !== main);
      await expect.poll(() => descendantsOf(process.pid).filter((pid) => survivors.includes(pid))).toEqual([]);
      expect(new Set(tracker.refresh([]))).toEqual(new Set(survivors));
    }));

  test('zombies and the supervisor itself are never counted', () => {
    expect(processesOfUnit({ invocationId: undefined, roots: [process.pid] }).map((p) => p.pid)).not.toContain(process.pid);
  });
});
