// The manager: owns the units, the installed jobs and the event stream, and turns requests, unit
// state changes and OS events into job steps, as systemd's manager.c/unit.c/job.c do.
import { globMatcher } from '../common/glob.js';
import type { Clock } from '../common/clock.js';
import { isActiveOrReloading, isInactiveOrFailed, type ActiveState } from '../unit/active-state.js';
import type { EmergencyAction, JobMode, UnitConfig } from '../unit/model.js';
import { FORWARD_DEPENDENCIES, UNIT_TYPES } from '../unit/model.js';
import { formatDiagnostic } from '../unit/diagnostic.js';
import { loadUnitDirectory, loadUnitByName, type UnitSet } from '../unit/unit-directory.js';
import { buildGraph, type DependencyGraph } from '../job/unit-graph.js';
import { InstalledJobs } from '../job/installed-jobs.js';
import { activate, type TransactionError } from '../job/transaction.js';
import { applyPlan, dispatch, finishJob, messageSubject, verifyActiveResult, type FinishOptions } from '../job/run-queue.js';
import { onUnitStateChange } from '../job/unit-state-change.js';
import { conditionSkippedMessage, jobStartMessage, type Job, type JobResult, type LogLine } from '../job/job.js';
import type { JobType } from '../job/job-type.js';
import type { JobOutcome } from '../protocol/results.js';
import type { DryRunReport } from '../protocol/analysis.js';
import { describePlan } from '../analyze/dry-run.js';
import type { JobInfo, TreeNode, UnitInfo } from '../protocol/unit-info.js';
import type { JobVerb } from '../protocol/protocol.js';
import type { LogLevel } from '../protocol/events.js';
import { hostSpecifierContext } from '../process/host-facts.js';
import { loadNative, type WaitStatus } from '../process/native.js';
import { startReaper, type Reaper } from '../process/reaper.js';
import { notifySocketPath, openNotifySocket, type NotifySocket } from '../process/notify-socket.js';
import { childrenOf } from '../process/process-tree.js';
import { spawnedPids } from '../process/spawn.js';
import { openCgroupTree, removeCgroup, type CgroupTree } from '../process/cgroup.js';
import { ownerOf, ownerOfExited, unclaimedOrphans, UnitProcesses } from '../process/unit-processes.js';
import { sendSignal } from '../process/kill.js';
import { EventStream } from './event-stream.js';
import { outputBlock } from '../protocol/output-block.js';
import { Journal } from './journal.js';
import { rotatingFileSink } from './journal-file.js';
import { evaluateConditions } from './conditions.js';
import type { ActivationFds, StateChange, UnitKind } from './unit-kind.js';
import { TargetKind } from './unit-kinds/target-kind.js';
import { ServiceKind } from './unit-kinds/service-kind.js';
import { SocketKind } from './unit-kinds/socket-kind.js';
import { UnitHost, type HostCalls } from './unit-kinds/unit-host.js';
import { createUnitKind } from './unit-kinds/kind-factories.js';
import type { ProcessServices } from './process-services.js';
import type { DirectoryRoots } from '../service/exec-directories.js';
import { ownUnitMessage, ownUnitRule } from '../unit/systemd-own-units.js';
import { summarizeDiagnostics, unenforcedSettingsLine } from '../unit/diagnostic-summary.js';
import { DEFAULT_PATH } from '../service/environment.js';
import { notEnforcedKeys, type HostAbilities } from '../unit/setting-support.js';
import { hostAbilities } from '../process/host-abilities.js';
import { watchSpecOf, type WatchSpec } from '../unit/watch-spec.js';
import { dependencyTree } from './dependency-tree.js';
import { stampUnitFiles, type UnitFileStamps } from './unit-file-stamps.js';
import { noStamps, type UnitRecord } from './unit-record.js';
import { unitInfoOf, type UnitInfoContext } from './unit-info.js';
import { actionExitStatus, decideEmergencyAction } from './emergency-action.js';
import { OutputFlow } from '../process/output-flow.js';

/** How many unloaded units' last states `why` can still tell of. */
const LAST_SEEN_MAX = 256;

export interface ManagerOptions {
  readonly unitPath: readonly string[];
  readonly clock: Clock;
  readonly environment: Readonly<Record<string, string | undefined>>;
  readonly runtimeDir: string;
  /** Where RuntimeDirectory= & co. are made. */
  readonly directoryRoots: DirectoryRoots;
  readonly journalLinesPerUnit: number;
  readonly journalDir?: string;
  /** Units without WorkingDirectory= run here (`up DIR`); systemd's default is "/". */
  readonly workingDirectory?: string;
  /** The PATH services get; systemd's fixed DEFAULT_PATH unless given (`up` gives the user's). */
  readonly path?: string;
  /** Booting systemd's own search path: its own units follow the table of unit/systemd-own-units.ts. */
  readonly standInForSystemd?: boolean;
  /** Also emit debug-level messages (systemd's LogLevel=debug). */
  readonly debug?: boolean;
  /** Persistent state (timer stamps under timers/); none is kept without it. */
  readonly stateDirectory?: string;
  /** Where output sinks hold services' pipes back (the daemon's event log is one); the journal file joins it. */
  readonly outputFlow?: OutputFlow;
}

export interface ReloadReport {
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

const JOB_TYPE_OF: Readonly<Record<JobVerb, JobType>> = {
  start: 'start',
  stop: 'stop',
  restart: 'restart',
  'try-restart': 'try-restart',
  reload: 'reload',
  'reload-or-restart': 'restart',
  'try-reload-or-restart': 'try-restart',
};

export type ExitRequestListener = (exitCode: number | undefined, force: boolean) => void;

export class Manager {
  readonly events: EventStream;
  readonly journal: Journal;
  /** The loaded units. */
  private readonly records = new Map<string, UnitRecord>();
  /** Every unit definition read from the search path (at boot and each daemon-reload), loaded or not. */
  private readonly catalog = new Map<string, { config: UnitConfig; files: UnitFileStamps }>();
  private collectScheduled = false;
  /** The last state of units unloaded since they last ran, for `why` (the most recent LAST_SEEN_MAX). */
  private readonly lastSeen = new Map<string, UnitInfo>();
  private readonly aliases = new Map<string, string>();
  private graph!: DependencyGraph;
  private readonly installed = new InstalledJobs();
  private readonly waiters = new Map<number, ((outcome: JobOutcome) => void)[]>();
  private dispatchScheduled = false;
  private loadDiagnostics: string[] = [];
  /** What this host lets the exec helper enforce (show's NotEnforced=, the line each unit starts with). */
  private readonly abilities: HostAbilities;
  private readonly reportedUnenforced = new Set<string>();
  private readonly adopted = new Map<number, (status: WaitStatus) => void>();
  /** Managers of this process (several Supervisors in one test file): any one's reaper may reap another's orphan. */
  private static readonly live = new Set<Manager>();
  /** Whether the process was a child subreaper before the first live manager made it one. */
  private static hostWasSubreaper = false;
  private readonly exitListeners: ExitRequestListener[] = [];
  private shutdownPromise: Promise<void> | undefined;
  /** Undoes what the manager changed in the host process (spawn recording, child subreaper). */
  private releaseHost: () => void = () => {};
  private readonly services: ProcessServices;
  private readonly outputFlow: OutputFlow;
  private readonly infoContext: UnitInfoContext;
  /** Each unit's process tracking, and back to the unit (reaped orphans name their tracking). */
  private readonly tracked = new Map<UnitProcesses, string>();
  /** Accept=yes instances, collected once they end. */
  private readonly socketInstances = new Set<string>();

  private constructor(
    private readonly options: ManagerOptions,
    private readonly reaper: Reaper,
    private readonly notifySocket: NotifySocket | undefined,
    private readonly cgroups: CgroupTree | undefined,
  ) {
    Manager.live.add(this);
    this.abilities = hostAbilities({ cgroups: cgroups !== undefined });
    this.events = new EventStream((error) => this.log('error', `Event listener failed: ${String(error)}`));
    this.outputFlow = options.outputFlow ?? new OutputFlow();
    const journalFile = options.journalDir ? rotatingFileSink(options.journalDir, { flow: this.outputFlow }) : undefined;
    this.journal = new Journal(options.journalLinesPerUnit, 5000, journalFile);
    this.events.subscribe((event) => this.journal.record(event), (block) => this.journal.recordOutput(block), true);
    this.services = {
      clock: options.clock,
      notifySocketPath: notifySocket?.path ?? '',
      environment: options.environment,
      path: options.path ?? DEFAULT_PATH,
      defaultWorkingDirectory: options.workingDirectory,
      directoryRoots: options.directoryRoots,
      outputFlow: this.outputFlow,
      watchAdopted: (pid, onExit) => void this.adopted.set(pid, onExit),
      unwatchAdopted: (pid) => void this.adopted.delete(pid),
      unitProcesses: (unit) => {
        const tracking = new UnitProcesses(unit, this.cgroups);
        this.tracked.set(tracking, unit);
        return tracking;
      },
      queueIsIdle: () => this.queueIsIdle(),
      stateDirectory: options.stateDirectory,
      started: { realtime: options.clock.wallNow() * 1000, monotonic: options.clock.now() },
    };
    this.infoContext = {
      unitPath: options.unitPath,
      execPath: this.services.path,
      abilities: this.abilities,
      jobOf: (unit) => this.installed.forUnit(unit),
      deps: (unit, kind) => this.graph.deps(unit, kind),
    };
  }

  /** Becomes the subreaper of its subtree, opens the notify socket, and loads every unit. */
  static async create(options: ManagerOptions): Promise<Manager> {
    const native = loadNative();
    // The host process changes only while a manager runs (the last one's shutdown undoes it).
    if (Manager.live.size === 0) {
      Manager.hostWasSubreaper = process.pid === 1 || native.isChildSubreaper();
      if (!Manager.hostWasSubreaper) native.setChildSubreaper();
    }
    let manager: Manager | undefined;
    const reaper = startReaper((status) => manager?.onAdoptedExit(status), { native });
    const socket = openNotifySocket(notifySocketPath(options.runtimeDir), (m) => manager?.onNotify(m.pid, m.text), native);
    // One cgroup per unit where the host delegates a cgroup v2 subtree; else tracking by descent.
    const tracking = options.environment['UNITVISOR_PROCESS_TRACKING'];
    const cgroupTree = tracking === 'process-tree' ? Promise.resolve(undefined) : openCgroupTree(native.execHelperPath);
    // The unit files are read while the cgroup probe runs.
    const set = Manager.loadSet(options);
    const cgroups = await cgroupTree;
    manager = new Manager(options, reaper, socket.ok ? socket.value : undefined, cgroups);
    manager.releaseHost = () => {
      if (Manager.live.size === 0 && !Manager.hostWasSubreaper) native.setChildSubreaper(false);
    };
    if (cgroups === undefined && tracking === 'cgroup') manager.log('warning', 'No writable cgroup v2 subtree: processes are tracked by descent.');
    if (!socket.ok) manager.log('warning', socket.error.message);
    manager.loadAll(set);
    return manager;
  }

  // ── loading ─────────────────────────────────────────────────────────────

  private static loadSet(options: ManagerOptions): UnitSet {
    return loadUnitDirectory({ unitPath: options.unitPath, specifiers: hostSpecifierContext() });
  }

  /** Reads every definition; units are loaded from them as jobs and requests need them (collect() unloads them). */
  private loadAll(set: UnitSet): void {
    this.loadDiagnostics = set.diagnostics.map(formatDiagnostic);
    for (const config of set.units.values()) this.catalog.set(config.id, { config, files: stampUnitFiles(config, this.options.unitPath) });
    this.rebuildAliases();
    this.rebuildGraph();
  }

  private addRecord(config: UnitConfig, files = stampUnitFiles(config, this.options.unitPath)): UnitRecord {
    const record: UnitRecord = { config, kind: undefined as unknown as UnitKind, reported: { active: 'inactive', sub: 'dead' }, stamps: noStamps(), conditionResult: true, assertResult: true, files };
    record.kind = this.createKind(record);
    record.reported = { active: record.kind.activeState, sub: record.kind.subState };
    this.records.set(config.id, record);
    for (const alias of config.aliases) if (alias !== config.id) this.aliases.set(alias, config.id);
    return record;
  }

  /**
   * Loads a unit from its definition (read at boot or the last daemon-reload), fresh: no runtime state; the
   * units it names in its dependencies are loaded with it, as unit_load() does.
   */
  private materialize(id: string): UnitRecord | undefined {
    const known = this.records.get(id);
    if (known) return known;
    const entry = this.catalog.get(id);
    if (entry === undefined) return undefined;
    const record = this.addRecord(entry.config, entry.files);
    this.loadReferences(entry.config);
    return record;
  }

  private loadReferences(config: UnitConfig): void {
    for (const kind of FORWARD_DEPENDENCIES) for (const name of config.unit.dependencies[kind]) this.materialize(this.aliases.get(name) ?? name);
  }

  private remember(info: UnitInfo): void {
    this.lastSeen.delete(info.id);
    this.lastSeen.set(info.id, info);
    for (const id of this.lastSeen.keys()) {
      if (this.lastSeen.size <= LAST_SEEN_MAX) break;
      this.lastSeen.delete(id);
    }
  }

  /** What unloaded units were when they were unloaded (they have not run since). */
  unloadedUnits(): UnitInfo[] {
    return [...this.lastSeen.values()];
  }

  /** The unit's primary name (aliases resolved), loaded or not. */
  unitId(name: string): string {
    return this.aliases.get(name) ?? name;
  }

  private rebuildAliases(): void {
    this.aliases.clear();
    for (const config of this.definitions()) for (const alias of config.aliases) if (alias !== config.id) this.aliases.set(alias, config.id);
  }

  /** Every definition, loaded or not (a loaded unit's own config wins: a socket links its instances into it). */
  private definitions(): UnitConfig[] {
    const all = new Map([...this.catalog].map(([id, entry]) => [id, entry.config]));
    for (const [id, record] of this.records) all.set(id, record.config);
    return [...all.values()];
  }

  // ── garbage collection (unit_may_gc(), unit_gc_sweep()) ──────────────────

  private scheduleCollect(): void {
    if (this.collectScheduled || this.shutdownPromise !== undefined) return;
    this.collectScheduled = true;
    setImmediate(() => {
      this.collectScheduled = false;
      this.collect();
    });
  }

  /** unit_may_gc(): nothing keeps the unit loaded by itself (no job, inactive, no processes; failed stays unless CollectMode=inactive-or-failed). */
  private mayCollect(record: UnitRecord): boolean {
    const { kind, config } = record;
    if (this.installed.forUnit(config.id) !== undefined) return false;
    if (kind.activeState !== 'inactive' && !(kind.activeState === 'failed' && config.unit.collectMode === 'inactive-or-failed')) return false;
    const runtime = kind.runtime();
    return (runtime.mainPid ?? 0) === 0 && (runtime.controlPid ?? 0) === 0;
  }

  /**
   * unit_gc_sweep(): a unit stays loaded if it may not be collected or a unit that stays references it
   * (names it in a dependency); the units such a unit references are loaded with it. The rest is unloaded:
   * a later request loads it afresh.
   */
  private collect(): void {
    const kept = new Set<string>();
    const stack = [...this.records.values()].filter((r) => !this.mayCollect(r)).map((r) => r.config.id);
    for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
      if (kept.has(id)) continue;
      kept.add(id);
      const config = this.records.get(id)?.config ?? this.catalog.get(id)?.config;
      if (config) for (const kind of FORWARD_DEPENDENCIES) for (const name of config.unit.dependencies[kind]) stack.push(this.aliases.get(name) ?? name);
    }
    let changed = false;
    for (const [id, record] of [...this.records]) {
      if (kept.has(id)) continue;
      if (record.stamps.inactiveEnter !== 0 || record.stamps.condition !== 0) this.remember(unitInfoOf(this.infoContext, record));
      this.disposeKind(record);
      this.records.delete(id);
      changed = true;
    }
    for (const id of kept) if (!this.records.has(id) && this.materialize(id)) changed = true;
    if (changed) this.rebuildGraph();
  }

  /** What every unit's kind asks of the manager, made once (see UnitHost). */
  private readonly hostCalls: HostCalls = {
    stateChanged: (id, change) => this.unitNotify(id, change),
    log: (id, level, message) => this.log(level, `${id}: ${message}`, id),
    output: (id, pid, ident, stream, lines) => this.events.emitOutput(outputBlock({ time: this.options.clock.wallNow(), unit: id, pid, ident, stream }, lines)),
    enqueueRestart: (id) => void this.enqueueJob(id, 'restart', 'replace'),
    propagateReload: (id) => {
      for (const other of this.graph.deps(id, 'PropagatesReloadTo')) this.enqueueJob(other, 'try-reload', 'replace');
    },
    startLimitHit: (id) => this.emergencyAction(this.records.get(id)?.config.unit.startLimitAction ?? 'none', id, undefined, 'failed', true),
    pendingJobType: (id) => this.installed.forUnit(id)?.type,
    triggers: (id) => this.graph.deps(id, 'Triggers'),
    startTriggered: (_id, unit) => {
      const r = this.enqueueJob(unit, 'start', 'replace');
      return r.ok ? undefined : r.message;
    },
    snapshot: (_id, unit) => {
      const other = this.find(unit, false);
      if (!other) return undefined;
      const { inactiveExitMono, inactiveEnterMono } = other.stamps;
      return { loaded: other.config.loadState === 'loaded', activeState: other.kind.activeState, inactiveExitUsec: inactiveExitMono, inactiveEnterUsec: inactiveEnterMono, hasJob: this.installed.forUnit(other.config.id) !== undefined, startLimitHit: other.kind.startLimitHit === true };
    },
    activationFds: (id) => this.activationFds(id),
    startInstance: (id, unit, peer) => this.startSocketInstance(id, unit, peer),
  };

  private createKind(record: UnitRecord): UnitKind {
    return createUnitKind(record.config, this.services, new UnitHost(this.hostCalls, record.config.id));
  }

  // ── socket activation ───────────────────────────────────────────────────

  /** service_collect_fds(): an Accept=yes instance gets its connection; otherwise every triggering socket's fds. */
  private activationFds(id: string): ActivationFds | undefined {
    const sockets = this.graph.deps(id, 'TriggeredBy').map((t) => this.records.get(t)?.kind).filter((k): k is SocketKind => k instanceof SocketKind);
    for (const socket of sockets) {
      const fd = socket.connections.fdFor(id);
      if (fd !== undefined) return { fds: [fd], names: ['connection'] };
    }
    const all = sockets.map((s) => s.listenFds());
    const fds = all.flatMap((a) => a.fds);
    return fds.length === 0 ? undefined : { fds, names: all.flatMap((a) => a.names) };
  }

  /** Accept=yes: the instance for one connection, described by its peer, triggered by the socket, started. */
  private startSocketInstance(socketId: string, unit: string, peer: string): string | undefined {
    const record = this.find(unit, true);
    if (!record || record.config.loadState !== 'loaded') return `Unit ${unit} ${record ? 'failed to load properly' : 'not found'}.`;
    const description = record.config.unit.description;
    record.config = { ...record.config, unit: { ...record.config.unit, description: description ? `${description} (${peer})` : peer } };
    this.socketInstances.add(unit);
    this.linkTriggered(socketId, unit, true);
    const r = this.enqueueJob(unit, 'start', 'replace');
    return r.ok ? undefined : r.message;
  }

  /** socket_enter_running(): Before= and Triggers= the instance, for as long as it lives. */
  private linkTriggered(socketId: string, unit: string, link: boolean): void {
    const socket = this.records.get(socketId);
    if (!socket) return;
    const deps = socket.config.unit.dependencies;
    const edit = (list: readonly string[]) => (link ? [...list, unit] : list.filter((u) => u !== unit));
    socket.config = { ...socket.config, unit: { ...socket.config.unit, dependencies: { ...deps, Triggers: edit(deps.Triggers), Before: edit(deps.Before) } } };
    this.rebuildGraph();
  }

  /** An ended Accept=yes instance is garbage-collected as systemd's unit GC does (a failed one stays until reset). */
  private collectSocketInstance(unit: string): void {
    const record = this.records.get(unit);
    if (!record || record.kind.activeState !== 'inactive' || this.installed.forUnit(unit)) return;
    for (const socketId of this.graph.deps(unit, 'TriggeredBy')) this.linkTriggered(socketId, unit, false);
    this.disposeKind(record);
    this.records.delete(unit);
    this.socketInstances.delete(unit);
    this.rebuildGraph();
  }

  private rebuildGraph(): void {
    this.graph = buildGraph(this.definitions());
    for (const [id, record] of this.records) this.graph.setActiveState(id, record.reported.active);
  }

  /** The unit of that name (alias or id), loading it on demand (an instance nothing referenced yet). */
  private find(name: string, loadMissing: boolean): UnitRecord | undefined {
    const id = this.aliases.get(name) ?? name;
    const known = this.records.get(id);
    if (known || !loadMissing) return known;
    this.scheduleCollect();
    const defined = this.materialize(id);
    if (defined) return defined;
    const { config } = loadUnitByName(name, { unitPath: this.options.unitPath, specifiers: hostSpecifierContext() });
    if (config.loadState === 'not-found') return undefined;
    const record = this.addRecord(config);
    this.loadReferences(config);
    this.rebuildGraph();
    return record;
  }

  diagnostics(): string[] {
    return [...this.loadDiagnostics];
  }

  // ── logging ─────────────────────────────────────────────────────────────

  /** One message into the event stream and journal (the manager's own, or about `unit`). */
  log(level: LogLevel, msg: string, unit?: string): void {
    if (level === 'debug' && !this.options.debug) return;
    this.events.emit({ kind: 'log', time: this.options.clock.wallNow(), level, msg, ...(unit !== undefined ? { unit } : {}) });
  }

  private logLines(lines: readonly LogLine[]): void {
    for (const line of lines) this.log(line.level, line.message, line.unit);
  }

  // ── requests ────────────────────────────────────────────────────────────

  /** `systemctl VERB UNIT`: one transaction; resolves when the job finishes. */
  enqueue(verb: JobVerb, name: string): { queued: JobOutcome; finished: Promise<JobOutcome> } {
    const now = (outcome: JobOutcome) => ({ queued: outcome, finished: Promise.resolve(outcome) });
    const request = this.jobRequest(verb, name);
    if (!request.ok) return now(request.refused);
    const { id, type } = request;
    const result = this.enqueueJob(id, type, 'replace');
    // systemctl exits 5 for NoSuchUnit, also when a required dependency is the missing unit.
    if (!result.ok) return now({ unit: name, kind: 'refused', code: result.code === 'not-found' ? 'unit-not-found' : 'transaction-failed', message: result.message });
    if (result.job === undefined) return now({ unit: name, kind: 'nothing-to-do' });
    const jobId = result.job;
    const finished = new Promise<JobOutcome>((resolve) => {
      const list = this.waiters.get(jobId) ?? [];
      list.push(resolve);
      this.waiters.set(jobId, list);
    });
    return { queued: { unit: name, kind: 'queued', jobId }, finished };
  }

  /** The checks systemctl's request passes before a transaction: the unit, its load state, RefuseManual*=, the job type. */
  private jobRequest(verb: JobVerb, name: string): { ok: true; id: string; type: JobType } | { ok: false; refused: Extract<JobOutcome, { kind: 'refused' }> } {
    const refuse = (code: Extract<JobOutcome, { kind: 'refused' }>['code'], message: string) => ({ ok: false as const, refused: { unit: name, kind: 'refused' as const, code, message } });
    const record = this.find(name, true);
    if (!record) {
      const missing = verb === 'start' || verb === 'restart' || verb === 'reload-or-restart' ? 'not found' : 'not loaded';
      return refuse('unit-not-found', `Unit ${name} ${missing}.`);
    }
    const { config } = record;
    const id = config.id;
    if (config.loadState === 'masked') return refuse('unit-masked', `Unit ${id} is masked.`);
    if (config.loadState !== 'loaded' && verb !== 'stop') {
      const message = config.loadState === 'bad-setting' ? `Unit ${id} has a bad unit file setting.` : `Unit ${id} failed to load properly, please adjust/correct and reload service manager: ${config.loadError ?? 'Invalid argument'}`;
      return refuse('unit-not-loaded', message);
    }
    const starting = verb !== 'stop';
    if ((starting && config.unit.refuseManualStart) || (!starting && config.unit.refuseManualStop)) {
      return refuse('refused', `Operation refused, unit ${id} may be requested by dependency only (it is configured to refuse manual start/stop).`);
    }
    let type = JOB_TYPE_OF[verb];
    // reload-or-restart reloads a unit that can (and is running), as systemctl's method does.
    if ((verb === 'reload-or-restart' || verb === 'try-reload-or-restart') && record.kind.canReload()) type = verb === 'reload-or-restart' ? 'reload-or-start' : 'try-reload';
    if (verb === 'reload' && !record.kind.canReload()) return refuse('refused', `Job type reload is not applicable for unit ${id}.`);
    return { ok: true, id, type };
  }

  /** The transaction `VERB UNIT` would make, planned and described but not installed (`start --dry-run`). */
  dryRun(verb: JobVerb, name: string): DryRunReport {
    const request = this.jobRequest(verb, name);
    if (!request.ok) return { ok: false, jobs: [], canceled: [], messages: [request.refused.message] };
    const planned = activate(this.graph, this.installed, { unit: request.id, type: request.type, mode: 'replace' });
    if (!planned.ok) return { ok: false, jobs: [], canceled: [], messages: [...planned.error.log.map((l) => l.message), planned.error.message] };
    return describePlan(this.graph, this.installed, planned.value);
  }

  /** manager_add_job(): plan a transaction and install it. `job` is the anchor job's id, if it stays installed. */
  private enqueueJob(unit: string, type: JobType, mode: JobMode): { ok: true; job: number | undefined } | { ok: false; code: TransactionError['code']; message: string } {
    const planned = activate(this.graph, this.installed, { unit, type, mode });
    if (!planned.ok) {
      this.logLines(planned.error.log);
      return { ok: false, code: planned.error.code, message: planned.error.message };
    }
    this.logLines(planned.value.log);
    const applied = applyPlan(this.graph, this.installed, planned.value);
    for (const job of applied.jobs) this.materialize(job.unit);
    for (const job of applied.jobs) this.events.emit({ kind: 'job', time: this.options.clock.wallNow(), unit: job.unit, id: job.id, type: job.type, step: 'installed' });
    const anchor = planned.value.anchor;
    for (const { job, result } of applied.finished) this.settle(job, result);
    this.scheduleDispatch();
    // The anchor may have merged into the unit's installed job ("Merged into running job, re-running"): that job is the one to wait for.
    return { ok: true, job: anchor.type === 'nop' ? undefined : this.installed.forUnit(anchor.unit)?.id };
  }

  // ── the run queue ───────────────────────────────────────────────────────

  private scheduleDispatch(): void {
    if (this.dispatchScheduled) return;
    this.dispatchScheduled = true;
    // Like systemd's run queue, jobs run from the event loop after the current event is handled.
    setImmediate(() => {
      this.dispatchScheduled = false;
      this.dispatchRunQueue();
    });
  }

  private dispatchRunQueue(): void {
    for (let jobs = dispatch(this.graph, this.installed); jobs.length > 0; jobs = dispatch(this.graph, this.installed)) {
      for (const job of jobs) this.runJob(job);
    }
    if (this.queueIsIdle()) for (const record of this.records.values()) record.kind.queueIdle();
  }

  /** No job is installed but the start jobs of Type=idle units that wait for this very moment. */
  private queueIsIdle(): boolean {
    return this.installed.list().every((job) => this.records.get(job.unit)?.kind.waitingForIdle === true);
  }

  /** job_run_and_invalidate() + job_perform_on_unit(). */
  private runJob(job: Job): void {
    const record = this.records.get(job.unit);
    this.events.emit({ kind: 'job', time: this.options.clock.wallNow(), unit: job.unit, id: job.id, type: job.type, step: 'running' });
    if (!record) return this.finish(job, 'failed');
    const { kind } = record;
    // The type as the job started: a restart finished synchronously is already patched into a start.
    const type = job.type;
    switch (type) {
      case 'start': {
        // unit_start(): conditions and asserts are not tested again while the unit is activating.
        const activating = kind.activeState === 'activating';
        if (!activating && (this.skipOwnUnit(record) || !this.testConditions(record))) return this.finish(job, 'done', { conditionFailed: true });
        this.reportUnenforced(record);
        if (!activating && !this.testAsserts(record)) return this.finish(job, 'assert');
        if (!this.verifyDeps(record.config.id)) return this.finish(job, 'dependency');
        return this.perform(job, type, kind.start());
      }
      case 'stop':
      case 'restart':
        return this.perform(job, type, kind.stop());
      case 'reload': {
        if (!isActiveOrReloading(kind.activeState)) return this.finish(job, 'invalid');
        return this.perform(job, type, kind.reload());
      }
      case 'verify-active': {
        const verdict = verifyActiveResult(kind.activeState);
        if (verdict === 'wait') job.state = 'waiting';
        else this.finish(job, verdict);
        return;
      }
      case 'nop':
        return this.finish(job, 'done');
    }
  }

  /**
   * What unit_start()/unit_stop() returned, as job_run_and_invalidate() takes it. The "Starting"/"Stopping"
   * line is printed only if the job still exists afterwards (systemd's rule: a unit that got there at once,
   * like a simple service, only says "Started"; a restart whose stop completed at once says "Stopping" after
   * "Stopped", exactly as systemd 252 does).
   */
  private perform(job: Job, type: Job['type'], outcome: ReturnType<UnitKind['start']>): void {
    if (this.installed.get(job.id) !== job) return; // the unit's state change already finished the job
    // service_stop()/service_start() returned 0 (signalled at once, already on its way, left auto-restart):
    // no "Starting"/"Stopping" line; the unit's next state change ends the job.
    if (outcome === 'done') return;
    if (job.type === type) {
      if (outcome === 'already') return this.finish(job, 'done', { already: true });
      if (outcome === 'wait') {
        job.state = 'waiting';
        return;
      }
      if (typeof outcome === 'object') return this.finish(job, outcome.refused === 'invalid' ? 'invalid' : outcome.refused === 'unsupported' ? 'unsupported' : 'failed');
    }
    const line = jobStartMessage(messageSubject(this.graph, job.unit), type === 'restart' ? 'stop' : type);
    if (line) this.log('info', line, job.unit);
  }

  /** Once per unit, as it first starts: the settings it asks for that unitvisor does not enforce. */
  private reportUnenforced(record: UnitRecord): void {
    const { id } = record.config;
    if (this.reportedUnenforced.has(id)) return;
    this.reportedUnenforced.add(id);
    const line = unenforcedSettingsLine(id, notEnforcedKeys(record.config, this.abilities));
    if (line !== undefined) this.log('notice', line, id);
  }

  /** systemd's own units in a container (unit/systemd-own-units.ts): one line, and the start is done. */
  private skipOwnUnit(record: UnitRecord): boolean {
    if (this.options.standInForSystemd !== true) return false;
    const rule = ownUnitRule(record.config.id, { socketUnits: (UNIT_TYPES as readonly string[]).includes('socket') });
    if (rule === undefined) return false;
    record.conditionResult = false;
    this.log('notice', ownUnitMessage(messageSubject(this.graph, record.config.id).desc, rule), record.config.id);
    return true;
  }

  private testConditions(record: UnitRecord): boolean {
    const verdict = evaluateConditions(record.config.unit.conditions, 'Condition');
    record.conditionResult = verdict.ok;
    record.stamps.condition = this.options.clock.wallNow();
    if (!verdict.ok && verdict.failed) this.logLines([conditionSkippedMessage(messageSubject(this.graph, record.config.id), verdict.failed)]);
    return verdict.ok;
  }

  private testAsserts(record: UnitRecord): boolean {
    const verdict = evaluateConditions(record.config.unit.asserts, 'Assert');
    record.assertResult = verdict.ok;
    record.stamps.assert = this.options.clock.wallNow();
    // unit_start(): log_unit_notice("Starting requested but asserts failed."); the job line follows.
    if (!verdict.ok && verdict.failed) {
      this.log('debug', `${record.config.id}: ${verdict.failed} failed.`, record.config.id);
      this.log('notice', `${record.config.id}: Starting requested but asserts failed.`, record.config.id);
    }
    return verdict.ok;
  }

  /**
   * unit_verify_deps(): a BindsTo= unit ordered before this one must be active by now (its start job
   * may have ended without activating it, e.g. on an unmet condition); else the start fails with 'dependency'.
   */
  private verifyDeps(id: string): boolean {
    const after = this.graph.deps(id, 'After');
    for (const other of this.graph.deps(id, 'BindsTo')) {
      if (!after.includes(other) || isActiveOrReloading(this.graph.activeState(other))) continue;
      this.log('notice', `${id}: Bound to unit ${other}, but unit isn't active.`, id);
      return false;
    }
    return true;
  }

  /** job_finish_and_invalidate() with its propagation, then the waiters. */
  private finish(job: Job, result: JobResult, opts: FinishOptions = {}): void {
    if (this.installed.get(job.id) !== job) return;
    const outcome = finishJob(this.graph, this.installed, job.id, result, opts);
    this.logLines(outcome.log);
    for (const finished of outcome.finished) this.settle(finished.job, finished.result);
    for (const start of outcome.triggered) this.enqueueJob(start.unit, 'start', start.mode);
    this.scheduleDispatch();
  }

  /** unit_trigger_notify(): the units that trigger this one (its timers) hear of each state change and finished job. */
  private notifyTriggering(id: string): void {
    const state = this.records.get(id)?.kind.activeState;
    if (state === undefined) return;
    for (const trigger of this.graph.deps(id, 'TriggeredBy')) this.records.get(trigger)?.kind.triggeredUnitChanged?.(id, state);
  }

  private settle(job: Job, result: JobResult): void {
    this.scheduleCollect();
    this.events.emit({ kind: 'job', time: this.options.clock.wallNow(), unit: job.unit, id: job.id, type: job.type, step: 'finished', result });
    this.notifyTriggering(job.unit);
    const waiters = this.waiters.get(job.id);
    if (!waiters) return;
    this.waiters.delete(job.id);
    const serviceResult = this.records.get(job.unit)?.kind.result ?? 'success';
    for (const resolve of waiters) resolve({ unit: job.unit, kind: 'finished', jobId: job.id, result, serviceResult });
  }

  // ── unit state changes (unit_notify) ───────────────────────────────────

  private unitNotify(id: string, change: StateChange): void {
    const record = this.records.get(id);
    if (!record) return;
    // 252 passes through failed/dead on its way to auto-restart: the job sees it (a oneshot's start job
    // fails), but OnFailure=/OnSuccess= and the emergency actions do not (UNIT_NOTIFY_WILL_AUTO_RESTART).
    const willAutoRestart = change.willAutoRestart && isInactiveOrFailed(change.next);
    const old = record.reported.active;
    const oldSub = record.reported.sub;
    const next = change.next;
    record.reported = { active: next, sub: change.sub };
    if (isInactiveOrFailed(next)) this.scheduleCollect();
    else this.lastSeen.delete(id);
    this.stamp(record, old, next);
    this.graph.setActiveState(id, next);
    this.events.emit({ kind: 'state', time: this.options.clock.wallNow(), unit: id, old, new: next, oldSub, sub: change.sub, result: record.kind.result });
    // ExecCondition= failing is a condition result too (UNIT_NOTIFY_SKIP_CONDITION: ConditionResult=no).
    if (change.skipCondition) record.conditionResult = false;
    const unexpected = this.completeJob(id, next, change.reloadFailed, change.skipCondition === true);
    if (old !== next) {
      this.notifyTriggering(id);
      if (next === 'inactive' && this.socketInstances.has(id)) setImmediate(() => this.collectSocketInstance(id));
      for (const followUp of onUnitStateChange(this.graph, this.installed, { unit: id, old, new: next, unexpected, willAutoRestart })) {
        if (followUp.log) this.logLines([followUp.log]);
        this.enqueueJob(followUp.unit, followUp.type, followUp.mode);
      }
      if (isInactiveOrFailed(next) && !isInactiveOrFailed(old) && !willAutoRestart) {
        const u = record.config.unit;
        if (next === 'failed') this.emergencyAction(u.failureAction, id, u.failureActionExitStatus, 'failed');
        else this.emergencyAction(u.successAction, id, u.successActionExitStatus, 'succeeded');
      }
    }
    this.scheduleDispatch();
  }

  /** unit_notify()'s job part; returns whether the change was unexpected (no job caused it). */
  private completeJob(id: string, next: ActiveState, reloadFailed: boolean, skipCondition = false): boolean {
    const job = this.installed.forUnit(id);
    if (!job) return true;
    if (job.state === 'waiting') {
      // It may run now if it waited for this unit to settle (-EAGAIN).
      this.installed.enqueue(job);
      return false;
    }
    switch (job.type) {
      case 'start':
      case 'verify-active':
        if (isActiveOrReloading(next)) this.finish(job, 'done');
        else if (next !== 'activating') {
          if (isInactiveOrFailed(next)) this.finish(job, next === 'failed' ? 'failed' : 'done', { conditionSkippedByUnit: skipCondition });
          return true;
        }
        return false;
      case 'stop':
      case 'restart':
        if (isInactiveOrFailed(next)) this.finish(job, 'done');
        else if (next !== 'deactivating') {
          this.finish(job, 'failed');
          return true;
        }
        return false;
      case 'reload':
        if (next === 'active') this.finish(job, reloadFailed ? 'failed' : 'done');
        else if (next !== 'activating' && next !== 'reloading') {
          this.finish(job, 'failed');
          return true;
        }
        return false;
      case 'nop':
        return false;
    }
  }

  private stamp(record: UnitRecord, old: ActiveState, next: ActiveState): void {
    const now = this.options.clock.wallNow();
    const mono = this.options.clock.now();
    const s = record.stamps;
    s.stateChange = now;
    const wasActive = isActiveOrReloading(old);
    const isActive = isActiveOrReloading(next);
    if (isActive && !wasActive) s.activeEnter = now;
    if (wasActive && !isActive) s.activeExit = now;
    if (isInactiveOrFailed(next) && !isInactiveOrFailed(old)) {
      s.inactiveEnter = now;
      s.inactiveEnterMono = mono;
    }
    if (isInactiveOrFailed(old) && !isInactiveOrFailed(next)) {
      s.inactiveExit = now;
      s.inactiveExitMono = mono;
    }
  }

  /** SuccessAction=, FailureAction=, StartLimitAction= (emergency_action()). */
  private emergencyAction(action: EmergencyAction, unit: string, configuredStatus: number | undefined, why: 'failed' | 'succeeded', warn = false): void {
    if (action === 'none') return;
    const main = this.records.get(unit)?.kind.runtime().execMain;
    const decision = decideEmergencyAction(action, `unit ${unit} ${why}`, warn, actionExitStatus(configuredStatus, main));
    this.log(decision.level, decision.message);
    for (const listener of this.exitListeners) listener(decision.exitCode, decision.force);
  }

  onExitRequest(listener: ExitRequestListener): void {
    this.exitListeners.push(listener);
  }

  // ── OS events ───────────────────────────────────────────────────────────

  private onAdoptedExit(status: WaitStatus): void {
    const watching = [...Manager.live].find((m) => m.adopted.has(status.pid));
    if (watching !== undefined && watching !== this) return watching.onAdoptedExit(status);
    const watcher = this.adopted.get(status.pid);
    this.adopted.delete(status.pid);
    if (watcher) return watcher(status);
    // An orphan of some unit died: only that unit may now be empty. Several supervisors in one process
    // share the orphans (whichever reaper saw the SIGCHLD first reaped it): the owner's manager looks.
    const owner = ownerOfExited(status.pid);
    if (owner === undefined) return;
    for (const manager of Manager.live) {
      const unit = manager.tracked.get(owner);
      const kind = unit === undefined ? undefined : manager.records.get(unit)?.kind;
      if (kind instanceof ServiceKind && kind.tracking === owner) kind.processGone();
    }
  }

  private onNotify(pid: number, text: string): void {
    const record = this.unitOfPid(pid);
    if (!record || !(record.kind instanceof ServiceKind)) {
      this.log('debug', `Cannot find unit for notify message of PID ${pid}, ignoring.`);
      return;
    }
    record.kind.notify(pid, text);
  }

  /** The unit a process belongs to, from the process index (its cgroup, ancestry or INVOCATION_ID). */
  private unitOfPid(pid: number): UnitRecord | undefined {
    const owner = ownerOf(pid);
    const unit = owner === undefined ? undefined : this.tracked.get(owner);
    return unit === undefined ? undefined : this.records.get(unit);
  }

  // ── queries ─────────────────────────────────────────────────────────────

  unitInfo(name: string, options: { stub?: boolean } = {}): UnitInfo | undefined {
    const record = this.find(name, true);
    if (record) return unitInfoOf(this.infoContext, record);
    if (!options.stub) return undefined;
    const { config } = loadUnitByName(name, { unitPath: this.options.unitPath, specifiers: hostSpecifierContext() });
    const stub: UnitRecord = {
      config,
      kind: new TargetKind({ stateChanged() {}, log() {}, output() {}, triggers: () => [], startTriggered: () => undefined, snapshot: () => undefined, activationFds: () => undefined }),
      reported: { active: 'inactive', sub: 'dead' },
      stamps: noStamps(),
      conditionResult: true,
      assertResult: true,
      files: stampUnitFiles(config, this.options.unitPath),
    };
    return unitInfoOf(this.infoContext, stub);
  }

  listUnits(all: boolean, failed: boolean, patterns: readonly string[]): UnitInfo[] {
    const matchers = patterns.map(globMatcher);
    // systemctl's compare_unit_info(): by type suffix (".service" < ".socket" < ".target"), then by name.
    const suffix = (r: UnitRecord) => r.config.id.slice(r.config.id.lastIndexOf('.'));
    return [...this.records.values()]
      .filter((r) => (failed ? r.kind.activeState === 'failed' : all || r.kind.activeState !== 'inactive' || this.installed.forUnit(r.config.id) !== undefined))
      .filter((r) => matchers.length === 0 || matchers.some((matches) => matches(r.config.id)))
      .sort((a, b) => suffix(a).localeCompare(suffix(b), 'en') || (a.config.id < b.config.id ? -1 : 1))
      .map((r) => unitInfoOf(this.infoContext, r));
  }

  listJobs(): JobInfo[] {
    return this.installed.list().map((j) => {
      const kind = this.records.get(j.unit)?.kind;
      const timeoutAt = kind?.timeoutRealtime?.();
      const statusText = kind?.runtime().statusText;
      return { id: j.id, unit: j.unit, type: j.type, state: j.state, ...(timeoutAt !== undefined ? { timeoutAt } : {}), ...(statusText ? { statusText } : {}) };
    });
  }

  dependencyTree(name: string, reverse: boolean, direction: 'requirements' | 'after' | 'before', all: boolean): TreeNode {
    const id = this.aliases.get(name) ?? name;
    return dependencyTree(this.graph, id, reverse, direction, all);
  }

  /** The units `up DIR` starts: DIR's own, except those another unit triggers (a socket's or timer's service waits for it). */
  /** The directories unit files are loaded from, highest priority first. */
  get unitPath(): readonly string[] {
    return this.options.unitPath;
  }

  unitFileNames(): string[] {
    const dir = this.options.unitPath[0];
    if (dir === undefined) return [];
    return this.definitions()
      .filter((c) => c.loadState === 'loaded' && c.fragmentPath?.startsWith(`${dir}/`))
      .filter((c) => this.graph.deps(c.id, 'TriggeredBy').length === 0)
      .map((c) => c.id)
      .sort();
  }

  environmentFilePaths(): string[] {
    return [...new Set(this.definitions().flatMap((c) => c.service?.exec.environmentFiles.map((f) => f.path) ?? []).filter((p) => !/[*?[]/.test(p)))];
  }

  /** What `up --watch` watches for each service, loaded or not (an inactive unit may have been collected):
   *  the files its commands run and its [X-Watch] globs. */
  watchSpecs(): WatchSpec[] {
    return this.definitions().flatMap((config) => {
      const service = config.service;
      if (config.loadState !== 'loaded' || service === undefined || !config.id.endsWith('.service')) return [];
      return [watchSpecOf(config.id, service, service.exec.workingDirectory?.path ?? this.options.workingDirectory ?? '/')];
    });
  }

  unitsUsingEnvironmentFiles(paths: readonly string[]): string[] {
    return this.definitions().filter((c) => c.service?.exec.environmentFiles.some((f) => paths.includes(f.path))).map((c) => c.id);
  }

  // ── actions ─────────────────────────────────────────────────────────────

  resetFailed(names: readonly string[]): void {
    const records = names.length === 0 ? [...this.records.values()] : names.map((n) => this.find(n, false)).filter((r): r is UnitRecord => r !== undefined);
    for (const record of records) record.kind.resetFailed();
    this.scheduleCollect();
  }

  kill(name: string, signal: number, whom: 'main' | 'control' | 'all'): string | undefined {
    const record = this.find(name, false);
    if (!record) return `Unit ${name} not loaded.`;
    if (isInactiveOrFailed(record.kind.activeState)) return `No main process to kill`;
    record.kind.kill(whom, signal);
    return undefined;
  }

  signalMainProcesses(signal: number): void {
    for (const record of this.records.values()) if (record.kind instanceof ServiceKind) record.kind.signalMain(signal);
  }

  /** daemon-reload: new definitions take effect; running units keep running (and keep their old definition when the new one is broken). */
  async reload(): Promise<ReloadReport> {
    const set = Manager.loadSet(this.options);
    this.loadDiagnostics = set.diagnostics.map(formatDiagnostic);
    for (const line of summarizeDiagnostics(this.loadDiagnostics)) this.log('warning', line);
    const changed: string[] = [];
    const added: string[] = [];
    const removed: string[] = [];
    const before = new Set(this.catalog.keys());
    this.catalog.clear();
    for (const config of set.units.values()) {
      const files = stampUnitFiles(config, this.options.unitPath);
      this.catalog.set(config.id, { config, files });
      const record = this.records.get(config.id);
      if (!record) {
        if (!before.has(config.id) && config.loadState === 'loaded') added.push(config.id);
        continue;
      }
      record.files = files;
      if (sameConfig(record.config, config)) continue;
      const running = !isInactiveOrFailed(record.kind.activeState);
      if (config.loadState !== 'loaded' && record.config.loadState === 'loaded' && running) {
        this.log('error', `${config.id}: Unit file has errors, keeping the previous definition running.`, config.id);
        continue;
      }
      this.replaceConfig(record, config);
      changed.push(config.id);
    }
    for (const [id, record] of [...this.records]) {
      if (set.units.has(id)) continue;
      if (isInactiveOrFailed(record.kind.activeState) && !this.installed.forUnit(id)) {
        this.disposeKind(record);
        this.records.delete(id);
      } else removed.push(id);
    }
    this.rebuildAliases();
    this.rebuildGraph();
    this.scheduleCollect();
    this.log('info', 'Reloading finished.');
    return { changed, added, removed };
  }

  private replaceConfig(record: UnitRecord, config: UnitConfig): void {
    if (record.kind instanceof ServiceKind && config.service && config.loadState === 'loaded') {
      record.config = config;
      record.kind.updateConfig(config, config.service);
      return;
    }
    if (isInactiveOrFailed(record.kind.activeState)) {
      this.disposeKind(record);
      record.config = config;
      record.kind = this.createKind(record);
    } else record.config = config;
  }

  /**
   * Stops every unit through shutdown.target (units with default dependencies conflict with it, so
   * they stop in reverse dependency order), then whatever is still up, then kills what is left.
   */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.runShutdown();
    return this.shutdownPromise;
  }

  private async runShutdown(): Promise<void> {
    if (this.find('shutdown.target', true)) {
      const planned = this.enqueueJob('shutdown.target', 'start', 'replace-irreversibly');
      if (planned.ok && planned.job !== undefined) await this.jobDone(planned.job);
    }
    // What shutdown.target did not stop (units without default dependencies); the target itself stays up.
    const remaining = [...this.records.values()].filter((r) => r.config.id !== 'shutdown.target' && (!isInactiveOrFailed(r.kind.activeState) || this.installed.forUnit(r.config.id)));
    const stops = remaining.map((r) => this.enqueueJob(r.config.id, 'stop', 'replace'));
    await Promise.all(stops.map((s) => (s.ok && s.job !== undefined ? this.jobDone(s.job) : undefined)));
    this.forceKillAll();
    // Orphans no unit could claim are still this process's descendants: the last manager kills them.
    if (Manager.live.size === 1) for (const pid of unclaimedOrphans()) sendSignal(pid, 9);
    await this.reapOrphans();
    // Killed processes' pipes may still hold lines that waited for a full sink: they are read out, not lost.
    await this.outputFlow.readOut(1000);
    this.reaper.stop();
    Manager.live.delete(this);
    this.releaseHost();
    this.notifySocket?.close();
    for (const record of this.records.values()) this.disposeKind(record);
    if (this.cgroups !== undefined) removeCgroup(this.cgroups.dir);
    await this.journal.close();
  }

  /**
   * Orphans of our units were re-parented to us (the subreaper) and may die only now, from the final
   * kill: reap them before the reaper stops, or they stay zombies of the host process (at most 1 s).
   */
  private async reapOrphans(): Promise<void> {
    const deadline = Date.now() + 1000;
    const adopted = () => childrenOf(process.pid).filter((pid) => !spawnedPids.has(pid));
    while (adopted().length > 0 && Date.now() < deadline) {
      this.reaper.reapNow();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    this.reaper.reapNow();
  }

  private jobDone(jobId: number): Promise<void> {
    if (!this.installed.get(jobId)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(jobId) ?? [];
      list.push(() => resolve());
      this.waiters.set(jobId, list);
    });
  }

  private disposeKind(record: UnitRecord): void {
    if (record.kind instanceof ServiceKind || record.kind instanceof SocketKind) this.tracked.delete(record.kind.tracking);
    record.kind.dispose();
  }

  forceKillAll(): void {
    for (const record of this.records.values()) if (record.kind instanceof ServiceKind || record.kind instanceof SocketKind) record.kind.killAll();
  }
}

/** Capability sets are bigints and SystemCallFilter= a Map, which JSON cannot hold as they are. */
const configText = (config: UnitConfig): string =>
  JSON.stringify(config, (_key, value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value instanceof Map ? [...value] : value));
const sameConfig = (a: UnitConfig, b: UnitConfig): boolean => configText(a) === configText(b);
