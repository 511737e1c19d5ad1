// Runs `unitvisor up DIR --log-format text` (the built program) as a real child process and collects
// its text event log line by line, as a terminal would show it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli, type CliResult } from './start-daemon.js';
import { followLines } from './log-follower.js';

export interface UpProcess {
  readonly child: ChildProcess;
  readonly socket: string;
  /** Every stdout line so far, timestamps removed (`Started a.service.`, `a.service[42]: hello`). */
  readonly lines: string[];
  /** Resolves with the first line (already seen or future) that matches. */
  waitForLine(match: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once `n` lines (already seen or future) match. */
  waitForLines(match: RegExp, n: number, timeoutMs?: number): Promise<void>;
  /** Runs the client against this daemon's control socket. */
  cli(...args: string[]): Promise<CliResult>;
  readonly exited: Promise<number | null>;
}

const running = new Set<UpProcess>();
const STAMP = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d\.\d{3} /;

/** Kills every `up` a test left running (SIGINT twice forces it); call in afterEach before the leak check. */
export async function stopAllUps(): Promise<void> {
  await Promise.all(
    [...running].map(async (up) => {
      up.child.kill('SIGINT');
      const timer = setTimeout(() => up.child.kill('SIGINT'), 5_000);
      await up.exited;
      clearTimeout(timer);
    }),
  );
}

/**
 * `launcher` (optional) is a command line that ends by exec'ing its arguments, e.g. `privateVarLib()`'s:
 * `up` then runs under it with the same pid.
 */
export async function startUp(dir: string, extraArgs: readonly string[] = [], env: NodeJS.ProcessEnv = process.env, launcher: readonly string[] = []): Promise<UpProcess> {
  // The socket lives apart from DIR, so that running a checked-in example writes nothing into it.
  const socketDir = mkdtempSync(join(tmpdir(), 'unitvisor-up-'));
  const socket = join(socketDir, 'control.sock');
  const command = [...launcher, process.execPath, CLI, 'up', dir, '--log-format', 'text', '--socket', socket, ...extraArgs];
  const child = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const follower = followLines(child, 'up', (line) => line.replace(STAMP, ''), (line) => line);
  const lines = follower.entries;
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const up: UpProcess = {
    child,
    socket,
    lines,
    waitForLine: (match, timeoutMs) => follower.waitFor((line) => match.test(line), timeoutMs),
    waitForLines: async (match, n, timeoutMs) => {
      // One counter over the lines already seen, then each new one, as the follower offers them in order.
      let seen = 0;
      await follower.waitFor((line) => match.test(line) && ++seen >= n, timeoutMs);
    },
    cli: (...args) => runCli([...args, '--socket', socket]),
    exited,
  };
  running.add(up);
  void exited.then(() => {
    running.delete(up);
    rmSync(socketDir, { recursive: true, force: true });
  });
  await Promise.race([
    up.waitForLine(/^unitvisor \S+ running in (system|user) mode/),
    exited.then((code) => Promise.reject(new Error(`up exited with ${code}: ${follower.stderr()}`))),
  ]);
  return up;
}

/** The index of the first line matching `match` (-1 if none), to compare the order of messages. */
export const lineIndex = (lines: readonly string[], match: RegExp): number => lines.findIndex((l) => match.test(l));
