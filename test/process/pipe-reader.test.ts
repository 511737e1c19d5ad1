// A child's pipes read natively: readPipe() on real pipes, and the PipeReader that readBlocks() takes.
import { closeSync, openSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { constants } from 'node:os';
import { afterEach, describe, expect, test } from 'vitest';
import { spawnChild } from '../../src/process/child-spawn.js';
import { loadNative, type WaitStatus } from '../../src/process/native.js';
import { readBlocks } from '../../src/process/output.js';
import { OutputFlow } from '../../src/process/output-flow.js';
import { READ_BYTES } from '../../src/process/pipe-reader.js';
import { expectNoLeakedProcesses } from '../helpers/processes.js';

afterEach(expectNoLeakedProcesses);

const native = loadNative();

/** `script` run by sh with its stdout a new pipe; the pipe's read end, and the exit, reaped. */
function shWithPipe(script: string): { pid: number; fd: number; exited: Promise<WaitStatus> } {
  const { pid, pidfd, pipes } = native.spawnProcess('/bin/sh', ['sh', '-c', script], [`PATH=${process.env['PATH'] ?? '/usr/bin:/bin'}`], [-1, -2, -1]);
  const exited = new Promise<WaitStatus>((resolve) => {
    const watch = native.watchReadable(pidfd, () => {
      watch.close();
      closeSync(pidfd);
      resolve(native.waitpidNoHang(pid) as WaitStatus);
    });
    watch.start();
  });
  return { pid, fd: pipes[1] as number, exited };
}

describe('readPipe', () => {
  test('a service pipe holds more than 64 KiB, read in one go up to the buffer; then its end', async () => {
    // The writer exits without blocking only if the pipe holds all it wrote.
    const child = shWithPipe('head -c 200000 /dev/zero');
    expect(await child.exited).toEqual({ pid: child.pid, code: 'exited', status: 0 });
    const target = Buffer.alloc(128 * 1024, 1);
    expect(native.readPipe(child.fd, target)).toBe(128 * 1024);
    expect(target.every((b) => b === 0)).toBe(true);
    expect(native.readPipe(child.fd, target)).toBe(200000 - 128 * 1024);
    expect(native.readPipe(child.fd, target)).toBe(0);
    closeSync(child.fd);
  });

  test('an empty pipe whose writer lives says EAGAIN; a closed fd its errno', async () => {
    const child = shWithPipe('exec sleep 60');
    expect(native.readPipe(child.fd, Buffer.alloc(16))).toBe(-constants.errno.EAGAIN);
    process.kill(child.pid, 'SIGKILL');
    await child.exited;
    expect(native.readPipe(child.fd, Buffer.alloc(16))).toBe(0);
    closeSync(child.fd);
    expect(native.readPipe(child.fd, Buffer.alloc(16))).toBe(-constants.errno.EBADF);
  });
});

describe('growWriteBuffer', () => {
  test('a pipe grows to what is asked, and never shrinks', async () => {
    const { pid, pidfd, pipes } = native.spawnProcess('/bin/sh', ['sh', '-c', 'exit 0'], [], [-2, -1, -1]);
    const fd = pipes[0] as number;
    expect(native.growWriteBuffer(fd, 256 * 1024)).toBeGreaterThanOrEqual(256 * 1024);
    expect(native.growWriteBuffer(fd, 4096)).toBeGreaterThanOrEqual(256 * 1024);
    closeSync(fd);
    await new Promise<void>((reaped) => {
      const watch = native.watchReadable(pidfd, () => {
        watch.close();
        closeSync(pidfd);
        native.waitpidNoHang(pid);
        reaped();
      });
      watch.start();
    });
  });

  test('a socket\'s send buffer grows as far as it may; a file is neither', async () => {
    const server = createServer();
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const client = connect(address.port, '127.0.0.1');
    await new Promise((connected) => client.once('connect', connected));
    const fd = (client as Socket & { _handle: { fd: number } })._handle.fd;
    // Past net.core.wmem_max only a privileged process (SO_SNDBUFFORCE) gets more: grown or kept, never less.
    const before = native.growWriteBuffer(fd, 0);
    expect(before).toBeGreaterThan(0);
    expect(native.growWriteBuffer(fd, 4 * before)).toBeGreaterThanOrEqual(before);
    client.destroy();
    server.close();
    const file = openSync('/proc/self/status', 'r');
    expect(native.growWriteBuffer(file, 1024 * 1024)).toBe(-constants.errno.ENOTSOCK);
    closeSync(file);
  });
});

describe('a PipeReader under readBlocks', () => {
  /** A child printing `count` lines `line` (and `last` without "\n"), with its stdout as a PipeReader. */
  function printer(line: string, count: number, last = '') {
    const script = `i=0; while [ $i -lt ${count} ]; do printf '%s\\n' '${line}'; i=$((i+1)); done; printf '%s' '${last}'`;
    const child = spawnChild('/bin/sh', ['sh', '-c', script], {}, ['ignore', 'pipe', 'ignore']);
    return { child, stdout: child.pipes[1] ?? expect.fail('no stdout pipe') };
  }

  test('lines cut between reads arrive whole and in order, the last one at the end; escapes and non-ASCII as printed', async () => {
    const line = `"é\\\\x1b" ${'x'.repeat(300)}`;
    const count = Math.ceil((3 * READ_BYTES) / line.length);
    const { child, stdout } = printer(line, count, 'end');
    const lines: string[] = [];
    // The bytes are valid during the call only: their text is taken at once.
    await readBlocks(stdout, (block) => lines.push(...block.text.split('\n').slice(0, -1))).done;
    await child.exited;
    expect(lines).toHaveLength(count + 1);
    expect(lines.slice(0, count).every((l) => l === line)).toBe(true);
    expect(lines[count]).toBe('end');
  });

  test('over LineMax a line is cut into records, as from any stream', async () => {
    const { child, stdout } = printer('y'.repeat(100), 1, 'z'.repeat(1000));
    const lines: string[] = [];
    await readBlocks(stdout, (block) => lines.push(...block.text.split('\n').slice(0, -1)), 300).done;
    await child.exited;
    expect(lines).toEqual(['y'.repeat(100), 'z'.repeat(300), 'z'.repeat(300), 'z'.repeat(300), 'z'.repeat(100)]);
  });

  test('while a sink is full the pipe is not read; once it eases every line arrives', async () => {
    const flow = new OutputFlow();
    const pressure = flow.sink();
    const { child, stdout } = printer('w'.repeat(99), 20000);
    let lines = 0;
    let filled: (() => void) | undefined;
    const full = new Promise<void>((resolve) => (filled = resolve));
    const reader = readBlocks(
      stdout,
      (block) => {
        lines += block.count;
        // The first block fills the sink: the pipe waits from the chunk it came in on.
        if (filled === undefined) return;
        pressure(true);
        filled();
        filled = undefined;
      },
      undefined,
      flow,
    );
    await full;
    expect(stdout.isPaused()).toBe(true);
    const before = lines;
    expect(before).toBeLessThan(20000);
    pressure(false);
    await reader.done;
    await child.exited;
    expect(lines).toBe(20000);
  });

  test('an exited process\'s pipe is read past the high-water mark, but not while a sink holds its most; then every line arrives', async () => {
    const flow = new OutputFlow();
    const pressure = flow.sink();
    const limit = flow.limit();
    // What it printed waits in its pipe (less than the pipe holds), read once it exited.
    const child = spawnChild('/usr/bin/seq', ['seq', '1', '30000'], {}, ['ignore', 'pipe', 'ignore']);
    await child.exited;
    const stdout = child.pipes[1] ?? expect.fail('no stdout pipe');
    const numbers: number[] = [];
    pressure(true);
    const reader = readBlocks(stdout, (block) => numbers.push(...block.text.split('\n').slice(0, -1).map(Number)), undefined, flow);
    limit(true);
    expect(stdout.isPaused()).toBe(true);
    flow.unthrottle(stdout, true);
    expect(stdout.isPaused()).toBe(true);
    limit(false);
    await reader.done;
    expect(numbers).toEqual(Array.from({ length: 30000 }, (_, i) => i + 1));
  });
});

describe('a PipeReader of lines (a service\'s standard output or error)', () => {
  /** The chunks of pipe `at` of a child running `script`, read once it exited (what it wrote waits in the pipe); copies. */
  async function chunksOf(script: string, at = 1): Promise<string[]> {
    const slots = (['ignore', 'ignore', 'ignore', 'ignore'] as const).map((slot, fd) => (fd === at ? 'pipe' : slot));
    const child = spawnChild('/bin/sh', ['sh', '-c', script], {}, slots.slice(0, Math.max(3, at + 1)));
    await child.exited;
    const pipe = child.pipes[at] ?? expect.fail('no pipe');
    const chunks: string[] = [];
    pipe.on('data', (chunk: Buffer) => chunks.push(chunk.toString('latin1')));
    const end = new Promise((ended) => pipe.once('end', ended));
    pipe.resume();
    await end;
    return chunks;
  }

  test('a chunk ends where a line does: the unfinished line goes with the next read, or alone at the end', async () => {
    expect(await chunksOf("printf 'a\\nbb\\nc'")).toEqual(['a\nbb\n', 'c']);
    expect(await chunksOf("printf 'a\\nb' >&2", 2)).toEqual(['a\n', 'b']);
  });

  test('a line cut between reads goes in behind its start: every chunk but the last ends a line, none is lost', async () => {
    const line = `${'x'.repeat(70)}é`;
    const count = Math.ceil((3 * READ_BYTES) / line.length);
    const child = spawnChild('/bin/sh', ['sh', '-c', `yes '${line}' | head -n ${count}; printf end`], {}, ['ignore', 'pipe', 'ignore']);
    const stdout = child.pipes[1] ?? expect.fail('no stdout pipe');
    const chunks: Buffer[] = [];
    stdout.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    const end = new Promise((ended) => stdout.once('end', ended));
    stdout.resume();
    await end;
    await child.exited;
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.slice(0, -1).every((chunk) => chunk.at(-1) === 0x0a)).toBe(true);
    expect(Buffer.concat(chunks).toString()).toBe(`${`${line}\n`.repeat(count)}end`);
  });

  test('a rest longer than a line held, or with a NUL, is handed on as it is', async () => {
    const long = 'z'.repeat(5000);
    expect(await chunksOf(`printf 'a\\n${long}'`)).toEqual([`a\n${long}`]);
    expect(await chunksOf("printf 'a\\nb\\000c'")).toEqual(['a\nb\0c']);
  });

  test('another pipe (the exec helper\'s reports) is handed on as read', async () => {
    expect(await chunksOf("printf 'a\\nb' >&3", 3)).toEqual(['a\nb']);
  });
});
