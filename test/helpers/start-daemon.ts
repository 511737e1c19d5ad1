// Runs `unitvisor init` (the built program) as a real child process, collects its JSON event log,
// and drives it with the real client (`unitvisor VERB ... --socket S`).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { resolve, join } from 'node:path';
import { watchForInternalErrors } from './internal-errors.js';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

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
  const logs: LogLine[] = [];
  const waiters: { match: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      watchForInternalErrors('daemon', text);
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        continue;
      }
      logs.push(line);
      for (const w of [...waiters]) if (w.match(line)) (waiters.splice(waiters.indexOf(w), 1), w.resolve(line));
    }
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    watchForInternalErrors('daemon stderr', chunk);
    stderr += chunk;
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const daemon: Daemon = {
    child,
    socket,
    logs,
    cli: (...a) => runCli([...a, '--socket', socket]),
    waitForLog(match, timeoutMs = 20_000) {
      const seen = logs.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error(`no matching log line within ${timeoutMs} ms; log:\n${logs.map((l) => l.msg).join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push({ match, resolve: (l) => (clearTimeout(timer), ok(l)) });
      });
    },
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
    exited.then((code) => Promise.reject(new Error(`daemon exited with ${code}: ${stderr}`))),
  ]);
  return daemon;
}
