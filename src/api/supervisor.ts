// Supervisor: the public in-process API. The daemon and integration tests boot the same engine
// through it: load unit files (from disk or inline texts), start and stop units, read states
// and output, await states, and shut down leaving no process behind.
import type { OutputFlow } from '../process/output-flow.js';
import { chmodSync, mkdtempSync, rmdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { constants as osConstants, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { realClock, type Clock } from '../common/clock.js';
import type { ActiveState } from '../unit/active-state.js';
import type { JournalEntry, ManagerEvent } from '../protocol/events.js';
import type { OutputBlock } from '../protocol/output-block.js';
import type { JobOutcome } from '../protocol/results.js';
import type { JobInfo, TreeNode, UnitInfo } from '../protocol/unit-info.js';
import type { JobVerb } from '../protocol/protocol.js';
import { Manager, type ManagerOptions, type ReloadReport } from '../manager/manager.js';
import { resolveUnitPath } from '../unit/search-path.js';
import { generatorOutput, SYSTEM_GENERATOR_DIRS, withGeneratorOutput } from '../unit/generators.js';
import { runGenerators, type GeneratorOptions } from '../process/run-generators.js';
import { hostSpecifierContext } from '../process/host-facts.js';
import { sweepLeftovers } from '../process/leftovers.js';
import { virtualization } from '../manager/conditions.js';
import { SYSTEM_DIRECTORY_ROOTS, userDirectoryRoots, type DirectoryRoots } from '../service/exec-directories.js';
import { JobHistory } from '../manager/job-history.js';
import type { DryRunReport, SystemSnapshot, SystemState, WhyReport } from '../protocol/analysis.js';
import { systemState } from '../analyze/system-state.js';
import { unitSnapshot } from '../analyze/snapshot.js';
import { explain } from '../analyze/why.js';
import type { WatchSpec } from '../unit/watch-spec.js';

export type { ActiveState, DirectoryRoots, JobOutcome, JobInfo, ManagerEvent, JournalEntry, ReloadReport, TreeNode, UnitInfo };

export interface BootOptions {
  /** Unit directories, highest priority first. Default: systemd's search path (or UNITVISOR_UNIT_PATH). */
  readonly unitPath?: readonly string[];
  /**
   * Unit files given as texts, by file name (`{ 'db.service': '[Service]\nExecStart=...' }`; drop-ins as
   * `'db.service.d/override.conf'`). They are written to a private directory searched before `unitPath`.
   */
  readonly units?: Readonly<Record<string, string>>;
  /** The manager's own environment (PassEnvironment= reads it). Default: process.env. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Where the notify socket lives. Default: a private temporary directory. */
  readonly runtimeDir?: string;
  /**
   * Where RuntimeDirectory=, StateDirectory=, CacheDirectory=, LogsDirectory= and ConfigurationDirectory=
   * are made. Default: /run, /var/lib, /var/cache, /var/log, /etc as root; the XDG folders otherwise.
   */
  readonly directoryRoots?: DirectoryRoots;
  /**
   * Run systemd.generator(7) executables at boot and at every reload, their output folders joining the
   * search path (`init` over the default search path does). Default folders: systemd's.
   */
  readonly generators?: { readonly dirs?: readonly string[]; readonly outputRoot?: string };
  /** Booting systemd's own search path: systemd's own units are run, stood in for or skipped by unitvisor's table. */
  readonly standInForSystemd?: boolean;
  /** Lines of output and messages kept per unit. Default 1000. */
  readonly journalLinesPerUnit?: number;
  /** A directory for a rotating journal file (unitvisor-journal.jsonl). */
  readonly journalDir?: string;
  readonly clock?: Clock;
  /** Also emit debug-level messages ("Main process exited ... (success)", job steps), as systemd's LogLevel=debug. */
  readonly debug?: boolean;
  /**
   * The PATH services get, where a bare command name (`ExecStart=node server.mjs`) is looked up.
   * Default: systemd's fixed `/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
   * `unitvisor up` passes the user's PATH.
   */
  readonly path?: string;
  /** Units without WorkingDirectory= run here (systemd's default is "/"); `unitvisor up DIR` passes DIR. */
  readonly workingDirectory?: string;
  /** Where state outlives the supervisor: Persistent= timers keep their last trigger in `timers/stamp-NAME`. Default: none kept. */
  readonly stateDirectory?: string;
  /**
   * Backpressure for services' output: a slow consumer of the events (`flow.sink()` reports whether it is
   * full, `flow.limit()` whether it holds the most it may) holds the services' pipes back (past its limit
   * those of exited processes too), so their write() waits rather than a line being lost.
   */
  readonly outputFlow?: OutputFlow;
}

export interface WaitForOptions {
  /** Milliseconds; default 10 000. */
  readonly timeout?: number;
}

export interface EnqueueResult {
  /** What is known right after the request: queued, refused or nothing to do. */
  readonly queued: JobOutcome;
  /** Settles when the job finishes (or at once when it was not queued). */
  readonly finished: Promise<JobOutcome>;
}

/** Thrown by the awaiting helpers (start, stop, ...) when a job does not succeed. */
export class JobFailedError extends Error {
  readonly code = 'ERR_UNITVISOR_JOB_FAILED';
  constructor(readonly outcome: JobOutcome) {
    super(
      outcome.kind === 'refused'
        ? outcome.message
        : outcome.kind === 'finished'
          ? `Job for ${outcome.unit} finished with result '${outcome.result}' (service result '${outcome.serviceResult}').`
          : `Job for ${outcome.unit} did not run.`,
    );
  }
}

/**
 * The service manager, in-process: the same engine as `unitvisor init` and `unitvisor up`.
 *
 * @example
 * ```ts
 * import { afterEach, test } from 'vitest';
 * import { Supervisor } from 'unitvisor';
 *
 * let sv: Supervisor | undefined;
 * // Runs after a failed or timed-out test too: nothing outlives the test.
 * afterEach(async () => sv?.shutdown());
 *
 * test('the app talks to its database', async () => {
 *   sv = await Supervisor.boot({ unitPath: ['./units'], workingDirectory: '.' });
 *   await sv.start('db.service');                      // resolves once the job is done
 *   await sv.waitFor('db.service', 'active', { timeout: 5000 });
 *   // ... exercise the app; sv.show('db.service').MainPID, sv.output('db.service') ...
 * });
 * ```
 */
export class Supervisor {
  private readonly history = new JobHistory();
  /** When the engine booted: the zero of `analyze` times (systemd's userspace timestamp). */
  readonly bootTime = Date.now();
  private stopping = false;

  private constructor(
    private readonly manager: Manager,
    private readonly privateDirs: readonly string[],
    private readonly generators: GeneratorOptions | undefined,
  ) {
    manager.events.subscribe((event) => this.history.record(event), () => undefined, true);
  }

  /**
   * Loads the units (from `unitPath` and/or inline `units` texts) and starts the process machinery
   * (notify socket, reaper); starts no unit. Problems in unit files do not throw: see {@link diagnostics}.
   */
  static async boot(options: BootOptions = {}): Promise<Supervisor> {
    const privateDirs: string[] = [];
    const inlineDir = options.units ? writeInlineUnits(options.units) : undefined;
    if (inlineDir) privateDirs.push(inlineDir);
    const runtimeDir = options.runtimeDir ?? publicTempDir('unitvisor-run-');
    if (!options.runtimeDir) privateDirs.push(runtimeDir);
    const env = options.environment ?? process.env;
    const searched = [
      ...(inlineDir ? [inlineDir] : []),
      ...(options.unitPath ?? (inlineDir ? [] : resolveUnitPath({ env }))),
    ];
    const generators = options.generators && generatorOptions(options.generators);
    const generated = generators ? await runGenerators(generators) : [];
    const unitPath = generators ? withGeneratorOutput(searched, generators.output) : searched;
    const managerOptions: ManagerOptions = {
      unitPath,
      clock: options.clock ?? realClock,
      environment: env,
      runtimeDir,
      directoryRoots: options.directoryRoots ?? defaultDirectoryRoots(env),
      journalLinesPerUnit: options.journalLinesPerUnit ?? 1000,
      ...(options.journalDir !== undefined ? { journalDir: options.journalDir } : {}),
      ...(options.workingDirectory !== undefined ? { workingDirectory: options.workingDirectory } : {}),
      ...(options.path !== undefined ? { path: options.path } : {}),
      debug: options.debug === true,
      standInForSystemd: options.standInForSystemd === true,
      ...(options.stateDirectory !== undefined ? { stateDirectory: options.stateDirectory } : {}),
      ...(options.outputFlow !== undefined ? { outputFlow: options.outputFlow } : {}),
    };
    // Before anything starts: what a supervisor killed with SIGKILL left running goes now.
    const leftovers = sweepLeftovers();
    const manager = await Manager.create(managerOptions);
    for (const m of generated) manager.log(m.level, m.msg);
    for (const l of leftovers) manager.log('warning', `Killed process ${l.pid} (${l.comm}) left behind by unitvisor ${l.supervisorPid}, which died without stopping its units.`);
    return new Supervisor(manager, privateDirs, generators);
  }

  /** Every load problem, as `file:line: message` (what `systemd-analyze verify` prints). */
  get diagnostics(): readonly string[] {
    return this.manager.diagnostics();
  }

  /**
   * Queues a job as `systemctl VERB UNIT` does (one transaction) without waiting for it; see
   * {@link EnqueueResult}. Never throws for a refused request: the outcome says why.
   */
  enqueue(verb: JobVerb, unit: string): EnqueueResult {
    return this.manager.enqueue(verb, unit);
  }

  /**
   * Starts a unit (and what it requires, in dependency order) and waits for the job: for Type=notify
   * until READY=1, for a oneshot until it finished. Rejects with {@link JobFailedError} when the job
   * does not end 'done' (a failed start, a failed dependency, an unknown unit).
   */
  start(unit: string): Promise<JobOutcome> {
    return this.run('start', unit);
  }

  /** Stops a unit (and the units that require it) and waits until it is inactive or failed. */
  stop(unit: string): Promise<JobOutcome> {
    return this.run('stop', unit);
  }

  /** Stops then starts a unit (starts it if it was not running), as `systemctl restart`; waits for the job. */
  restart(unit: string): Promise<JobOutcome> {
    return this.run('restart', unit);
  }

  /** Runs the unit's ExecReload= (`systemctl reload`); rejects when the unit cannot reload. Not daemon-reload: see {@link reload}. */
  reloadUnit(unit: string): Promise<JobOutcome> {
    return this.run('reload', unit);
  }

  private async run(verb: JobVerb, unit: string): Promise<JobOutcome> {
    const outcome = await this.enqueue(verb, unit).finished;
    if (outcome.kind === 'refused' || (outcome.kind === 'finished' && outcome.result !== 'done')) throw new JobFailedError(outcome);
    return outcome;
  }

  /** A unit's state and facts, or undefined when no unit of that name is known. */
  status(unit: string): UnitInfo | undefined {
    return this.manager.unitInfo(unit);
  }

  /** Like status(), but a unit that cannot be found is loaded as a not-found stub (as `systemctl show` does). */
  statusOrStub(unit: string): UnitInfo {
    return this.manager.unitInfo(unit, { stub: true }) as UnitInfo;
  }

  /** `show` properties as a plain object (`sv.show('a.service').ActiveState`). */
  show(unit: string): Record<string, string> {
    return Object.fromEntries(this.statusOrStub(unit).properties);
  }

  /** The unit's ActiveState (`active`, `failed`, ...); `inactive` for a unit that is not loaded, as systemctl is-active says. */
  activeState(unit: string): ActiveState {
    return this.status(unit)?.activeState ?? 'inactive';
  }

  /** The loaded units, as `systemctl list-units [--all] [--failed] [PATTERN...]` lists them. */
  listUnits(options: { all?: boolean; failed?: boolean; patterns?: readonly string[] } = {}): UnitInfo[] {
    return this.manager.listUnits(options.all === true, options.failed === true, options.patterns ?? []);
  }

  /** The installed jobs, running and waiting, as `systemctl list-jobs`. */
  listJobs(): JobInfo[] {
    return this.manager.listJobs().map((job) => ({ ...job, runningSince: this.history.runningSince(job.id), installedAt: this.history.installedAt(job.id) }));
  }

  /**
   * The manager's state as `systemctl is-system-running` reports it: `starting` until the first jobs are
   * done, then `running`, or `degraded` while a unit is failed; `stopping` once shutdown began.
   */
  systemState(): SystemState {
    return systemState({ stopping: this.stopping, startupFinished: this.history.startupFinished(this.bootTime) > 0, failedUnits: this.manager.listUnits(true, true, []).length });
  }

  /** Every loaded unit with its timestamps, edges and last job: what `analyze`, `why` and the HTTP endpoint read. */
  snapshot(defaultTarget = 'default.target'): SystemSnapshot {
    return {
      state: this.systemState(),
      bootTime: this.bootTime,
      startupFinished: this.history.startupFinished(this.bootTime),
      nowMs: Date.now(),
      defaultTarget: this.manager.unitInfo(defaultTarget)?.id ?? defaultTarget,
      units: this.manager.listUnits(true, false, []).map((info) => unitSnapshot(info, this.history.lastJob(info.id), this.history.startLimitHits(info.id))),
      jobs: this.listJobs(),
      jobDurations: this.history.jobDurations(),
    };
  }

  /** Why `unit` is not running, or did not start: its state, last job, failed dependency chain, and the lines that tell. */
  why(unit: string): WhyReport {
    // A unit unloaded since it last ran is told of as it was then.
    const unloaded = this.manager.unloadedUnits().map((info) => unitSnapshot(info, this.history.lastJob(info.id), this.history.startLimitHits(info.id)));
    const known = unloaded.some((u) => u.id === this.manager.unitId(unit));
    const id = known ? this.manager.unitId(unit) : (this.status(unit)?.id ?? unit);
    const units = new Map([...this.snapshot().units, ...unloaded].map((u) => [u.id, u]));
    const journal = this.manager.journal;
    return explain(id, { units, journalOf: (u) => journal.tail([u], -1), messages: journal.tail([], -1).filter((e) => e.kind === 'log') });
  }

  /** The transaction `systemctl VERB UNIT` would make, changing nothing (`start --dry-run`). */
  dryRun(verb: JobVerb, unit: string): DryRunReport {
    return this.manager.dryRun(verb, unit);
  }

  /** The dependency tree of a unit, as `systemctl list-dependencies [--reverse] [--after|--before] [--all]`. */
  dependencyTree(unit: string, options: { reverse?: boolean; direction?: 'requirements' | 'after' | 'before'; all?: boolean } = {}): TreeNode {
    return this.manager.dependencyTree(unit, options.reverse === true, options.direction ?? 'requirements', options.all === true);
  }

  /** The last `lines` journal entries of the units (all units when empty); -1 for all kept. */
  logs(units: readonly string[] = [], lines = -1): JournalEntry[] {
    return this.manager.journal.tail(units, lines);
  }

  /** The output lines a unit printed, stdout and stderr, oldest first (the last `journalLinesPerUnit` kept). */
  output(unit: string): string[] {
    const id = this.status(unit)?.id ?? unit;
    return this.manager.journal.tail([id], -1).flatMap((e) => (e.kind === 'output' ? [e.line] : []));
  }

  /**
   * Resolves with the first output line of `unit` that matches (one already printed, or a future one):
   * a string matches as a substring of the line, a RegExp is tested against each line;
   * rejects after `timeout` ms with the lines seen. For "the server printed 'listening'" in tests.
   */
  waitForOutput(unit: string, match: string | RegExp, options: WaitForOptions = {}): Promise<string> {
    const matches = (line: string) => (typeof match === 'string' ? line.includes(match) : match.test(line));
    const seen = this.output(unit).find(matches);
    if (seen !== undefined) return Promise.resolve(seen);
    const id = this.status(unit)?.id ?? unit;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`Timed out waiting for ${unit} to print ${String(match)}; it printed:\n${this.output(unit).join('\n')}`));
      }, options.timeout ?? 10_000);
      const unsubscribe = this.on((event) => {
        if (event.kind !== 'output' || event.unit !== id || !matches(event.line)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(event.line);
      });
    });
  }

  /**
   * Subscribes to every event: `log` (systemd's messages: "Started x.service."), `state` (ActiveState and
   * sub-state changes), `job` (job steps) and `output` (unit output lines). With `onOutput`, output comes
   * to it instead, the lines of each read from a pipe at once (what a sink of floods wants); with
   * `readsAtOnce`, as read, valid during the call only (else each block is copied for it). Returns the
   * unsubscribe function.
   */
  on(listener: (event: ManagerEvent) => void, onOutput?: (block: OutputBlock) => void, readsAtOnce = false): () => void {
    return this.manager.events.subscribe(listener, onOutput, readsAtOnce);
  }

  /**
   * Resolves once `unit` is in `state` (an ActiveState, or a predicate over its UnitInfo); rejects after
   * `timeout` ms with the state it was in. Event-driven: it checks on each state change, not by polling.
   */
  waitFor(unit: string, state: ActiveState | ((info: UnitInfo) => boolean), options: WaitForOptions = {}): Promise<UnitInfo> {
    const matches = (info: UnitInfo | undefined) => info !== undefined && (typeof state === 'function' ? state(info) : info.activeState === state);
    const now = this.status(unit);
    if (matches(now)) return Promise.resolve(now as UnitInfo);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        const info = this.status(unit);
        reject(new Error(`Timed out waiting for ${unit} to be ${typeof state === 'function' ? 'as expected' : state}: it is ${info ? `${info.activeState} (${info.subState})` : 'not loaded'}.`));
      }, options.timeout ?? 10_000);
      const unsubscribe = this.on((event) => {
        if (event.kind !== 'state' && event.kind !== 'job') return;
        const info = this.status(unit);
        if (!matches(info)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(info as UnitInfo);
      });
    });
  }

  /** daemon-reload: re-reads unit files; running units keep running. Tells which units changed. */
  async reload(): Promise<ReloadReport> {
    if (this.generators) for (const m of await runGenerators(this.generators)) this.manager.log(m.level, m.msg);
    return this.manager.reload();
  }

  /** Every EnvironmentFile= path the units name (what `up --watch` watches besides the unit files). */
  environmentFilePaths(): string[] {
    return this.manager.environmentFilePaths();
  }

  /** The units that read one of these EnvironmentFile= paths (restarted by `up --watch` when one changes). */
  /** What `up --watch` watches for each service: the files its ExecStart= commands run and its [X-Watch] globs. */
  watchSpecs(): WatchSpec[] {
    return this.manager.watchSpecs();
  }

  unitsUsingEnvironmentFiles(paths: readonly string[]): string[] {
    return this.manager.unitsUsingEnvironmentFiles(paths);
  }

  /**
   * Called when a unit asks the manager to end (SuccessAction=/FailureAction=/StartLimitAction=
   * exit, poweroff, ...): `exitCode` for exit actions, `force` for the -force variants.
   */
  onExitRequest(listener: (exitCode: number | undefined, force: boolean) => void): void {
    this.manager.onExitRequest(listener);
  }

  /** Sends `signal` to the main process of every running service (signals forwarded by PID 1). */
  signalMainProcesses(signal: NodeJS.Signals | number): void {
    this.manager.signalMainProcesses(typeof signal === 'number' ? signal : osConstants.signals[signal]);
  }

  /** Forgets the failed state and start-limit counters of the units (all units when none is named), as `systemctl reset-failed`. */
  resetFailed(...units: string[]): void {
    this.manager.resetFailed(units);
  }

  /** Sends a signal to a unit's processes; returns an error message, or undefined. */
  kill(unit: string, signal: number, whom: 'main' | 'control' | 'all' = 'all'): string | undefined {
    return this.manager.kill(unit, signal, whom);
  }

  /** The units this supervisor would start for `unitvisor up`: every loaded unit file in its directories. */
  /** The directories unit files are loaded from, highest priority first (inline units' and generators' included). */
  get unitPath(): readonly string[] {
    return this.manager.unitPath;
  }

  unitFileNames(): string[] {
    return this.manager.unitFileNames();
  }

  /** True when at least one unit is failed. */
  hasFailedUnits(): boolean {
    return this.manager.listUnits(true, true, []).length > 0;
  }

  /**
   * Stops every unit in reverse dependency order (each within its TimeoutStopSec), then kills whatever
   * is left and releases every resource. Safe to call twice and after a failed test.
   */
  async shutdown(): Promise<void> {
    this.stopping = true;
    await this.manager.shutdown();
    for (const dir of this.privateDirs) removePrivateDir(dir);
  }

  /** Kills every process at once (the second Ctrl-C / SIGTERM during shutdown). */
  forceShutdown(): void {
    this.manager.forceKillAll();
  }
}

/** A directory and what it holds. The notify socket's is empty by now: one rmdir(2) removes it, where a
 *  recursive rmSync() would first load Node's rimraf module (a millisecond of the shutdown). */
function removePrivateDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A fresh directory every service user can reach: the notify socket in it is srwxrwxrwx as systemd's
 * /run/systemd/notify, since a User= service must be able to send (the sender is told by its credentials).
 */
function publicTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

function generatorOptions(given: NonNullable<BootOptions['generators']>): GeneratorOptions {
  const container = virtualization();
  return {
    dirs: given.dirs ?? SYSTEM_GENERATOR_DIRS,
    output: generatorOutput(given.outputRoot ?? '/run/systemd'),
    ...(container !== 'none' ? { virtualization: `container:${container}` } : {}),
    architecture: hostSpecifierContext().architecture ?? process.arch,
  };
}

function defaultDirectoryRoots(env: Readonly<Record<string, string | undefined>>): DirectoryRoots {
  const user = userInfo();
  return user.uid === 0 ? SYSTEM_DIRECTORY_ROOTS : userDirectoryRoots(env, user.homedir, user.uid);
}

function writeInlineUnits(units: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-units-'));
  for (const [name, text] of Object.entries(units)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

export type { ManagerOptions };
