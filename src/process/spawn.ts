// Spawn one Exec*= command as systemd does, through the exec helper (systemd.exec(5), systemd.service(5) Type=exec).
// posix_spawn(3) through the addon (child-spawn.ts), not child_process: libuv forks, and a fork costs what the
// supervisor's memory costs to copy and tear down again, once per service.
import { ChildProcess } from 'node:child_process';
import { readlinkSync, realpathSync } from 'node:fs';
import { userInfo } from 'node:os';
import { err, ok, type Result } from '../common/result.js';
import type { ExecCommand, ExecContext } from '../unit/model.js';
import type { Credentials } from './credentials.js';
import { loadNative, type WaitStatus } from './native.js';
import { LINE_MAX, readBlocks, readLines, type OutputStreamName } from './output.js';
import type { Lines } from '../protocol/output-block.js';
import type { OutputFlow } from './output-flow.js';
import { helperArguments, type HelperInput } from './exec-arguments.js';
import { spawnChild, spawnedPids, type SpawnedChild } from './child-spawn.js';
import { exactList } from '../common/exact-list.js';
import type { PipeReader } from './pipe-reader.js';

export { spawnedPids };
const registry = spawnedPids as Set<number>;

// While a supervisor runs, ChildProcess spawning (any library's too) is wrapped so that no Node-spawned
// pid is ever reaped by the reaper: waitpid() on it would steal libuv's exit status. The pid is
// recorded before any await. Importing the package changes nothing; the last supervisor's shutdown
// puts the original back.
const prototype = ChildProcess.prototype as unknown as { spawn(this: ChildProcess, options: unknown): unknown };
const originalSpawn = prototype.spawn;
function spawnRecorded(this: ChildProcess, options: unknown): unknown {
  const result = originalSpawn.call(this, options);
  const pid = this.pid;
  if (pid !== undefined) {
    registry.add(pid);
    this.once('exit', () => registry.delete(pid));
  }
  return result;
}

/**
 * Starts recording Node's spawns; `existingChildren` (spawned before, so Node's own: nothing is adopted
 * before a supervisor runs) are recorded at once. Returns the undo; nested calls are counted.
 */
let recorders = 0;
export function recordNodeSpawns(existingChildren: readonly number[]): () => void {
  if (recorders++ === 0) prototype.spawn = spawnRecorded;
  for (const pid of existingChildren) registry.add(pid);
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    if (--recorders === 0) prototype.spawn = originalSpawn;
  };
}

export interface SpawnParams {
  readonly command: ExecCommand;
  /** The final argv, argv[0] first, $VAR already expanded by the caller. */
  readonly argv: readonly string[];
  /** Exactly the process's environment (nothing of the supervisor's leaks in). */
  readonly environment: Readonly<Record<string, string>>;
  readonly exec: ExecContext;
  /** The unit's cgroup directory, joined before anything else runs. */
  readonly cgroup?: string | undefined;
  /** Resolved User= credentials; needed for WorkingDirectory=~. */
  readonly credentials?: Credentials | undefined;
  /** Type=exec: report whether execve() of the command itself succeeded. */
  readonly confirmExec?: boolean;
  /** Lines of StandardOutput=/StandardError=journal (or kmsg), the whole lines of each read at once. */
  readonly onOutput?: (stream: OutputStreamName, lines: Lines) => void;
  /** Holds the output pipes back while the sinks of onOutput's lines are full. */
  readonly outputFlow?: OutputFlow;
  /** The helper's own failure lines in systemd's words ("Failed at step EXEC spawning ..."), whatever stdout/stderr are. */
  readonly onDiagnostic?: (message: string) => void;
  /** RuntimeDirectory= & co. for the helper to create, and their owner. */
  readonly directories?: HelperInput['directories'];
  readonly directoryOwner?: HelperInput['directoryOwner'];
  readonly privateTmp?: HelperInput['privateTmp'];
  /** Default: the helper built with the native addon. */
  readonly helperPath?: string;
  /** Socket activation: these fds become 3, 4, ... with $LISTEN_FDS/$LISTEN_PID (the caller sets $LISTEN_FDNAMES). */
  readonly listenFds?: readonly number[];
  /** StandardInput=socket: the connection that becomes stdin (and stdout/stderr where they inherit it). */
  readonly socketFd?: number;
}

/** Type=exec: whether execve() succeeded; `errno` as the helper reported it for the failed step. */
export type ExecConfirmation = { readonly ok: true } | { readonly ok: false; readonly errno: number | undefined };

export interface SpawnedProcess {
  readonly pid: number;
  /** Resolves once the process has exited and was reaped (its stdio may still be open in descendants). */
  readonly exited: Promise<WaitStatus>;
  /** Present when `confirmExec` was asked for. */
  readonly execConfirmed: Promise<ExecConfirmation> | undefined;
  /** Resolves when every output pipe reached end of file (all writers, descendants included, closed it). */
  readonly outputDone: Promise<void>;
  /** The pipes or sockets on its stdout and stderr, as /proc/PID/fd/1 and 2 name them (they mark its descendants). */
  readonly outputNames: readonly string[];
}

export interface SpawnError {
  readonly code: string;
  readonly message: string;
}

/** How long an exit waits for more output once the pipes went quiet (a descendant may still hold them)... */
const OUTPUT_GRACE_MS = 25;
/** ...and how long, and how many bytes, at most while output keeps coming. */
const OUTPUT_READ_OUT_MS = 500;
const OUTPUT_READ_OUT_BYTES = 1024 * 1024;

// The exec helper's own failures: systemd's exit statuses 200/CHDIR … 243/CREDENTIALS (exit-status.h).
const isHelperFailure = (status: WaitStatus): boolean => status.code === 'exited' && status.status >= 200 && status.status <= 243;

/** Starts the command; the pid is registered before this returns. Never throws for OS failures. */
export function spawnExec(params: SpawnParams): Result<SpawnedProcess, SpawnError> {
  let helperPath: string;
  try {
    helperPath = params.helperPath ?? loadNative().execHelperPath;
  } catch (error) {
    return err({ code: 'ENATIVE', message: (error as Error).message });
  }
  const confirm = params.confirmExec === true;
  const diagFd = confirm ? 4 : 3;
  const plan = helperArguments({ ...params, home: homeFor(params), execFd: confirm ? 3 : undefined });
  plan.args.unshift('--diag-fd', String(diagFd));
  const listenFds = params.listenFds ?? [];
  // The sockets follow the helper's own pipes; it moves them down to 3... just before execve().
  if (listenFds.length > 0) plan.args.unshift('--listen-fds', `${diagFd + 1}:${listenFds.length}`);
  let subprocess: SpawnedChild;
  try {
    subprocess = spawnChild(helperPath, [helperPath, ...plan.args], params.environment, [...plan.stdio, ...(confirm ? ['pipe', 'pipe'] as const : ['pipe'] as const), ...listenFds]);
  } catch (error) {
    return err({ code: 'ESPAWN', message: `Failed to spawn ${params.command.path}: could not start ${helperPath}: ${(error as Error).message}` });
  }
  const pid = subprocess.pid;
  // The diagnostics pipe is close-on-exec in the helper: it ends at execve() or at the helper's exit. Waiting
  // for it keeps systemd's order: "Failed at step ..." is logged before "Main process exited".
  const [, stdout, stderr, ...extra] = subprocess.pipes;
  const diagnostics = subprocess.pipes[diagFd];
  // The callbacks the process's readers keep, taken out of `params`: a closure using `params` itself would
  // keep all of it (the environment, the argv, the exec settings) for as long as the process runs.
  const { onDiagnostic, onOutput } = params;
  const diagnosed = diagnostics ? readLines(diagnostics, (line) => onDiagnostic?.(line.replace(/^unitvisor-exec: /, ''))).done : Promise.resolve();
  const exitStatus = subprocess.exited;
  const onLines = (stream: OutputStreamName) => (lines: Lines) => onOutput?.(stream, lines);
  const flow = params.outputFlow;
  const pipes = exactList([stdout, stderr].filter((pipe): pipe is PipeReader => pipe !== null && pipe !== undefined));
  const readers = pipes.map((pipe) => readBlocks(pipe, onLines(pipe === stdout ? 'stdout' : 'stderr'), LINE_MAX, flow).done);
  let outputEnded = false;
  const outputDone = Promise.all(readers).then(() => void (outputEnded = true));
  // What a process wrote just before it exited can still be in its pipe when 'exit' fires: it belongs before
  // the exit (and the job's end) in the journal, so it is read out even while the sinks are full (a pipe's
  // worth at most). A descendant keeping the pipe open holds the exit back only briefly.
  const exited = Promise.all([exitStatus, diagnosed.catch(() => undefined)]).then(async ([status]) => {
    // Most often the pipes' end was read before the exit (the kernel closes a process's files first).
    if (!outputEnded) await readOut(pid, pipes, outputDone, flow);
    return status;
  });
  const execFd = confirm ? extra[0] : undefined;
  // A failure is reported once the helper's lines about it were (they come first in systemd's journal).
  const afterDiagnostics = async (confirmation: ExecConfirmation): Promise<ExecConfirmation> => {
    if (!confirmation.ok) await diagnosed.catch(() => undefined);
    return confirmation;
  };
  const execConfirmed = execFd ? confirmExec(pid, execFd, exited, helperPath).then(afterDiagnostics) : undefined;
  // Kept while the process runs: at its exact size (filter() grows its result as push() does).
  const outputNames = exactList(subprocess.stdioNames.slice(1).filter((name): name is string => name !== undefined));
  return ok({ pid, exited, execConfirmed, outputDone, outputNames });
}

/** Exits waiting for output a full sink holds back in their pipes, by pid: how to end the wait. */
const heldExits = new Map<number, () => void>();

/**
 * The exit of `pid` no longer waits for output a full sink holds back (its unit is being stopped): what is
 * left in its pipes is read once the sinks have room, after the exit. True when it waited: it exited.
 */
export function stopWaitingForOutput(pid: number): boolean {
  const release = heldExits.get(pid);
  release?.();
  return release !== undefined;
}

/**
 * After the process exited: reads what is left in its pipes even while the sinks are full, until they end,
 * or go quiet for OUTPUT_GRACE_MS (a descendant holds them), or the read-out's bounds are reached. Those
 * bounds count while the pipes are read: a pipe a sink holds back (it holds the most it may, the reader of
 * the log is stuck) keeps the exit waiting, as the process's last write() would have, so that its lines
 * come before the exit, none dropped; unless stopWaitingForOutput() ends the wait.
 */
async function readOut(pid: number, pipes: readonly PipeReader[], outputDone: Promise<void>, flow: OutputFlow | undefined): Promise<void> {
  for (const pipe of pipes) flow?.unthrottle(pipe, true);
  let bytes = 0;
  let quiet: NodeJS.Timeout | undefined;
  let limit: NodeJS.Timeout | undefined;
  let onData: (chunk: Buffer) => void = () => {};
  let held: PipeReader | undefined;
  const readAgain = () => {
    held = undefined;
    heldExits.delete(pid);
    quiet?.refresh();
    limit?.refresh();
  };
  await Promise.race([
    outputDone,
    new Promise<void>((done) => {
      const expire = () => {
        if (held !== undefined) return;
        held = pipes.find((pipe) => flow?.holds(pipe) === true);
        if (held === undefined) return done();
        heldExits.set(pid, done);
        held.once('resume', readAgain);
      };
      quiet = setTimeout(expire, OUTPUT_GRACE_MS);
      limit = setTimeout(expire, OUTPUT_READ_OUT_MS);
      onData = (chunk) => {
        bytes += chunk.length;
        if (bytes > OUTPUT_READ_OUT_BYTES) done();
        else quiet?.refresh();
      };
      for (const pipe of pipes) pipe.on('data', onData);
    }),
  ]);
  clearTimeout(quiet);
  clearTimeout(limit);
  held?.off('resume', readAgain);
  heldExits.delete(pid);
  for (const pipe of pipes) {
    pipe.off('data', onData);
    flow?.unthrottle(pipe, false);
  }
}

/** WorkingDirectory=~: User='s home; without User=, the manager's own (as a system manager: root's). */
function homeFor(params: SpawnParams): string | undefined {
  if (params.exec.workingDirectory?.path !== '~') return undefined;
  if (params.exec.user !== undefined) return params.credentials?.home;
  return userInfo().homedir;
}

/**
 * The helper marks the exec fd close-on-exec and writes an errno (4 bytes) when a step or execve() fails.
 * End of file without data means execve() succeeded — unless the helper died without writing: then
 * /proc/PID/exe no longer names a program (a process frees its memory before its files on exit), and the
 * exit status decides.
 */
function confirmExec(pid: number, stream: PipeReader, exited: Promise<WaitStatus>, helperPath: string): Promise<ExecConfirmation> {
  const helperReal = safeRealpath(helperPath);
  return new Promise<ExecConfirmation>((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      const data = Buffer.concat(chunks);
      if (data.length >= 4) return resolve({ ok: false, errno: data.readInt32LE(0) });
      const exe = safeReadlink(`/proc/${pid}/exe`);
      if (exe !== undefined && exe !== helperReal) return resolve({ ok: true });
      void exited.then((status) => resolve(isHelperFailure(status) ? { ok: false, errno: undefined } : { ok: true }));
    };
    // A pipe's chunk is valid during the call only (pipe-reader.ts): what is kept is a copy.
    stream.on('data', (chunk: Buffer) => chunks.push(Buffer.from(chunk)));
    stream.once('end', settle);
    stream.once('error', settle);
    stream.resume();
  });
}

function safeReadlink(path: string): string | undefined {
  try {
    return readlinkSync(path).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
