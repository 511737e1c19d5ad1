#!/usr/bin/env node
// Soak: a crash-looping service restarted 10,000 times (start limits reset between bursts), 1,000
// start/stop cycles of a 20-unit dependency graph, and 1 GB of output, through one `unitvisor init`.
// The daemon's RSS and open file descriptors are printed at start, middle and end of each phase, and
// every `Internal error` line it prints is counted (the run fails if there is one).
//
//   node bench/soak/soak.mjs [--scale 1]      (--scale 0.1: a tenth of every count, for a quick run)
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const CLI = resolve(import.meta.dirname, '../../dist/cli.js');
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
  writeFileSync(join(dir, `u${i}.service`), `[Unit]\n${deps}[Service]\nExecStart=/bin/sleep 3600\n`);
}
writeFileSync(join(dir, 'graph.target'), `[Unit]\nRequires=u19.service\nAfter=u19.service\n`);
writeFileSync(join(dir, 'flood.service'), `[Service]\nType=oneshot\nExecStart=/bin/sh -c 'head -c ${OUTPUT_BYTES} /dev/zero | tr "\\\\0" x | fold -w 200'\nTimeoutStartSec=infinity\n`);

const daemon = spawn(process.execPath, [CLI, 'init', '--unit-path', dir, '--socket', socket, '--log-format', 'json', '--target', 'graph.target'], { stdio: ['ignore', 'pipe', 'inherit'] });
let internalErrors = 0;
let pending = '';
let ready;
const readyNow = new Promise((r) => (ready = r));
daemon.stdout.setEncoding('utf8').on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (line.includes('Internal error')) {
      internalErrors++;
      process.stderr.write(`${line}\n`);
    }
    if (line.includes('running in')) ready();
  }
});
await readyNow;
const cli = async (...args) => (await run(process.execPath, [CLI, ...args, '--socket', socket], { maxBuffer: 64 * 1024 * 1024 }).catch((e) => e)).stdout ?? '';
const show = async (unit, prop) => (await cli('show', unit, '-p', prop, '--value')).trim();

const sample = (label) => {
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${daemon.pid}/status`, 'utf8'))[1]) / 1024;
  const fds = readdirSync(`/proc/${daemon.pid}/fd`).length;
  console.log(`${label.padEnd(28)} RSS ${rss.toFixed(1).padStart(7)} MiB   fds ${String(fds).padStart(4)}   internal errors ${internalErrors}`);
};
const waitUntil = async (predicate) => {
  while (!(await predicate())) await new Promise((r) => setTimeout(r, 200));
};

sample('start');

// 1. Crash loop: bursts of BURST restarts until the start limit stops them, then reset-failed.
let restarts = 0;
let reported = false;
while (restarts < RESTARTS) {
  await cli('reset-failed', 'crash.service');
  await cli('start', 'crash.service');
  await waitUntil(async () => (await show('crash.service', 'ActiveState')) === 'failed');
  restarts += Number(await show('crash.service', 'NRestarts'));
  if (!reported && restarts >= RESTARTS / 2) (sample(`restarts: ${restarts}`), (reported = true));
}
sample(`restarts: ${restarts}`);

// 2. The 20-unit graph, started and stopped as a whole.
for (let i = 1; i <= CYCLES; i++) {
  await cli('start', 'graph.target');
  await cli('stop', 'u0.service');
  if (i === Math.floor(CYCLES / 2) || i === CYCLES) sample(`graph cycles: ${i}`);
}

// 3. Output: OUTPUT_BYTES in 200-byte lines.
const flood = cli('start', 'flood.service');
await new Promise((r) => setTimeout(r, 2000));
sample('output: flowing');
await flood;
sample(`output: ${(OUTPUT_BYTES / 1e6).toFixed(0)} MB done`);

daemon.kill('SIGTERM');
await new Promise((r) => daemon.once('exit', r));
rmSync(dir, { recursive: true, force: true });
console.log(internalErrors === 0 ? 'soak: clean' : `soak: ${internalErrors} internal errors`);
process.exitCode = internalErrors === 0 ? 0 : 1;
