// The event log's look: text by default (JSON only when asked), colours per unit that never collide
// among the first units, and NO_COLOR / FORCE_COLOR as Node honours them.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, onTestFinished, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { CLI, runCli } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { createEventLog, UNIT_COLOURS } from '../../src/daemon/event-log.js';
import { logStyle } from '../../src/daemon/log-style.js';

describe('logStyle', () => {
  test.each([
    ['a terminal', undefined, true, {}, { format: 'text', colour: true }],
    ['a pipe (npm start | tee, docker logs)', undefined, false, {}, { format: 'text', colour: false }],
    ['--log-format json', 'json', true, { FORCE_COLOR: '1' }, { format: 'json', colour: false }],
    ['NO_COLOR on a terminal', undefined, true, { NO_COLOR: '1' }, { format: 'text', colour: false }],
    ['an empty NO_COLOR', undefined, true, { NO_COLOR: '' }, { format: 'text', colour: true }],
    ['FORCE_COLOR on a pipe', 'text', false, { FORCE_COLOR: '1' }, { format: 'text', colour: true }],
    ['FORCE_COLOR beats NO_COLOR', undefined, false, { FORCE_COLOR: '', NO_COLOR: '1' }, { format: 'text', colour: true }],
    ['FORCE_COLOR=0 on a terminal', undefined, true, { FORCE_COLOR: '0' }, { format: 'text', colour: false }],
    ['FORCE_COLOR=false', undefined, true, { FORCE_COLOR: 'false' }, { format: 'text', colour: false }],
  ] as const)('%s', (_name, asked, tty, env, expected) => {
    expect(logStyle(asked, tty, env)).toEqual(expected);
  });
});

test('each of the first units that print gets a colour of its own, and keeps it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-colours-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'out');
  const fd = openSync(file, 'w');
  const log = createEventLog({ format: 'text', fd, colour: true });
  // Names chosen to collide under any small hash: same length, same letters.
  const units = ['ab.service', 'ba.service', 'web.service', 'api.service', 'db.service', 'bd.service', 'q1.service', '1q.service', 'x.service', 'y.service', 'z.service', 'w.service'];
  for (const [i, unit] of [...units, ...units].entries()) log.write({ kind: 'output', time: 0, unit, pid: 100 + i, ident: 'sh', stream: 'stdout', line: 'hi' });
  await log.drain();
  closeSync(fd);
  const colourOf = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').trimEnd().split('\n')) {
    const m = /\x1b\[(\d+)m([\w.]+)\[\d+\]:\x1b\[0m hi$/.exec(line);
    expect(m, line).not.toBeNull();
    const [, colour, unit] = m as RegExpExecArray;
    expect(colourOf.get(unit as string) ?? colour).toBe(colour);
    colourOf.set(unit as string, colour as string);
  }
  expect(new Set(units.map((u) => colourOf.get(u))).size).toBe(Math.min(units.length, UNIT_COLOURS.length));
});

test('the JSON log on a file: pino\'s lines, every one in order across many writes, debug lines only with --debug', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-json-log-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const linesOf = async (debug: boolean): Promise<string[]> => {
    const file = join(dir, `out-${debug}`);
    const fd = openSync(file, 'w');
    const log = createEventLog({ format: 'json', fd, debug });
    log.write({ kind: 'log', time: 1, level: 'notice', msg: 'unitvisor running' });
    log.write({ kind: 'log', time: 2, level: 'warning', msg: 'Say "hi" \\ é', unit: 'a.service' });
    log.write({ kind: 'state', time: 3, unit: 'a.service', old: 'inactive', new: 'activating', oldSub: 'dead', sub: 'start', result: 'success' });
    log.write({ kind: 'job', time: 4, unit: 'a.service', id: 7, type: 'start', step: 'installed' });
    // Several turns of the event loop, each one batch of more than one write's worth.
    for (let turn = 0; turn < 4; turn++) {
      for (let i = 0; i < 5000; i++) log.write({ kind: 'output', time: 5, unit: 'a.service', pid: 42, ident: 'sh', stream: 'stderr', line: `line ${turn * 5000 + i} ${'x'.repeat(60)}` });
      await new Promise((done) => setImmediate(done));
    }
    log.write({ kind: 'log', time: 6, level: 'error', msg: 'last' });
    await log.drain();
    closeSync(fd);
    return readFileSync(file, 'utf8').trimEnd().split('\n');
  };
  const plain = await linesOf(false);
  expect(plain.slice(0, 2)).toEqual(['{"level":"info","time":1,"msg":"unitvisor running"}', '{"level":"warn","time":2,"unit":"a.service","msg":"Say \\"hi\\" \\\\ é"}']);
  expect(plain.at(-1)).toBe('{"level":"error","time":6,"msg":"last"}');
  const output = plain.slice(2, -1);
  expect(output).toHaveLength(20000);
  output.forEach((line, i) => expect(line).toBe(`{"level":"info","time":5,"unit":"a.service","pid":42,"stream":"stderr","msg":"line ${i} ${'x'.repeat(60)}"}`));
  const debug = await linesOf(true);
  expect(debug.slice(2, 4)).toEqual([
    '{"level":"debug","time":3,"unit":"a.service","old":"inactive","new":"activating","sub":"start","result":"success","msg":"a.service: Changed dead -> start"}',
    '{"level":"debug","time":4,"unit":"a.service","job":7,"type":"start","step":"installed","msg":"a.service: Job 7 a.service/start installed"}',
  ]);
  expect(debug).toHaveLength(plain.length + 2);
});

test('a large block that needs escaping (written on its own) stays in order with the short lines batched before and after it, in both formats', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-json-log-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  // A quote in every line: no native framing, so the block's lines are made as text, and there are enough of them to be handed on at once.
  const big = Array.from({ length: 2000 }, (_, i) => `big ${i} "quoted"`);
  for (const format of ['json', 'text'] as const) {
    const file = join(dir, `out-${format}`);
    const fd = openSync(file, 'w');
    const log = createEventLog({ format, fd });
    const source = { time: 5, unit: 'a.service', pid: 42, ident: 'sh', stream: 'stdout' } as const;
    log.output({ ...source, count: 1, text: 'before\n', bytes: undefined });
    log.output({ ...source, count: big.length, text: `${big.join('\n')}\n`, bytes: undefined });
    log.output({ ...source, count: 1, text: 'after\n', bytes: undefined });
    await log.drain();
    closeSync(fd);
    const messages = readFileSync(file, 'utf8').trimEnd().split('\n').map((line) => (format === 'json' ? (JSON.parse(line) as { msg: string }).msg : line.slice(line.indexOf(']: ') + 3)));
    expect(messages).toEqual(['before', ...big, 'after']);
  }
});

test('a JSON log whose file cannot be written ends, and says it is drained: the supervisor carries on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-json-log-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'out'), '');
  const fd = openSync(join(dir, 'out'), 'r'); // write() fails with EBADF
  const log = createEventLog({ format: 'json', fd });
  log.write({ kind: 'log', time: 1, level: 'info', msg: 'nowhere to go' });
  await expect(log.drain()).resolves.toBeUndefined();
  log.write({ kind: 'log', time: 2, level: 'info', msg: 'still nowhere' });
  await expect(log.drain()).resolves.toBeUndefined();
  closeSync(fd);
  expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('');
});

afterEach(expectNoLeakedProcesses);

test('`up` with stdout on a pipe prints text, without colours, unless JSON is asked for', async () => {
  const units = useTmpUnits({ 'one.service': '[Service]\nType=oneshot\nExecStart=/bin/echo hello\n' });
  const child = spawn(process.execPath, [CLI, 'up', units.dir, '--socket', join(units.dir, 'c.sock')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined } });
  let out = '';
  await new Promise<void>((done) => child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((out += chunk), out.includes('Finished one.service.') && done())));
  child.kill('SIGTERM');
  await new Promise((done) => child.once('exit', done));
  expect(out).toMatch(/^\w{3} \d{2} [\d:.]+ one\.service\[\d+\]: hello$/m);
  expect(out).not.toContain('\x1b[');
  expect(out).not.toContain('{"');
});

test('a reader of stdout that goes away (EPIPE) ends the log, not the supervisor', async () => {
  const units = useTmpUnits({
    'one.service': '[Service]\nType=oneshot\nExecStart=/bin/echo hello\n',
    'two.service': '[Service]\nType=oneshot\nExecStart=/bin/echo into the void\n',
  });
  const socket = join(units.dir, 'c.sock');
  const child = spawn(process.execPath, [CLI, 'up', units.dir, '--socket', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  let out = '';
  await new Promise<void>((done) => child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((out += chunk), out.includes('Finished one.service.') && done())));
  child.stdout.destroy();
  const started = await runCli(['--socket', socket, 'start', 'two.service']);
  expect(started.code, started.stderr).toBe(0);
  expect((await runCli(['--socket', socket, 'is-active', 'two.service'])).stdout).toBe('inactive\n');
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(err).toBe('');
  expect(code).toBe(0);
});
