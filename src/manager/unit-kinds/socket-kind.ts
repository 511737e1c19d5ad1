// Socket units (systemd.socket(5); socket.c): listening fds opened by the manager, a service started on the first
// connection (Accept=no) or one instance per connection (Accept=yes), and the socket's own Exec*= control processes.
//
//   dead/failed ─start→ start-pre ─→ (open fds) ─→ start-post ─→ listening ⇄ running (Accept=no)
//        ↑                  │ fail        │ fail          │ fail      │ stop
//        └── stop-post ←── stop-pre ←─────┴───────────────┴───────────┘      (fds close on entering stop-post)
import type { ActiveState } from '../../unit/active-state.js';
import type { ExecCommand, SocketSection, UnitConfig } from '../../unit/model.js';
import { defaultServiceSection } from '../../unit/load-fragment.js';
import { socketTriggerLimit } from '../../unit/settings/defaults.js';
import { initialStartLimit, testStartLimit } from '../../service/start-limit.js';
import type { ExecPhase, ServiceEvent } from '../../service/effects.js';
import { classifyExit } from '../../service/exit-cause.js';
import { processExitLog } from '../../service/service-messages.js';
import type { ProcessRun, UnitProcess } from '../../protocol/unit-info.js';
import { closeListeners, openListeners, type OpenListener } from '../../process/listen-socket.js';
import { loadNative, type FdWatch } from '../../process/native.js';
import { EffectRunner, processRun } from '../effect-runner.js';
import type { ProcessServices } from '../process-services.js';
import type { UnitProcesses } from '../../process/unit-processes.js';
import type { RuntimeFacts } from '../properties.js';
import type { OperationOutcome, SocketHost, UnitKind } from '../unit-kind.js';
import { AcceptedConnections } from './socket-connections.js';

export type SocketState =
  | 'dead'
  | 'start-pre'
  | 'start-chown'
  | 'start-post'
  | 'listening'
  | 'running'
  | 'stop-pre'
  | 'stop-post'
  | 'failed';

const ACTIVE_STATE: Readonly<Record<SocketState, ActiveState>> = {
  dead: 'inactive',
  'start-pre': 'activating',
  'start-chown': 'activating',
  'start-post': 'activating',
  listening: 'active',
  running: 'active',
  'stop-pre': 'deactivating',
  'stop-post': 'deactivating',
  failed: 'failed',
};

/** The states in which the fds stay open (socket_set_state() closes them on entering any other). */
const FDS_OPEN: ReadonlySet<SocketState> = new Set(['start-chown', 'start-post', 'listening', 'running', 'stop-pre']);

export type SocketResult = 'success' | 'resources' | 'timeout' | 'exit-code' | 'signal' | 'core-dump' | 'trigger-limit-hit' | 'service-start-limit-hit';

const SIGKILL = 9;

/** A control command list being run: what comes after it, on success and on failure. */
interface ControlRun {
  readonly phase: ExecPhase;
  readonly commands: readonly ExecCommand[];
  index: number;
  readonly onDone: (result: SocketResult) => void;
}

export class SocketKind implements UnitKind {
  readonly startedVerb = 'Started' as const;
  private state: SocketState = 'dead';
  private socketResult: SocketResult = 'success';
  private listeners: OpenListener[] = [];
  private watches: FdWatch[] = [];
  private control: ControlRun | undefined;
  private controlPid: number | undefined;
  private timer: { cancel(): void } | undefined;
  /** The trigger rate limit's window (ratelimit_below(), as the start limit's); kept across starts, as systemd does. */
  private triggerLimit = initialStartLimit();
  private readonly runner: EffectRunner;
  readonly connections: AcceptedConnections;

  constructor(
    private readonly config: UnitConfig,
    private cfg: SocketSection,
    private readonly services: ProcessServices,
    private readonly host: SocketHost,
  ) {
    const asService = { ...defaultServiceSection(), exec: cfg.exec, kill: cfg.kill };
    this.runner = new EffectRunner(asService, services, host, (event) => this.onProcessEvent(event), () => ({ main: undefined, control: this.controlPid }), services.unitProcesses(config.id));
    this.connections = new AcceptedConnections(config.id, cfg, host);
  }

  get activeState(): ActiveState {
    return ACTIVE_STATE[this.state];
  }

  get subState(): string {
    return this.state;
  }

  get result(): string {
    return this.socketResult;
  }

  /** The open listening fds and their names ($LISTEN_FDNAMES), for the service this socket activates. */
  listenFds(): { fds: number[]; names: string[] } {
    const name = this.cfg.fileDescriptorName ?? this.config.id;
    return { fds: this.listeners.map((l) => l.fd), names: this.listeners.map(() => name) };
  }

  private setState(next: SocketState): void {
    const old = this.state;
    this.state = next;
    if (!FDS_OPEN.has(next) && this.listeners.length > 0) this.closeFds();
    this.watches.forEach((w) => (next === 'listening' ? w.start() : w.stop()));
    if (old === next) return;
    this.host.stateChanged({ old: ACTIVE_STATE[old], oldSub: old, next: ACTIVE_STATE[next], sub: next, willAutoRestart: false, reloadFailed: false });
  }

  start(): OperationOutcome {
    if (this.state === 'stop-pre' || this.state === 'stop-post') return 'wait';
    if (this.state !== 'dead' && this.state !== 'failed') return 'already';
    this.socketResult = 'success';
    this.runner.beginActivation('');
    this.runControl('start-pre', this.cfg.execStartPre, (r) => (r === 'success' ? this.enterStartChown() : this.enterStopPre(r)));
    return 'started';
  }

  stop(): OperationOutcome {
    if (this.state === 'dead' || this.state === 'failed') return 'already';
    if (this.state === 'stop-pre' || this.state === 'stop-post') return 'started';
    if (this.control !== undefined) this.abortControl();
    this.enterStopPre('success');
    return 'started';
  }

  /** socket_enter_start_chown(): the fds open here, so a port in use fails the start with Result=resources. */
  private enterStartChown(): void {
    const opened = openListeners(this.cfg);
    if (!opened.ok) {
      this.host.log('error', opened.error.message);
      this.host.log('error', `Failed to listen on sockets: ${opened.error.reason}`);
      return this.enterStopPre('resources');
    }
    this.listeners = opened.value;
    const native = loadNative();
    this.watches = this.listeners.map((l) => native.watchReadable(l.fd, () => this.onReadable(l)));
    this.setState('start-chown');
    this.runControl('start-post', this.cfg.execStartPost, (r) => (r === 'success' ? this.setState('listening') : this.enterStopPre(r)));
  }

  private enterStopPre(result: SocketResult): void {
    if (this.socketResult === 'success') this.socketResult = result;
    this.runControl('stop-pre', this.cfg.execStopPre, (r) => this.enterStopPost(r));
  }

  private enterStopPost(result: SocketResult): void {
    if (this.socketResult === 'success') this.socketResult = result;
    this.setState('stop-post');
    this.runControl('stop-post', this.cfg.execStopPost, (r) => this.enterDead(r));
  }

  private enterDead(result: SocketResult): void {
    if (this.socketResult === 'success') this.socketResult = result;
    if (this.socketResult === 'success') this.host.log('info', 'Deactivated successfully.');
    else this.host.log('warning', `Failed with result '${this.socketResult}'.`);
    this.setState(this.socketResult === 'success' ? 'dead' : 'failed');
  }

  private closeFds(): void {
    for (const w of this.watches) w.close();
    this.watches = [];
    closeListeners(this.listeners, this.cfg);
    this.listeners = [];
  }

  // ── connections ─────────────────────────────────────────────────────────

  private onReadable(listener: OpenListener): void {
    if (this.state !== 'listening') return;
    if (this.cfg.accept) {
      this.connections.acceptAll(listener.fd, () => this.belowTriggerLimit());
      if (this.state === 'listening') this.watches.forEach((w) => w.start());
      return;
    }
    if (!this.belowTriggerLimit()) return void this.connections.refused++;
    this.enterRunning();
  }

  /** socket_enter_running()'s TriggerLimitIntervalSec=/TriggerLimitBurst= check; past it the socket fails. */
  private belowTriggerLimit(): boolean {
    const limit = testStartLimit(socketTriggerLimit(this.cfg), this.triggerLimit, this.services.clock.now());
    this.triggerLimit = limit.state;
    if (limit.allowed) return true;
    this.host.log('warning', 'Trigger limit hit, refusing further activation.');
    this.enterStopPre('trigger-limit-hit');
    return false;
  }

  /** socket_enter_running() for Accept=no: start the service unless it is up or on its way, then stop watching. */
  private enterRunning(): void {
    const pending = this.host.triggers().some((unit) => {
      const s = this.host.snapshot(unit);
      return s !== undefined && (s.hasJob || s.activeState === 'active' || s.activeState === 'activating' || s.activeState === 'reloading');
    });
    if (!pending) {
      for (const unit of this.host.triggers()) {
        const refusal = this.host.startTriggered(unit);
        if (refusal === undefined) continue;
        this.host.log('warning', `Failed to queue service startup job (Maybe the service file is missing or not a service unit?): ${refusal}`);
        return this.enterStopPre('resources');
      }
    }
    this.setState('running');
  }

  /** socket_trigger_notify(): the service went down (no job pending) → listen again; it runs → running. */
  triggeredUnitChanged(unit: string, state: ActiveState): void {
    if (this.cfg.accept) return this.connections.instanceChanged(unit, state);
    if (this.state !== 'listening' && this.state !== 'running') return;
    const s = this.host.snapshot(unit);
    if (s?.startLimitHit) return this.enterStopPre('service-start-limit-hit');
    if (s?.hasJob) return;
    if (state === 'inactive' || state === 'failed') this.setState('listening');
    else if (state === 'active') this.setState('running');
  }

  // ── control processes ───────────────────────────────────────────────────

  private runControl(phase: ExecPhase, commands: readonly ExecCommand[], onDone: (r: SocketResult) => void): void {
    if (commands.length === 0) return onDone('success');
    const sub: Partial<Record<ExecPhase, SocketState>> = { 'start-pre': 'start-pre', 'start-post': 'start-post', 'stop-pre': 'stop-pre', 'stop-post': 'stop-post' };
    this.setState(sub[phase] ?? this.state);
    this.control = { phase, commands, index: 0, onDone };
    this.spawnControl();
  }

  private spawnControl(): void {
    const run = this.control;
    const command = run?.commands[run.index];
    if (run === undefined || command === undefined) return;
    this.timer?.cancel();
    this.timer = this.services.clock.setTimer(this.cfg.timeoutUsec, () => this.controlTimedOut());
    this.runner.run([{ kind: 'spawn', role: 'control', phase: run.phase, index: run.index, command, extraEnv: {}, notifySocket: false, confirmExec: false, waitForIdle: false }]);
  }

  private controlTimedOut(): void {
    this.host.log('warning', `${this.state === 'start-pre' || this.state === 'start-post' ? 'Starting' : 'Stopping'} timed out. Terminating.`);
    const run = this.control;
    this.abortControl();
    run?.onDone('timeout');
  }

  /** Kills the running control process; its exit is no longer awaited. */
  private abortControl(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.controlPid !== undefined) this.runner.run([{ kind: 'kill', whom: 'all', signal: SIGKILL, mainPid: undefined, controlPid: this.controlPid, sendSIGHUP: false, logKills: false }]);
    this.control = undefined;
    this.controlPid = undefined;
  }

  private onProcessEvent(event: ServiceEvent): void {
    const run = this.control;
    if (run === undefined) return;
    if (event.kind === 'spawned') this.controlPid = event.pid;
    if (event.kind === 'spawn-failed') return this.controlFinished(run, 'resources');
    if (event.kind !== 'process-exited' || event.pid !== this.controlPid) return;
    this.controlPid = undefined;
    const exit = { code: event.code, status: event.status };
    const command = run.commands[run.index];
    const result = classifyExit(exit, 'command', { statuses: [], signals: [] });
    const failed = result !== 'success' && command?.ignoreFailure !== true;
    const log = processExitLog('Control process', result === 'success', exit);
    this.host.log(log.level, log.message);
    if (failed) return this.controlFinished(run, result === 'exit-code' || result === 'signal' || result === 'core-dump' ? result : 'exit-code');
    run.index++;
    if (run.index < run.commands.length) return this.spawnControl();
    this.controlFinished(run, 'success');
  }

  private controlFinished(run: ControlRun, result: SocketResult): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.control = undefined;
    run.onDone(result);
  }

  // ── the rest of the UnitKind surface ────────────────────────────────────

  reload(): OperationOutcome {
    return { refused: 'invalid' };
  }

  canReload(): boolean {
    return false;
  }

  resetFailed(): void {
    if (this.state === 'failed') this.setState('dead');
    this.socketResult = 'success';
  }

  kill(whom: 'main' | 'control' | 'all', signal: number): void {
    if (whom !== 'main' && this.controlPid !== undefined) this.runner.run([{ kind: 'kill', whom: 'control', signal, mainPid: undefined, controlPid: this.controlPid, sendSIGHUP: false, logKills: false }]);
  }

  queueIdle(): void {}

  runtime(): Partial<RuntimeFacts> {
    return { result: this.socketResult, controlPid: this.controlPid ?? 0, execRuns: this.runner.lastRunOf, nConnections: this.connections.count, nAccepted: this.connections.accepted, nRefused: this.connections.refused };
  }

  processes(): readonly UnitProcess[] {
    return [];
  }

  runs(): { runs: readonly ProcessRun[]; mainRun: ProcessRun | undefined } {
    const runs = this.runner.runs.filter((r) => r.code !== undefined).map(processRun);
    return { runs, mainRun: undefined };
  }

  /** The control processes' tracking (the manager maps reaped orphans back through it). */
  get tracking(): UnitProcesses {
    return this.runner.processes;
  }

  /** SIGKILL to a running control process (forced shutdown). */
  killAll(): void {
    if (this.controlPid !== undefined) this.kill('control', SIGKILL);
  }

  dispose(): void {
    this.timer?.cancel();
    this.closeFds();
    this.connections.closeAll();
    this.runner.dispose();
  }
}
