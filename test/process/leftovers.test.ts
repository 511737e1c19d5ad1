// leftovers.ts: supervisors that boot at once (test files run in parallel) each sweep the state directory;
// none fails on a record another removed first, and a gone supervisor's processes are killed by one of them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, expect, onTestFinished, test } from 'vitest';
import { expectNoLeakedProcesses, ownerEnvironment } from '../helpers/processes.js';

afterEach(expectNoLeakedProcesses);

const LEFTOVERS = resolve(import.meta.dirname, '../../dist/process/leftovers.js');
const hex = (i: number): string => i.toString(16).padStart(16, '0');

interface Sweep {
  /** Resolves once it loaded and waits for `go`. */
  readonly ready: Promise<void>;
  readonly result: Promise<{ code: number | null; killed: readonly number[]; err: string }>;
}

/** A process that says it is ready, runs `sweepLeftovers(dir)` once `go` exists, and prints the pids it killed. */
function sweeper(dir: string, go: string): Sweep {
  const script = `
    const { existsSync } = await import('node:fs');
    const { sweepLeftovers } = await import(${JSON.stringify(LEFTOVERS)});
    console.log('ready');
    while (!existsSync(${JSON.stringify(go)})) await new Promise((r) => setImmediate(r));
    console.log(JSON.stringify(sweepLeftovers(${JSON.stringify(dir)}).map((k) => k.pid)));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let ready = () => {};
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) ready();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const result = new Promise<{ code: number | null; killed: readonly number[]; err: string }>((done) =>
    child.once('close', (code) => done({ code, killed: code === 0 ? (JSON.parse(out.slice('ready\n'.length)) as number[]) : [], err })),
  );
  return { ready: Promise.race([new Promise<void>((r) => (ready = r)), result.then(() => undefined)]), result };
}

test('supervisors that sweep at once: none fails, each gone supervisor\'s leftover is killed once, each records itself', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-leftovers-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const pidNamespace = readlinkSync('/proc/self/ns/pid');
  // Records of 400 gone supervisors (this process's pid, another start time), 10 of which left a process behind.
  for (let i = 1; i <= 400; i++) writeFileSync(join(dir, `${100000 + i}.json`), JSON.stringify({ pid: process.pid, startTime: -1, pidNamespace, prefix: hex(i) }));
  const left = Array.from({ length: 10 }, (_, i) =>
    spawn('/bin/sleep', ['1000'], { stdio: 'ignore', env: { ...ownerEnvironment(), INVOCATION_ID: hex(i * 40 + 1) + hex(7) } }),
  );
  const gone = left.map((child) => new Promise((done) => child.once('exit', done)));
  const go = join(dir, 'go');
  const sweeps = Array.from({ length: 4 }, () => sweeper(dir, go));
  // All of them sweep from the same moment on.
  await Promise.all(sweeps.map((s) => s.ready));
  writeFileSync(go, '');
  const results = await Promise.all(sweeps.map((s) => s.result));
  for (const r of results) expect(r.code, r.err).toBe(0);
  const byNumber = (a: number, b: number) => a - b;
  expect(results.flatMap((r) => r.killed).sort(byNumber)).toEqual(left.map((child) => child.pid as number).sort(byNumber));
  await Promise.all(gone);
  // Only the sweepers' own records are left.
  expect(readdirSync(dir).filter((name) => name.endsWith('.json')).length).toBe(4);
});
