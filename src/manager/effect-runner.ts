// Carries out a service machine's effects through process/ (spawn, kill, timers, PID files) and
// turns what the OS reports back into ServiceEvents. One runner per service unit.
import type { ProcessRun } from '../protocol/unit-info.js';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { constants } from 'node:os';
import type { TimerHandle } from '../common/clock.js';
import type { ExecCommand, ServiceSection } from '../unit/model.js';
import { expandExecArgv } from '../unit/values/exec-line.js';
import { signalName } from '../unit/values/signal.js';
import type { Effect, ProcessRole, ServiceEvent, ServiceTimer } from '../service/effects.js';
import { composeEnvironment } from '../service/environment.js';
import { foundOnUserPath } from '../process/command-lookup.js';
import { directoryEnvironment, planExecDirectories, runtimeDirectoriesToRemove } from '../service/exec-directories.js';
import { spawnExec, stopWaitingForOutput, type SpawnedProcess } from '../process/spawn.js';
import { blockLines } from '../protocol/output-block.js';
import { killUnitProcesses } from '../process/kill.js';
import { descendantsOf, readProcStat } from '../process/process-tree.js';
import type { UnitProcesses } from '../process/unit-processes.js';
import { readPidFile, guessMainPid } from '../process/main-pid.js';
import { resolveCredentials } from '../process/credentials.js';
import { loadEnvironmentFilesSync } from '../process/environment-files.js';
import { makePrivateTmp, removeDirectories } from '../process/remove-directories.js';
import type { PrivateTmp } from '../process/sandbox-options.js';
import { loadNative, type WaitStatus } from '../process/native.js';
import type { ProcessServices } from './process-services.js';
import type { ExecRun } from './properties.js';
import type { ActivationFds, UnitKindHost } from './unit-kind.js';
import type { ProbeAttempt } from '../process/probe-checks.js';
import { err, ok, type Result } from '../common/result.js';
import type { Credentials } from '../process/credentials.js';
import type { ExecContext } from '../unit/model.js';

interface PreparedCommand {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly execContext: ExecContext;
  readonly credentials: Credentials | undefined;
  readonly ident: string;
  readonly directories: ReturnType<typeof planExecDirectories>;
  readonly directoryOwner: { readonly uid: number; readonly gid: number } | undefined;
  readonly privateTmp: PrivateTmp | undefined;
  readonly listenFds: readonly number[];
  readonly socketFd: number | undefined;
}

/** sd_listen_fds(3): the sockets from fd 3 with $LISTEN_FDNAMES; StandardInput=socket takes the one connection instead. */
function passedFds(exec: ExecContext, activation: ActivationFds | undefined): { listenFds: readonly number[]; socketFd: number | undefined; env: Record<string, string> } {
  const socketFd = exec.standardInput.kind === 'socket' ? activation?.fds[0] : undefined;
  const listenFds = socketFd === undefined ? (activation?.fds ?? []) : [];
  return { listenFds, socketFd, env: listenFds.length > 0 ? { LISTEN_FDNAMES: activation?.names.join(':') ?? '' } : {} };
}

const SIGKILL = constants.signals.SIGKILL;
/** How much of a failing Exec= probe's last output line its result keeps. */
const PROBE_OUTPUT_CHARS = 200;

/** The Exec*= setting name of each phase (for status's "Process:" lines). */
const SETTING_OF = {
  condition: 'ExecCondition',
  'start-pre': 'ExecStartPre',
  start: 'ExecStart',
  'start-post': 'ExecStartPost',
  reload: 'ExecReload',
  'stop-pre': 'ExecStopPre',
  stop: 'ExecStop',
  'stop-post': 'ExecStopPost',
} as const;

export interface RecordedRun extends ExecRun {
  readonly setting: string;
  readonly role: ProcessRole;
  readonly commandLine: string;
  /** The file a bare command name ran from, when only the user's PATH has it (`up`). */
  readonly foundOnUserPath?: string;
}

/** A run as `status` lists it. */
export function processRun(r: RecordedRun): ProcessRun {
  return { setting: r.setting, pid: r.pid, commandLine: r.commandLine, code: r.code, status: r.status, ...(r.foundOnUserPath !== undefined ? { foundOnUserPath: r.foundOnUserPath } : {}) };
}

/** What the runner asks of the manager: its messages, its output, socket activation's fds. */
export type RunnerHost = Pick<UnitKindHost, 'log' | 'output' | 'activationFds'>;

export class EffectRunner {
  // Made when first needed, like watchedPids: most services at rest have no timer armed and adopted no process.
  private timers: Map<ServiceTimer, TimerHandle> | undefined;
  private readonly lastPid: Record<ProcessRole, number | undefined> = { main: undefined, control: undefined };
  private pidFileWatcher: FSWatcher | undefined;
  private watchedPids: Set<number> | undefined;
  private idleSpawn: { readonly effect: Extract<Effect, { kind: 'spawn' }>; readonly timer: TimerHandle } | undefined;
  /**
   * Runs of the current activation, oldest first; ExecRun per command for `show`. Replaced, not changed: a
   * list grown by push() keeps 16 spare slots for as long as the service runs (exact-list.ts).
   */
  runs: readonly RecordedRun[] = [];
  readonly lastRunOf = new Map<ExecCommand, ExecRun>();
  invocationId = '';
  private disposed = false;
  private privateTmp: PrivateTmp | undefined;

  constructor(
    private cfg: ServiceSection,
    private readonly services: ProcessServices,
    private readonly host: RunnerHost,
    private readonly deliver: (event: ServiceEvent) => void,
    private readonly pids: () => { main: number | undefined; control: number | undefined },
    /** The unit's processes, kept from this runner's spawn and exit events. */
    readonly processes: UnitProcesses,
  ) {
    processes.onPossiblyEmpty(() => this.checkEmpty());
  }

  updateConfig(cfg: ServiceSection): void {
    this.cfg = cfg;
  }

  /** A new activation: fresh INVOCATION_ID, and the previous runs are history. */
  beginActivation(invocationId: string): void {
    this.invocationId = invocationId;
    this.processes.begin(invocationId);
    this.runs = [];
  }

  run(effects: readonly Effect[]): void {
    for (const effect of effects) this.perform(effect);
  }

  /** After any exit: when nothing of the unit is left, the machine hears of it (cgroup empty). */
  checkEmpty(): void {
    if (!this.disposed && this.processes.isEmpty()) this.deliver({ kind: 'all-processes-gone' });
  }

  private perform(effect: Effect): void {
    switch (effect.kind) {
      case 'spawn':
        if (effect.waitForIdle) {
          // Type=idle: wait for the job queue to empty (queueIdle()), but at most 5 s (as systemd's idle pipe).
          // Waiting, this unit's own start job does not count (systemd's completes at fork, before the wait).
          this.idleSpawn?.timer.cancel();
          this.idleSpawn = { effect, timer: this.services.clock.setTimer(5_000_000, () => this.queueIdle()) };
          if (this.services.queueIsIdle()) this.queueIdle();
          return;
        }
        return this.spawn(effect);
      case 'kill':
        return this.kill(effect);
      case 'arm-timer': {
        this.timers?.get(effect.timer)?.cancel();
        const timer = effect.timer;
        (this.timers ??= new Map()).set(timer, this.services.clock.setTimer(effect.afterUsec, () => {
          this.timers?.delete(timer);
          this.deliver({ kind: 'timer-fired', timer });
        }));
        return;
      }
      case 'cancel-timer':
        this.timers?.get(effect.timer)?.cancel();
        this.timers?.delete(effect.timer);
        return;
      case 'read-pid-file':
        return this.readPidFile(effect.path, effect.watch);
      case 'unwatch-pid-file':
        this.pidFileWatcher?.close();
        this.pidFileWatcher = undefined;
        return;
      case 'guess-main-pid': {
        const pid = guessMainPid(this.processes.pids(), { controlPid: this.pids().control });
        this.deliver({ kind: 'main-pid-guessed', pid });
        return;
      }
      case 'watch-pid':
        return this.watchPid(effect.pid);
      case 'log':
        return this.host.log(effect.level, effect.message);
      case 'state-changed':
      case 'enqueue-restart':
      case 'propagate-reload':
      case 'start-limit-hit':
        // The unit kind handles these (they concern the manager, not the OS).
        return;
    }
  }

  /** The exact argv, environment and exec context a command of this unit runs with (service_spawn()'s preparation). */
  private prepare(command: ExecCommand, notifySocket: boolean, extraEnv: Readonly<Record<string, string>>, activation?: ActivationFds): Result<PreparedCommand, { message: string; cause: string }> {
    const exec = this.cfg.exec;
    const files = loadEnvironmentFilesSync(exec.environmentFiles);
    if (!files.ok) return err({ message: files.error.message.replace(/^.*: /, ''), cause: files.error.message });
    const native = loadNative();
    const privileged = command.fullPrivileges || command.privilegesMode !== 'normal';
    const unitCreds = resolveCredentials({ user: exec.user, group: exec.group, supplementaryGroups: exec.supplementaryGroups }, native);
    const creds = privileged ? undefined : unitCreds;
    const credentials = creds?.ok ? creds.value : undefined;
    const roots = this.services.directoryRoots;
    const fds = passedFds(exec, activation);
    const env = composeEnvironment({
      base: { PATH: this.services.path, LANG: this.services.environment['LANG'] },
      invocationId: this.invocationId,
      ...(credentials && exec.user !== undefined ? { user: { name: credentials.user, ...(credentials.home ? { home: credentials.home } : {}), ...(credentials.shell ? { shell: credentials.shell } : {}) } } : {}),
      environment: exec.environment,
      environmentFiles: [files.value.assignments],
      passEnvironment: { names: exec.passEnvironment, from: this.services.environment },
      unsetEnvironment: exec.unsetEnvironment,
      ...(notifySocket ? { notifySocket: this.services.notifySocketPath } : {}),
      extra: { ...fds.env, ...directoryEnvironment(exec, roots), ...extraEnv },
    });
    const argv = expandExecArgv(command, new Map(Object.entries(env)));
    const credentialed = privileged ? { ...exec, user: undefined, group: undefined, supplementaryGroups: [] } : exec;
    const execContext =
      exec.workingDirectory === undefined && this.services.defaultWorkingDirectory !== undefined
        ? { ...credentialed, workingDirectory: { path: this.services.defaultWorkingDirectory, optional: false } }
        : credentialed;
    return ok({
      argv,
      env,
      execContext,
      credentials,
      ident: exec.syslogIdentifier ?? basename(argv[0] ?? command.path),
      directories: planExecDirectories(exec, roots),
      privateTmp: this.privateTmpFor(),
      // "+" commands too make the directories the unit's User= owns (systemd resolves User= for every command).
      directoryOwner: unitCreds.ok && unitCreds.value ? { uid: unitCreds.value.uid, gid: unitCreds.value.gid } : undefined,
      listenFds: fds.listenFds,
      socketFd: fds.socketFd,
    });
  }

  /** Prepares and starts `command` as one of the unit's processes; its output goes to the journal under the unit. */
  private launch(command: ExecCommand, notifySocket: boolean, extraEnv: Readonly<Record<string, string>>, confirmExec: boolean, activation?: ActivationFds, onOutput?: (line: string) => void): Result<{ child: SpawnedProcess; argv: string[]; foundOnUserPath: string | undefined }, { message: string; cause?: string; prepared: boolean }> {
    const prepared = this.prepare(command, notifySocket, extraEnv, activation);
    if (!prepared.ok) return err({ ...prepared.error, prepared: false });
    const { argv, env, execContext, credentials, ident, directories, directoryOwner, privateTmp, listenFds, socketFd } = prepared.value;
    let pid = 0;
    const spawned = spawnExec({
      command,
      argv,
      environment: env,
      exec: execContext,
      credentials,
      cgroup: this.processes.cgroupForSpawn(),
      confirmExec,
      directories,
      directoryOwner,
      privateTmp,
      listenFds,
      ...(socketFd !== undefined ? { socketFd } : {}),
      onOutput: onOutput === undefined ? (stream, lines) => this.host.output(pid, ident, stream, lines) : (_stream, lines) => blockLines(lines.text).forEach((line) => onOutput(line)),
      // Lines for the journal wait while it (or the event log) is full; a probe's own reader takes them as they come.
      ...(onOutput === undefined ? { outputFlow: this.services.outputFlow } : {}),
      // systemd's forked child logs why it could not exec, under the unit's name; a "-" command's missing
      // executable is LOG_INFO there (exec_child(): "Executable ... missing, skipping").
      onDiagnostic: (message) => this.host.log(/^Executable .* missing, skipping: /.test(message) ? 'info' : 'error', message),
    });
    if (!spawned.ok) return err({ message: spawned.error.message, prepared: true });
    pid = spawned.value.pid;
    return ok({ child: spawned.value, argv, foundOnUserPath: foundOnUserPath(command.path, env['PATH'], this.services.path) });
  }

  private spawn(effect: Extract<Effect, { kind: 'spawn' }>): void {
    if (this.disposed) return;
    const { role, command } = effect;
    // Only the main process gets the sockets (service_spawn() with EXEC_PASS_FDS).
    const activation = role === 'main' && effect.phase === 'start' ? this.host.activationFds() : undefined;
    const launched = this.launch(command, effect.notifySocket, effect.extraEnv, effect.confirmExec, activation);
    if (!launched.ok) {
      if (launched.error.prepared) this.host.log('error', `Failed to spawn '${effect.phase}' task: ${launched.error.message}`);
      this.deliver({ kind: 'spawn-failed', role, reason: 'resources', message: launched.error.message, ...(launched.error.cause !== undefined ? { cause: launched.error.cause } : {}) });
      return;
    }
    const { child, argv, foundOnUserPath } = launched.value;
    const pid = child.pid;
    this.lastPid[role] = pid;
    this.processes.spawned(pid, child.outputNames);
    const startWallMs = this.services.clock.wallNow();
    const run: RecordedRun = { pid, startWallMs, stopWallMs: undefined, code: undefined, status: 0, setting: SETTING_OF[effect.phase], role, commandLine: argv.join(' '), ...(foundOnUserPath !== undefined ? { foundOnUserPath } : {}) };
    this.runs = this.runs.concat(run);
    this.lastRunOf.set(command, run);
    this.deliver({ kind: 'spawned', role, pid });
    void child.exited.then((status) => {
      const ended: RecordedRun = { ...run, stopWallMs: this.services.clock.wallNow(), code: status.code, status: status.status };
      this.runs = this.runs.map((r) => (r === run ? ended : r));
      if (this.lastRunOf.get(command) === run) this.lastRunOf.set(command, ended);
      this.processes.exited(pid);
      if (this.disposed) return;
      this.deliver({ kind: 'process-exited', pid, code: status.code, status: status.status });
      this.checkEmpty();
    });
    void child.execConfirmed?.then((confirmation) => {
      if (this.disposed) return;
      if (confirmation.ok) this.deliver({ kind: 'exec-confirmed', role });
      // Any step may have failed (217/USER, 233/RUNTIME_DIRECTORY, ...): the helper's exit status says which.
      else void child.exited.then((status) => {
        if (!this.disposed) this.deliver({ kind: 'exec-failed', role, path: command.path, message: errnoText(confirmation.errno), ...(status.code === 'exited' ? { status: status.status } : {}) });
      });
    });
  }

  /**
   * [X-Readiness]/[X-HealthCheck] Exec=: the command runs as the unit's processes do; exit 0 passes, and it
   * is killed at the timeout. Its output stays out of the unit's journal (a check every few seconds would
   * drown the service's own lines); the last line it printed tells why it failed.
   */
  runProbeCommand(command: ExecCommand, timeoutMs: number): Promise<ProbeAttempt> {
    if (this.disposed) return Promise.resolve({ passed: false, detail: 'unit unloaded' });
    let lastLine = '';
    const launched = this.launch(command, false, {}, false, undefined, (line) => {
      if (line.trim() !== '') lastLine = line.trim().slice(0, PROBE_OUTPUT_CHARS);
    });
    if (!launched.ok) return Promise.resolve({ passed: false, detail: launched.error.message });
    const child = launched.value.child.pid;
    // A probe that outlives its TimeoutSec= fails, and is not left running, nor is what it started (a shell's
    // child would otherwise outlive it, one more per attempt): its tree is taken before the kill re-parents it.
    const timer = setTimeout(() => {
      const tree = descendantsOf(child);
      killUnitProcesses({ mode: 'control-group', operation: 'kill', signal: SIGKILL, mainPid: child, controlPid: undefined, unitPids: () => tree });
    }, timeoutMs);
    return launched.value.child.exited.then((status) => {
      clearTimeout(timer);
      if (status.code === 'exited') return { passed: status.status === 0, detail: `exit status ${status.status}${status.status !== 0 && lastLine !== '' ? `: ${lastLine}` : ''}` };
      return { passed: false, detail: status.status === SIGKILL ? `timed out after ${timeoutMs} ms` : `killed by SIG${signalName(status.status) ?? status.status}` };
    });
  }

  private kill(effect: Extract<Effect, { kind: 'kill' }>): void {
    const resolve = (pid: number | 'spawning' | undefined, role: ProcessRole) => (pid === 'spawning' ? this.lastPid[role] : pid);
    // A process that exited while the log held its last lines back is not signalled (its pid is free again):
    // its exit is heard now.
    const alive = (pid: number | undefined) => (pid !== undefined && stopWaitingForOutput(pid) ? undefined : pid);
    const main = alive(effect.whom === 'control' ? undefined : resolve(effect.mainPid, 'main'));
    const control = alive(effect.whom === 'main' ? undefined : resolve(effect.controlPid, 'control'));
    const outcome = killUnitProcesses({
      mode: effect.whom === 'all' ? 'control-group' : 'process',
      operation: effect.signal === SIGKILL ? 'kill' : 'terminate',
      signal: effect.signal,
      mainPid: main,
      controlPid: control,
      unitPids: () => this.processes.pids(),
      sendSIGHUP: effect.sendSIGHUP,
    });
    // cgroup.kill also reaches what forks while being killed.
    if (effect.whom === 'all' && effect.signal === SIGKILL) this.processes.killGroup();
    if (effect.logKills) {
      for (const pid of outcome.signalled) {
        const comm = readProcStat(pid)?.comm ?? 'n/a';
        this.host.log('notice', `Killing process ${pid} (${comm}) with signal SIG${signalName(effect.signal) ?? effect.signal}.`);
      }
    }
    // Signals to processes that are already gone produce no exit event: look again, unless a child of
    // ours was signalled (its exit, heard by pidfd or the reaper, makes that check).
    if (effect.whom === 'all' && !outcome.signalled.some((pid) => this.processes.hasRoot(pid))) setImmediate(() => this.checkEmpty());
  }

  private readPidFile(path: string, watchUntilThere: boolean): void {
    const attempt = () =>
      void readPidFile(path, {
        belongsToUnit: (pid) => this.processes.owns(pid),
        controlPid: this.pids().control,
      }).then((result) => {
        if (this.disposed) return;
        if (result.ok) {
          this.pidFileWatcher?.close();
          this.pidFileWatcher = undefined;
          this.deliver({ kind: 'pid-file', pid: result.value });
        } else if (result.error.kind !== 'missing') {
          this.deliver({ kind: 'pid-file', pid: undefined, refusal: result.error.message });
        } else if (!watchUntilThere) {
          this.deliver({ kind: 'pid-file', pid: undefined, error: result.error.reason ?? result.error.message });
        }
      });
    if (watchUntilThere && !this.pidFileWatcher) {
      try {
        this.pidFileWatcher = watch(dirname(path), (_event, name) => {
          if (name === null || name === basename(path)) attempt();
        });
      } catch {
        // The directory does not exist: the state timeout will end the wait.
      }
    }
    attempt();
  }

  private watchPid(pid: number): void {
    if (this.watchedPids?.has(pid)) return;
    (this.watchedPids ??= new Set()).add(pid);
    // service_set_main_pid(): main_pid_alien. (unitvisor does notice its exit, through the reaper or pidfd.)
    const stat = readProcStat(pid);
    if (stat !== undefined && stat.ppid !== process.pid) {
      this.host.log('warning', `Supervising process ${pid} which is not our child. We'll most likely not notice when it exits.`);
    }
    this.services.watchAdopted(pid, (status: WaitStatus) => {
      this.watchedPids?.delete(pid);
      this.processes.exited(pid);
      if (this.disposed) return;
      this.deliver({ kind: 'process-exited', pid, code: status.code, status: status.status });
      this.checkEmpty();
    });
  }

  /** A Type=idle command waits for the job queue to empty. */
  get waitingForIdle(): boolean {
    return this.idleSpawn !== undefined;
  }

  /** The job queue is empty (or Type=idle's 5 s are over): run the command that waited for it. */
  queueIdle(): void {
    const waiting = this.idleSpawn;
    if (waiting === undefined) return;
    this.idleSpawn = undefined;
    waiting.timer.cancel();
    this.spawn(waiting.effect);
  }

  /** The service went dead, failed or auto-restart: its runtime directories go, unless preserved. */
  destroyRuntimeDirectories(willRestart: boolean): void {
    const report = (message: string) => this.host.log('warning', message);
    removeDirectories(runtimeDirectoriesToRemove(this.cfg.exec, this.services.directoryRoots, willRestart), report);
    // PrivateTmp= folders live as long as one activation (systemd: "fresh tmpdirs in case service is started again").
    if (this.privateTmp !== undefined) removeDirectories([dirname(this.privateTmp.tmp), dirname(this.privateTmp.varTmp)], report);
    this.privateTmp = undefined;
  }

  /** PrivateTmp=: /tmp and /var/tmp of this activation, shared by all its commands, made on first use. */
  private privateTmpFor(): PrivateTmp | undefined {
    if (!this.cfg.exec.privateTmp) return undefined;
    this.privateTmp ??= makePrivateTmp(this.invocationId);
    return this.privateTmp;
  }

  /** SIGKILL to everything left of the unit (the forced shutdown); nothing to do for a unit known to be empty. */
  killAll(): void {
    const { main, control } = this.pids();
    if (main === undefined && control === undefined && this.processes.isEmpty()) return;
    killUnitProcesses({ mode: 'control-group', operation: 'kill', signal: SIGKILL, mainPid: main, controlPid: control, unitPids: () => this.processes.pids() });
    this.processes.killGroup();
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers?.values() ?? []) timer.cancel();
    this.timers?.clear();
    this.idleSpawn?.timer.cancel();
    this.idleSpawn = undefined;
    this.pidFileWatcher?.close();
    for (const pid of this.watchedPids ?? []) this.services.unwatchAdopted(pid);
    this.processes.dispose();
  }
}

/** strerror() for the errno the exec helper reported. */
function errnoText(errno: number | undefined): string {
  const texts: Readonly<Record<number, string>> = { 2: 'No such file or directory', 13: 'Permission denied', 8: 'Exec format error', 20: 'Not a directory', 40: 'Too many levels of symbolic links' };
  return errno === undefined ? 'Unknown error' : (texts[errno] ?? `errno ${errno}`);
}
