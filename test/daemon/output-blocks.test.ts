// A service's output through the daemon, read and formatted a block of lines at a time: every line of
// the event log (JSON and text) and of the journal is what formatting that line alone gives, whatever
// the line holds (escapes, controls, CRs, NULs, invalid UTF-8, lines over LineMax) and wherever the
// pipe's reads cut it.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { CLI, runCli } from '../helpers/start-daemon.js';
import { useTmpUnits } from '../helpers/use-tmp-units.js';
import { printableMessage } from '../../src/common/printable.js';
import { LINE_MAX } from '../../src/process/output.js';

afterEach(expectNoLeakedProcesses);

/** Writes its output in pieces of odd sizes (so that reads cut lines anywhere), waiting for the pipe to drain. */
const PRINTER = `
const parts = [];
for (let i = 0; i < 20000; i++) parts.push(Buffer.from('plain line ' + i + '\\n'));
parts.push(Buffer.from('say "hi" \\\\ back\\tslash\\n'), Buffer.from('x'.repeat(${LINE_MAX} + 10848) + '\\n'));
parts.push(Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x0a]), Buffer.from('crlf\\r\\n'), Buffer.from('a\\0b\\n'), Buffer.from('\\x1b[31mred\\x1b[0m\\n'));
parts.push(Buffer.from('é ünïcode \\u2028 😀\\n'), Buffer.from('\\n'));
for (let i = 0; i < 5000; i++) parts.push(Buffer.from('tail ' + i + '\\n'));
const all = Buffer.concat(parts);
let at = 0;
const step = () => {
  while (at < all.length) {
    const size = 1 + ((at * 7919) % 30000);
    const ok = process.stdout.write(all.subarray(at, (at += size)));
    if (!ok) return void process.stdout.once('drain', step);
  }
};
step();
`;

const expectedLines = (): string[] => [
  ...Array.from({ length: 20000 }, (_, i) => `plain line ${i}`),
  'say "hi" \\ back\tslash',
  'x'.repeat(LINE_MAX),
  'x'.repeat(10848),
  'bad\ufffd\ufffd',
  'crlf\r',
  'a',
  'b',
  '\x1b[31mred\x1b[0m',
  'é ünïcode \u2028 😀',
  '',
  ...Array.from({ length: 5000 }, (_, i) => `tail ${i}`),
];

/** Runs the daemon on the units in `dir`, and `meanwhile` once it runs; resolves once the daemon exited, with its stdout and what `meanwhile` gave. */
async function runDaemon<T>(dir: string, format: 'json' | 'text', meanwhile: (socket: string) => Promise<T>): Promise<{ out: string; result: T }> {
  const socket = join(dir, '.control.sock');
  const child = spawn(process.execPath, [CLI, 'init', '--unit-path', dir, '--socket', socket, '--log-format', format], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const ended = new Promise((done) => child.stdout.once('end', done));
  await expect.poll(() => out.includes('running in'), { timeout: 60_000 }).toBe(true);
  const result = await meanwhile(socket);
  child.kill('SIGTERM');
  await ended;
  return { out, result };
}

/** Starts `unit`, a oneshot service, and waits until it finished. */
async function startOneshot(unit: string, socket: string): Promise<void> {
  const started = await runCli(['start', unit, '--socket', socket]);
  expect(started.code, started.stderr).toBe(0);
}

/** Runs the daemon with the printer as a oneshot service; resolves with its stdout once the service finished and the daemon exited. */
async function runPrinter(format: 'json' | 'text'): Promise<{ out: string; journal: string[] }> {
  const units = useTmpUnits({ 'printer.mjs': PRINTER, 'edge.service': '' });
  units.write('edge.service', `[Service]\nType=oneshot\nExecStart=${process.execPath} ${join(units.dir, 'printer.mjs')}\n`);
  const { out, result: journal } = await runDaemon(units.dir, format, async (socket) => {
    await startOneshot('edge.service', socket);
    const logs = await runCli(['logs', '-u', 'edge.service', '-n', '12', '--json', '--socket', socket]);
    return logs.stdout.trimEnd().split('\n');
  });
  return { out, journal };
}

test('the JSON event log holds every line as JSON.stringify writes it, and the journal keeps the last ones exactly', async () => {
  const { out, journal } = await runPrinter('json');
  const lines = out.split('\n').filter((line) => line.includes('"unit":"edge.service","pid":'));
  const head = /^\{"level":"info","time":\d+,"unit":"edge\.service","pid":\d+,"stream":"stdout","msg":/;
  const messages = lines.map((line) => {
    expect(line).toMatch(head);
    const msg = (JSON.parse(line) as { msg: string }).msg;
    expect(line).toBe(`${head.exec(line)?.[0]}${JSON.stringify(msg)}}`);
    return msg;
  });
  expect(messages).toEqual(expectedLines());
  const kept = journal.map((line) => JSON.parse(line) as { unit?: string; line?: string }).filter((e) => e.line !== undefined);
  expect(kept.map((e) => e.line)).toEqual(expectedLines().slice(-kept.length));
  expect(kept.length).toBeGreaterThan(5);
}, 120_000);

test('the text event log shows every line as journalctl would, a blob where it prints none', async () => {
  const { out } = await runPrinter('text');
  const messages = out
    .split('\n')
    .map((line) => /^\w{3} \d{2} [\d:.]+ edge\.service\[\d+\]: (.*)$/s.exec(line)?.[1])
    .filter((msg): msg is string => msg !== undefined);
  // A CR or a U+2028 inside a line is shown as it is: the line is split here only at "\n".
  expect(messages).toEqual(expectedLines().map((line) => printableMessage(line)));
}, 120_000);

test('a read of short lines framed larger than the log holds for a stuck reader arrives whole: 256 KiB of empty lines, all of them', async () => {
  const units = useTmpUnits({ 'short.service': "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'head -c 262144 /dev/zero | tr \"\\\\\\\\0\" \"\\\\\\\\n\"'\n" });
  const { out } = await runDaemon(units.dir, 'json', (socket) => startOneshot('short.service', socket));
  const lines = out.split('\n');
  const isPrinted = (line: string) => line.includes('"unit":"short.service","pid":') && line.endsWith('"stream":"stdout","msg":""}');
  expect(lines.filter(isPrinted)).toHaveLength(262_144);
  // The supervisor's own messages were not dropped meanwhile, and came after the lines, as in systemd's journal.
  const finished = lines.findIndex((line) => line.includes('"msg":"Finished short.service."'));
  expect(finished).toBeGreaterThan(lines.findLastIndex(isPrinted));
}, 120_000);
