// kernel-file.ts: /proc and cgroupfs files read whole, in one read when they are short.
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { readKernelFile } from '../../src/process/kernel-file.js';

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
