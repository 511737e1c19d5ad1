// kernel-file.ts: /proc and cgroupfs files read whole, in one read when they are short; lists of pids from them.
import { describe, expect, onTestFinished, test } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readKernelFile, readPidListInJs } from '../../src/process/kernel-file.js';
import { loadNative } from '../../src/process/native.js';

describe('readKernelFile', () => {
  test('a short file is read whole: /proc/self/cgroup and /proc/self/mountinfo as readFileSync reads them', () => {
    for (const path of ['/proc/self/cgroup', '/proc/self/mountinfo']) expect(readKernelFile(path)).toBe(readFileSync(path, 'latin1'));
  });

  test('a file longer than a page (/proc/crypto, a seq_file handed over a page at a time) is read to its end', () => {
    const whole = readKernelFile('/proc/crypto');
    expect(whole.length).toBeGreaterThan(4096);
    expect(whole).toBe(readFileSync('/proc/crypto', 'latin1'));
  });

  test('a missing file throws as readFileSync does', () => {
    expect(() => readKernelFile('/proc/0/stat')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('readPidList', () => {
  const native = loadNative();

  test("a process's children file: the addon and readPidListInJs read the same pids, those of its two children", async () => {
    const children = [spawn('sleep', ['60']), spawn('sleep', ['60'])];
    onTestFinished(() => children.forEach((child) => child.kill()));
    await Promise.all(children.map((child) => once(child, 'spawn')));
    const path = `/proc/${process.pid}/task/${process.pid}/children`;
    const pids = children.map((child) => child.pid);
    expect(native.readPidList(path)?.sort()).toEqual(pids.sort());
    expect(readPidListInJs(path)?.sort()).toEqual(pids.sort());
  });

  test('a file larger than the first buffer (16 KiB) is read to its end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unitvisor-pids-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const numbers = Array.from({ length: 5000 }, (_, i) => 100000 + i);
    writeFileSync(join(dir, 'cgroup.procs'), `${numbers.join('\n')}\n`);
    expect(native.readPidList(join(dir, 'cgroup.procs'))).toEqual(numbers);
    expect(readPidListInJs(join(dir, 'cgroup.procs'))).toEqual(numbers);
  });

  test('a file that cannot be read is null', () => {
    expect(native.readPidList('/proc/0/task/0/children')).toBeNull();
    expect(readPidListInJs('/proc/0/task/0/children')).toBeNull();
  });
});
