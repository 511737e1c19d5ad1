// Service units: the pure service machine (service/) bound to the effect runner (process/),
// answering the manager's start/stop/reload in systemd's terms.
import { newInvocationId } from '../../process/leftovers.js';
import type { ServiceSection, UnitConfig } from '../../unit/model.js';
import type { ActiveState } from '../../unit/active-state.js';
import type { ServiceEvent } from '../../service/effects.js';
import { initialServiceRuntime, transition, type RequestOutcome, type ServiceContext, type ServiceRuntime } from '../../service/service-machine.js';
import { activeStateOf, EXIT_CODE_NUMBER } from '../../service/service-state.js';
import { parseNotifyMessage } from '../../service/notify-message.js';
import type { ProcessRun, UnitProcess } from '../../protocol/unit-info.js';
import { readCommandLine } from '../../process/command-line.js';
import { pidExists } from '../../process/process-tree.js';
import type { UnitProcesses } from '../../process/unit-processes.js';
import { blockLines, textLines } from '../../protocol/output-block.js';
import { EffectRunner, processRun, type RunnerHost } from '../effect-runner.js';
import { ServiceProbes } from '../probe-runner.js';
import type { ProcessServices } from '../process-services.js';
import type { RuntimeFacts } from '../properties.js';
import type { OperationOutcome, UnitKind, UnitKindHost } from '../unit-kind.js';

/** What a service asks of the manager beyond the common host. */
export interface ServiceHost extends UnitKindHost {
  /** The restart timer fired: queue a restart job (JOB_RESTART, mode replace). */
  enqueueRestart(): void;
  /** RELOADING=1: reload the PropagatesReloadTo= units. */
  propagateReload(): void;
  /** The start rate limit refused a start: run StartLimitAction=. */
  startLimitHit(): void;
  /** The type of the unit's installed job, if any (RestartKillSignal= and stop timeouts depend on it). */
  pendingJobType(): string | undefined;
}

/**
 * The context of the step being computed, one object for every unit: transition() is pure and reads it
 * only while it runs (nothing of it is kept), so it is refreshed for each step instead of made anew,
 * with a getter, per event.
 */
const STEP_CONTEXT: { -readonly [K in Exclude<keyof ServiceContext, 'cgroupPopulated'>]: ServiceContext[K] } & {
  readonly cgroupPopulated: boolean;
  processes: UnitProcesses | undefined;
} = {
  now: 0,
  startLimitIntervalUsec: 0,
  startLimitBurst: 0,
  stopJobPending: false,
  restartJobPending: false,
  processes: undefined,
  get cgroupPopulated() {
    return (this.stopJobPending ? this.processes?.isEmptyStopping() : this.processes?.isEmpty()) === false;
  },
  pidBelongsToUnit(pid) {
    return this.processes?.owns(pid) === true;
  },
  pidExists,
};

const OUTCOME: Record<RequestOutcome, OperationOutcome> = {
  accepted: 'started',
  already: 'already',
  again: 'wait',
  refused: { refused: 'invalid' },
  done: 'done',
};

/** service_enter_dead()'s states: the runtime directories go here (unit_destroy_runtime_data()). */
const ENDED: ReadonlySet<string> = new Set(['dead', 'failed', 'auto-restart']);

export class ServiceKind implements UnitKind {
  readonly startedVerb: 'Started' | 'Finished';
  private rt: ServiceRuntime = initialServiceRuntime();
  private readonly runner: EffectRunner;
  private readonly probes: ServiceProbes;
  private busy = false;
  private readonly pending: ServiceEvent[] = [];

  constructor(
    private config: UnitConfig,
    private cfg: ServiceSection,
    private readonly services: ProcessServices,
    private readonly host: ServiceHost,
  ) {
    this.startedVerb = cfg.type === 'oneshot' ? 'Finished' : 'Started';
    // Output lines also feed a LogLine= readiness probe: one by one while it waits, so that the unit's
    // "Started" follows the very line it waited for.
    const runnerHost: RunnerHost = {
      log: (level, message) => host.log(level, message),
      activationFds: () => host.activationFds(),
      output: (pid, ident, stream, lines) => {
        if (!this.probes.watchOutput) return host.output(pid, ident, stream, lines);
        for (const line of blockLines(lines.text)) {
          host.output(pid, ident, stream, textLines(`${line}\n`, 1));
          this.probes.onOutput(line);
        }
      },
    };
    const pids = () => ({
      main: typeof this.rt.mainPid === 'number' ? this.rt.mainPid : undefined,
      control: typeof this.rt.controlPid === 'number' ? this.rt.controlPid : undefined,
    });
    this.runner = new EffectRunner(cfg, services, runnerHost, (event) => this.send(event), pids, services.unitProcesses(config.id));
    this.probes = new ServiceProbes(cfg, {
      clock: services.clock,
      deliver: (event) => this.send(event),
      log: (level, message) => host.log(level, message),
      runCommand: (command, timeoutMs) => this.runner.runProbeCommand(command, timeoutMs),
    });
  }

  get activeState(): ActiveState {
    return activeStateOf(this.rt.state.sub);
  }

  get subState(): string {
    return this.rt.state.sub;
  }

  get result(): string {
    return this.rt.result;
  }

  /** The unit file changed (daemon-reload): the next operations use the new settings. */
  updateConfig(config: UnitConfig, cfg: ServiceSection): void {
    this.config = config;
    this.cfg = cfg;
    this.runner.updateConfig(cfg);
    this.probes.configure(cfg, this.rt.state.sub);
  }

  private context(): ServiceContext {
    const job = this.host.pendingJobType();
    const ctx = STEP_CONTEXT;
    ctx.now = this.services.clock.now();
    ctx.startLimitIntervalUsec = this.config.unit.startLimitIntervalUsec;
    ctx.startLimitBurst = this.config.unit.startLimitBurst;
    ctx.stopJobPending = job === 'stop';
    ctx.restartJobPending = job === 'restart';
    ctx.processes = this.runner.processes;
    return ctx;
  }

  /**
   * Feeds one event to the machine and carries out its effects. Events that effects cause while
   * this runs are queued and fed afterwards, so the machine always sees one event at a time.
   */
  send(event: ServiceEvent): RequestOutcome | undefined {
    if (this.busy) {
      this.pending.push(event);
      return undefined;
    }
    this.busy = true;
    try {
      const outcome = this.step(event);
      for (let next = this.pending.shift(); next; next = this.pending.shift()) this.step(next);
      return outcome;
    } finally {
      this.busy = false;
    }
  }

  private step(event: ServiceEvent): RequestOutcome | undefined {
    const t = transition(this.cfg, this.context(), this.rt, event);
    this.rt = t.state;
    for (const effect of t.effects) {
      switch (effect.kind) {
        case 'state-changed': {
          this.probes.onSubState(effect.to);
          // Asked before the manager sees the change: that finishes a restart job's stop half.
          const restarting = effect.to === 'auto-restart' || effect.willAutoRestart || this.host.pendingJobType() === 'restart';
          this.host.stateChanged({
            old: activeStateOf(effect.from),
            oldSub: effect.from,
            next: activeStateOf(effect.to),
            sub: effect.to,
            willAutoRestart: effect.willAutoRestart,
            reloadFailed: effect.reloadFailed,
            skipCondition: effect.skipCondition,
          });
          if (effect.from !== effect.to && ENDED.has(effect.to)) this.runner.destroyRuntimeDirectories(restarting);
          // unit_notify(): an inactive unit's empty cgroup goes (one about to restart keeps it for the next start).
          if ((effect.to === 'dead' || effect.to === 'failed') && !restarting) this.runner.processes.prune();
          break;
        }
        case 'enqueue-restart':
          this.host.enqueueRestart();
          break;
        case 'propagate-reload':
          this.host.propagateReload();
          break;
        case 'start-limit-hit':
          this.host.startLimitHit();
          break;
        default:
          this.runner.run([effect]);
      }
    }
    return t.outcome;
  }

  get startLimitHit(): boolean {
    return this.rt.startLimitHit;
  }

  start(): OperationOutcome {
    // A new activation gets a new invocation ID, as unit_start() does before anything runs.
    if (this.activeState !== 'active' && this.activeState !== 'activating' && this.activeState !== 'reloading') {
      this.runner.beginActivation(newInvocationId());
    }
    const outcome = this.send({ kind: 'start' });
    if (outcome === 'refused' && this.rt.startLimitHit) return { refused: 'start-limit-hit' };
    return OUTCOME[outcome ?? 'accepted'];
  }

  stop(): OperationOutcome {
    return OUTCOME[this.send({ kind: 'stop' }) ?? 'accepted'];
  }

  reload(): OperationOutcome {
    return OUTCOME[this.send({ kind: 'reload' }) ?? 'accepted'];
  }

  canReload(): boolean {
    return this.cfg.execReload.length > 0;
  }

  resetFailed(): void {
    this.send({ kind: 'reset-failed' });
  }

  kill(whom: 'main' | 'control' | 'all', signal: number): void {
    this.send({ kind: 'kill', whom, signal });
  }

  get waitingForIdle(): boolean {
    return this.runner.waitingForIdle;
  }

  /** Type=idle's command waits for this (systemd's idle pipe). */
  queueIdle(): void {
    this.runner.queueIdle();
  }

  /** A datagram on the notify socket from `pid`, already known to be from this unit's processes. */
  notify(pid: number, text: string): void {
    this.send({ kind: 'notify', pid, message: parseNotifyMessage(text) });
  }

  /** Whether `pid` is one of this unit's processes (notify routing, NotifyAccess=exec/all). */
  ownsProcess(pid: number): boolean {
    return this.rt.mainPid === pid || this.rt.controlPid === pid || this.runner.processes.owns(pid);
  }

  /** Some process of the machine's world went away: the unit may be empty now. */
  processGone(): void {
    this.runner.checkEmpty();
  }

  mainPid(): number | undefined {
    return typeof this.rt.mainPid === 'number' ? this.rt.mainPid : undefined;
  }

  signalMain(signal: number): void {
    const pid = this.mainPid();
    if (pid !== undefined) this.send({ kind: 'kill', whom: 'main', signal });
  }

  timeoutRealtime(): number | undefined {
    const deadline = this.rt.timers.state;
    if (deadline === undefined || !Number.isFinite(deadline)) return undefined;
    const clock = this.services.clock;
    return clock.wallNow() + (deadline - clock.now()) / 1000;
  }

  runtime(): Partial<RuntimeFacts> {
    const exit = this.rt.execMain.exit;
    const mainRun = this.runner.runs.filter((r) => r.role === 'main').at(-1);
    return {
      result: this.rt.result,
      reloadResult: this.rt.reloadResult,
      mainPid: this.mainPid() ?? 0,
      controlPid: typeof this.rt.controlPid === 'number' ? this.rt.controlPid : 0,
      statusText: this.rt.statusText,
      statusErrno: this.rt.statusErrno,
      watchdogOverrideUsec: this.rt.watchdogOverrideUsec,
      nRestarts: this.rt.nRestarts,
      execMain: {
        pid: this.rt.execMain.pid ?? 0,
        startWallMs: mainRun?.startWallMs ?? 0,
        exitWallMs: exit ? (mainRun?.stopWallMs ?? 0) : 0,
        code: exit ? EXIT_CODE_NUMBER[exit.code] : 0,
        status: exit?.status ?? 0,
      },
      execRuns: this.runner.lastRunOf,
      invocationId: this.runner.invocationId,
      canReload: this.canReload(),
      probes: this.probes.status(),
    };
  }

  processes(): readonly UnitProcess[] {
    return this.runner.processes
      .pids()
      .map((pid) => ({ pid, commandLine: readCommandLine(pid) ?? '' }))
      .sort((a, b) => a.pid - b.pid);
  }

  /** The unit's processes as the manager tracks them (cgroup or process tree). */
  get tracking(): UnitProcesses {
    return this.runner.processes;
  }

  runs(): { runs: readonly ProcessRun[]; mainRun: ProcessRun | undefined } {
    // status lists every process of this activation that has ended ("Process:"), the main one included.
    const finished = this.runner.runs.filter((r) => r.code !== undefined);
    const main = this.runner.runs.filter((r) => r.role === 'main' && r.pid === this.rt.execMain.pid).at(-1);
    return { runs: finished.map(processRun), mainRun: main ? processRun(main) : undefined };
  }

  /** SIGKILL to every process of the unit now. */
  killAll(): void {
    this.runner.killAll();
  }

  dispose(): void {
    this.probes.dispose();
    this.runner.dispose();
  }
}
