// process-tree.ts: /proc walking (without a subreaper here).
import { afterEach, describe, expect, test } from 'vitest';
import { symlinkSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { killUnitProcesses } from '../../src/process/kill.js';
import { childrenOf, descendantsOf, isAlive, readEnvironVariable, readProcStat } from '../../src/process/process-tree.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { startTree, type StartedTree } from './start-tree.js';
import { tempDir } from '../helpers/temp-files.js';

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
    const link = join(tempDir('unitvisor-comm-'), 'a) (b c');
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

  test('the INVOCATION_ID marker is readable from /proc/PID/environ', () =>
    withTree((tree) => {
      for (const pid of tree.pids) expect(readEnvironVariable(pid, 'INVOCATION_ID')).toBe(tree.invocationId);
      expect(readEnvironVariable(tree.pids[0] ?? 0, 'NOT_THERE')).toBeUndefined();
    }));
});
