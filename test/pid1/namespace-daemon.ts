// Runs the built `unitvisor init` as PID 1 of a new PID namespace (`unshare --pid --fork --mount-proc`),
// as a container runtime does, collects its JSON event log and drives it with the real client.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { childrenOf, descendantsOf, readProcStat } from '../../src/process/process-tree.js';
import { CLI, runCli, type CliResult, type LogLine } from '../helpers/start-daemon.js';
import { followLines, parseJsonLog } from '../helpers/log-follower.js';

export interface NamespaceDaemon {
  /** The `unshare` process; its exit code is PID 1's (unshare --fork passes it on). */
  readonly unshare: ChildProcess;
  /** unitvisor's pid as seen from here (it is 1 inside its namespace). */
  readonly pid: number;
  readonly socket: string;
  /** Every line of the event log; unit output lines too unless `keepOutput: false` (a flood would fill the test's memory). */
  readonly logs: LogLine[];
  /** How many unit output lines went by (kept or not). */
  outputLines(): number;
  cli(...args: string[]): Promise<CliResult>;
  waitForLog(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Sends a signal to unitvisor itself, as a container runtime signals its PID 1 (not to unshare). */
  signal(signal: NodeJS.Signals): void;
  readonly exited: Promise<number | null>;
  readonly stderr: () => string;
}

export interface NamespaceOptions {
  readonly extraArgs?: readonly string[];
  /** Options for node itself (e.g. a heap limit), before the program. */
  readonly nodeArgs?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly keepOutput?: boolean;
  /** Shell commands run inside the new namespaces before init (e.g. `privateVarLib()`'s setup). */
  readonly setup?: string;
  /** The program to run (default: this checkout's dist/bin.cjs). */
  readonly program?: string;
}

const running = new Set<NamespaceDaemon>();

/**
 * Node options for a daemon whose memory a test bounds: with a small heap, output that were kept without
 * bound ends in an out-of-memory crash, whenever the garbage collector runs; within it, RSS has a ceiling.
 */
export const SMALL_HEAP = ['--max-old-space-size=128', '--max-semi-space-size=8'] as const;

export async function startInNamespace(unitDirs: readonly string[], socketDir: string, options: NamespaceOptions = {}): Promise<NamespaceDaemon> {
  const socket = join(socketDir, '.control.sock');
  const setup = options.setup === undefined ? [] : ['sh', '-c', `${options.setup} && exec "$@"`, 'sh'];
  const args = ['--pid', '--fork', '--mount-proc', ...setup, process.execPath, ...(options.nodeArgs ?? []), options.program ?? CLI, 'init', ...unitDirs.flatMap((d) => ['--unit-path', d]), '--socket', socket, '--log-format', 'json', ...(options.extraArgs ?? [])];
  const unshare = spawn('unshare', args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  let outputCount = 0;
  const follower = followLines(unshare, 'PID 1', (text) => {
    // Unit output lines carry "stream"; skip parsing them when they are not kept.
    if (options.keepOutput === false && text.includes('"stream":"std')) {
      outputCount++;
      return undefined;
    }
    const line = parseJsonLog<LogLine>(text);
    if (line?.stream !== undefined) outputCount++;
    return line;
  }, (l) => l.msg);
  const logs = follower.entries;
  const waitForLog = (match: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine> => follower.waitFor(match, timeoutMs);
  const exited = new Promise<number | null>((done) => unshare.once('exit', (code) => done(code)));
  await Promise.race([
    waitForLog((l) => /^unitvisor \S+ running in system mode as PID 1/.test(l.msg)),
    exited.then((code) => Promise.reject(new Error(`unshare exited with ${code}: ${follower.stderr()}`))),
  ]);
  const [pid] = childrenOf(unshare.pid!);
  if (pid === undefined) throw new Error('unitvisor is not running under unshare');
  const daemon: NamespaceDaemon = {
    unshare,
    pid,
    socket,
    logs,
    outputLines: () => outputCount,
    cli: (...a) => runCli([...a, '--socket', socket]),
    waitForLog,
    signal: (signal) => process.kill(pid, signal),
    exited,
    stderr: follower.stderr,
  };
  running.add(daemon);
  void exited.then(() => running.delete(daemon));
  return daemon;
}

/** afterEach, before the leak check: SIGTERM what a test left running, SIGKILL after 15 s. */
export async function stopNamespaceDaemons(): Promise<void> {
  await Promise.all(
    [...running].map(async (d) => {
      const timer = setTimeout(() => {
        try {
          process.kill(d.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, 15_000);
      try {
        d.signal('SIGTERM');
      } catch {
        // Already gone.
      }
      await d.exited;
      clearTimeout(timer);
    }),
  );
}

/** Zombies among the descendants of `pid` (host view). */
export const zombiesUnder = (pid: number): number[] => descendantsOf(pid).filter((p) => readProcStat(p)?.state === 'Z');

/** Lifecycle messages of the given units, in order, as `unit|msg`. */
export const lifecycle = (logs: readonly LogLine[], units: readonly string[]): string[] =>
  logs.filter((l) => l.unit !== undefined && units.includes(l.unit) && l.stream === undefined).map((l) => `${l.unit}|${l.msg}`);

export const expectExit = async (d: NamespaceDaemon, code: number): Promise<void> => {
  expect(await d.exited, d.stderr()).toBe(code);
};
