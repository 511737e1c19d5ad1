// Runs `unitvisor init` (the built program) as a real child process, collects its JSON event log,
// and drives it with the real client (`unitvisor VERB ... --socket S`).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { resolve, join } from 'node:path';
import { watchForInternalErrors } from './internal-errors.js';
import { followLines, parseJsonLog } from './log-follower.js';

export const CLI = resolve(import.meta.dirname, '../../dist/bin.cjs');

export interface LogLine {
  readonly time: number;
  readonly level: string;
  readonly msg: string;
  readonly unit?: string;
  readonly pid?: number;
  readonly stream?: string;
  readonly [key: string]: unknown;
}

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface Daemon {
  readonly child: ChildProcess;
  readonly socket: string;
  readonly logs: LogLine[];
  /** Runs the client with --socket set. */
  cli(...args: string[]): Promise<CliResult>;
  /** Resolves with the first log line (already seen or future) that matches. */
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, then the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  readonly exited: Promise<number | null>;
}

const running = new Set<Daemon>();

/** Stops every daemon a test left running (SIGTERM, then SIGKILL after 15 s); call in afterEach before the leak check. */
export async function stopAllDaemons(): Promise<void> {
  await Promise.all(
    [...running].map(async (d) => {
      const timer = setTimeout(() => d.child.kill('SIGKILL'), 15_000);
      await d.stop();
      clearTimeout(timer);
    }),
  );
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      watchForInternalErrors(`unitvisor ${args.join(' ')}`, `${stdout}\n${stderr}`);
      done({ stdout, stderr, code });
    });
  });
}

export async function startDaemon(unitDir: string, extraArgs: readonly string[] = [], mode: 'init' | 'up' = 'init', env: NodeJS.ProcessEnv = process.env): Promise<Daemon> {
  const socket = join(unitDir, '.control.sock');
  const args = mode === 'init' ? ['init', '--unit-path', unitDir, ...extraArgs] : ['up', unitDir, ...extraArgs];
  const child = spawn(process.execPath, [CLI, ...args, '--socket', socket, '--log-format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const follower = followLines(child, 'daemon', parseJsonLog<LogLine>, (l) => l.msg);
  const logs = follower.entries;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const daemon: Daemon = {
    child,
    socket,
    logs,
    cli: (...a) => runCli([...a, '--socket', socket]),
    waitForLog: (match, timeoutMs) => follower.waitFor(match, timeoutMs),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
  };
  running.add(daemon);
  void exited.then(() => running.delete(daemon));
  // Ready once it says so (after the control socket listens), as systemd's "systemd 252 running in system mode".
  await Promise.race([
    daemon.waitForLog((l) => /^unitvisor \S+ running in (system|user) mode/.test(l.msg)),
    exited.then((code) => Promise.reject(new Error(`daemon exited with ${code}: ${follower.stderr()}`))),
  ]);
  return daemon;
}
