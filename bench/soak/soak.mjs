#!/usr/bin/env node
// Soak: a crash-looping service restarted 10,000 times (start limits reset between bursts), 1,000
// start/stop cycles of a 20-unit dependency graph, and 1 GB of output, through one `unitvisor init`.
// The daemon's RSS and open file descriptors are printed at start, middle and end of each phase, and
// every `Internal error` line it prints is counted (the run fails if there is one).
//
//   node bench/soak/soak.mjs [--scale 1]      (--scale 0.1: a tenth of every count, for a quick run)
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { call } from '../../dist/cli/client.js';

const CLI = resolve(import.meta.dirname, '../../dist/bin.cjs');
const scaleAt = process.argv.indexOf('--scale');
const scale = scaleAt > 0 ? Number(process.argv[scaleAt + 1]) : 1;
const RESTARTS = Math.round(10_000 * scale);
const CYCLES = Math.round(1_000 * scale);
const OUTPUT_BYTES = Math.round(1e9 * scale);
const BURST = 50;

const dir = mkdtempSync(join(tmpdir(), 'unitvisor-soak-'));
const socket = join(dir, 'control.sock');
writeFileSync(join(dir, 'crash.service'), `[Service]\nExecStart=/bin/false\nRestart=always\nRestartSec=0\nStartLimitIntervalSec=1h\nStartLimitBurst=${BURST}\n`);
for (let i = 0; i < 20; i++) {
  const deps = i > 0 ? `Requires=u${i - 1}.service\nAfter=u${i - 1}.service\n` : '';
  // No start rate limit: a cycle takes far less than StartLimitIntervalSec= (10 s) and would hit the default burst.
  writeFileSync(join(dir, `u${i}.service`), `[Unit]\nStartLimitIntervalSec=0\n${deps}[Service]\nExecStart=/bin/sleep 3600\n`);
}
writeFileSync(join(dir, 'graph.target'), `[Unit]\nRequires=u19.service\nAfter=u19.service\n`);
// Two halves; the flood marks its middle in a file (the event log may drop lines for a slow reader, so it cannot tell).
const half = `head -c ${Math.round(OUTPUT_BYTES / 2)} /dev/zero | tr "\\\\0" x | fold -w 200`;
writeFileSync(join(dir, 'flood.service'), `[Service]\nType=oneshot\nExecStart=/bin/sh -c '${half}; touch ${dir}/half; ${half}'\nTimeoutStartSec=infinity\n`);

const daemon = spawn(process.execPath, [CLI, 'init', '--unit-path', dir, '--socket', socket, '--log-format', 'json', '--target', 'graph.target'], { stdio: ['ignore', 'pipe', 'inherit'] });
let internalErrors = 0;
let pending = '';
/** Log lines awaited: [substring, resolve]. */
const awaited = new Set();
const logLine = (text) => new Promise((resolve) => awaited.add([text, resolve]));
const ready = logLine('running in');
daemon.stdout.setEncoding('utf8').on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (line.includes('"stream"')) continue;
    if (line.includes('Internal error')) {
      internalErrors++;
      process.stderr.write(`${line}\n`);
    }
    for (const entry of awaited) if (line.includes(entry[0])) (awaited.delete(entry), entry[1]());
  }
});
await ready;
// The client's own request function: one connection per request, no process per call.
const ask = async (request) => {
  const reply = await call(socket, request);
  if (!reply.ok) throw new Error(`${request.verb}: ${reply.message}`);
  return reply.result;
};
const job = (verb, unit) => ask({ verb, units: [unit], noBlock: false });
const show = async (unit, prop) => (await ask({ verb: 'show', units: [unit] })).units[0].properties.find(([k]) => k === prop)?.[1];

const sample = (label) => {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.pid}/status`, 'utf8'))[1]) / 1024;
  const fds = readdirSync(`/proc/${daemon.pid}/fd`).length;
  console.log(`${label.padEnd(28)} RSS ${rss.toFixed(1).padStart(7)} MiB   fds ${String(fds).padStart(4)}   internal errors ${internalErrors}`);
};

sample('start');

// 1. Crash loop: bursts of BURST restarts until the start limit stops them, then reset-failed.
let restarts = 0;
let reported = false;
while (restarts < RESTARTS) {
  await ask({ verb: 'reset-failed', units: ['crash.service'] });
  const limited = logLine('crash.service: Start request repeated too quickly.');
  await job('start', 'crash.service');
  await limited;
  restarts += Number(await show('crash.service', 'NRestarts'));
  if (!reported && restarts >= RESTARTS / 2) (sample(`restarts: ${restarts}`), (reported = true));
}
sample(`restarts: ${restarts}`);

// 2. The 20-unit graph, started and stopped as a whole.
let failedCycles = 0;
for (let i = 1; i <= CYCLES; i++) {
  const started = await job('start', 'graph.target');
  if (started.outcomes[0]?.result !== 'done') failedCycles++;
  await job('stop', 'u0.service');
  if (i === Math.floor(CYCLES / 2) || i === CYCLES) sample(`graph cycles: ${i}`);
}

// 3. Output: OUTPUT_BYTES in 200-byte lines, sampled when the flood marks its middle.
const middle = new Promise((resolve) => {
  const watcher = watch(dir, (_event, name) => name === 'half' && (watcher.close(), resolve()));
});
const flood = job('start', 'flood.service');
await middle;
sample(`output: ${(OUTPUT_BYTES / 2e6).toFixed(0)} MB`);
await flood;
sample(`output: ${(OUTPUT_BYTES / 1e6).toFixed(0)} MB done`);

daemon.kill('SIGTERM');
await new Promise((r) => daemon.once('exit', r));
rmSync(dir, { recursive: true, force: true });
const clean = internalErrors === 0 && failedCycles === 0;
console.log(clean ? 'soak: clean' : `soak: ${internalErrors} internal errors, ${failedCycles} graph starts failed`);
process.exitCode = clean ? 0 : 1;
