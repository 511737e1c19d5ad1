// Timer units (systemd.timer(5), timer.c): waiting → running (the triggered unit was started) →
// waiting again when it finishes, or elapsed when no value will fire again.
//
//   dead ──start──▶ waiting ──elapse──▶ running ──unit inactive──▶ waiting
//                     │  ▲                                           │
//                     ▼  └────────── unit state changes ─────────── elapsed ──(RemainAfterElapse=no)──▶ dead
import { closeSync, mkdirSync, openSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { TimerHandle } from '../../common/clock.js';
import { formatTimestamp } from '../../common/timestamp.js';
import type { ActiveState } from '../../unit/active-state.js';
import { isInactiveOrFailed } from '../../unit/active-state.js';
import type { TimerSection, UnitConfig } from '../../unit/model.js';
import type { ProcessServices } from '../process-services.js';
import type { Property } from '../properties.js';
import type { OperationOutcome, UnitKind, UnitKindHost } from '../unit-kind.js';
import { computeSchedule, sleepBetween, stableHash, type DualTimestamp, type Schedule } from './timer-schedule.js';
import { timerProperties } from './timer-properties.js';

export type TimerState = 'dead' | 'waiting' | 'running' | 'elapsed' | 'failed';
export type TimerResult = 'success' | 'resources';

const ACTIVE_STATE: Readonly<Record<TimerState, ActiveState>> = {
  dead: 'inactive',
  waiting: 'active',
  running: 'active',
  elapsed: 'active',
  failed: 'failed',
};

const NEVER: DualTimestamp = { realtime: 0, monotonic: 0 };
/** The host's wake-up spot within each minute (systemd derives it from the boot ID). */
const PERTURB = stableHash(`${process.pid}`) % 60_000_000;

export class TimerKind implements UnitKind {
  readonly startedVerb = 'Started' as const;
  private state: TimerState = 'dead';
  private timerResult: TimerResult = 'success';
  private lastTrigger: DualTimestamp = NEVER;
  private activatedAt: DualTimestamp | undefined;
  private readonly disabled = new Set<number>();
  private schedule: Schedule | undefined;
  private next: { monotonic: number | undefined; realtime: number | undefined } = { monotonic: undefined, realtime: undefined };
  private armed: TimerHandle[] = [];
  /** Inside our own start request for the triggered unit: its synchronous answers are not news. */
  private triggering = false;

  constructor(
    private readonly config: UnitConfig,
    private readonly timer: TimerSection,
    private readonly services: ProcessServices,
    private readonly host: UnitKindHost,
  ) {}

  get activeState(): ActiveState {
    return ACTIVE_STATE[this.state];
  }

  get subState(): string {
    return this.state;
  }

  get result(): string {
    return this.timerResult;
  }

  private now(): DualTimestamp {
    return { realtime: this.services.clock.wallNow() * 1000, monotonic: this.services.clock.now() };
  }

  private triggerUnit(): string | undefined {
    return this.host.triggers()[0];
  }

  private get stampPath(): string | undefined {
    const dir = this.services.stateDirectory;
    return this.timer.persistent && dir !== undefined ? join(dir, 'timers', `stamp-${this.config.id}`) : undefined;
  }

  start(): OperationOutcome {
    if (this.state !== 'dead' && this.state !== 'failed') return 'already';
    const unit = this.triggerUnit();
    if (unit === undefined || this.host.snapshot(unit)?.loaded !== true) {
      this.host.log('error', `Refusing to start, unit ${unit ?? 'n/a'} to trigger not loaded.`);
      return { refused: 'not-found' };
    }
    this.lastTrigger = { realtime: this.readStamp(), monotonic: 0 };
    this.disabled.clear();
    this.timerResult = 'success';
    this.activatedAt = undefined;
    this.enterWaiting();
    this.activatedAt = this.now();
    return 'started';
  }

  stop(): OperationOutcome {
    if (this.state === 'dead' || this.state === 'failed') return 'already';
    this.enterDead('success');
    return 'started';
  }

  /** Persistent=: the last trigger's time from the stamp's mtime; a first start creates the stamp. */
  private readStamp(): number {
    const path = this.stampPath;
    if (path === undefined) return 0;
    const now = this.now().realtime;
    try {
      const mtime = Math.floor(statSync(path).mtimeMs) * 1000;
      if (mtime < now) return mtime;
      this.host.log('warning', `Not using persistent file timestamp ${formatTimestamp(mtime / 1000)} as it is in the future.`);
      return 0;
    } catch {
      this.touchStamp(now);
      return 0;
    }
  }

  private touchStamp(realtimeUsec: number): void {
    const path = this.stampPath;
    if (path === undefined) return;
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      closeSync(openSync(path, 'a'));
      utimesSync(path, realtimeUsec / 1e6, realtimeUsec / 1e6);
    } catch (error) {
      this.host.log('warning', `Failed to update timestamp file ${path}: ${(error as Error).message}`);
    }
  }

  /** timer_enter_waiting(). */
  private enterWaiting(): void {
    const unit = this.triggerUnit();
    const trigger = unit === undefined ? undefined : this.host.snapshot(unit);
    if (trigger === undefined) {
      this.host.log('error', 'Unit to trigger vanished.');
      return this.enterDead('resources');
    }
    const now = this.now();
    const schedule = computeSchedule({
      values: this.timer.values,
      disabled: this.disabled,
      now,
      lastTrigger: this.lastTrigger,
      activatedAt: this.activatedAt,
      managerStart: this.services.started,
      triggerInactiveExit: trigger.inactiveExitUsec,
      triggerInactiveEnter: trigger.inactiveEnterUsec,
    });
    for (const i of schedule.nowDisabled) this.disabled.add(i);
    this.schedule = schedule;
    this.next = { monotonic: this.randomized(schedule.nextMonotonic), realtime: this.randomized(schedule.nextRealtime) };
    if (this.next.monotonic === undefined && this.next.realtime === undefined && !this.timer.onClockChange && !this.timer.onTimezoneChange) {
      this.host.log('debug', 'Timer is elapsed.');
      return this.enterElapsed(schedule.leaveAround);
    }
    this.cancelArmed();
    const accuracy = Math.max(this.timer.accuracyUsec, 1);
    if (this.next.monotonic !== undefined) this.arm(this.next.monotonic, now.monotonic, accuracy);
    if (this.next.realtime !== undefined) this.arm(this.next.realtime, now.realtime, accuracy);
    this.setState('waiting');
  }

  /** RandomizedDelaySec=: a random (or, with FixedRandomDelay=, a stable) share of it is added. */
  private randomized(at: number | undefined): number | undefined {
    const range = this.timer.randomizedDelayUsec;
    if (at === undefined || range <= 0 || !Number.isFinite(range)) return at;
    const add = this.timer.fixedRandomDelay ? stableHash(`${this.services.environment['HOSTNAME'] ?? ''}:${this.config.id}`) % range : Math.floor(Math.random() * range);
    return at + add;
  }

  /** One wake-up, somewhere in [at, at + AccuracySec] where other timers wake too. */
  private arm(at: number, now: number, accuracy: number): void {
    const wake = sleepBetween(at, at + accuracy, PERTURB);
    this.armed.push(this.services.clock.setTimer(Math.max(0, wake - now), () => this.elapse()));
  }

  private cancelArmed(): void {
    for (const handle of this.armed) handle.cancel();
    this.armed = [];
  }

  private elapse(): void {
    if (this.state !== 'waiting') return;
    this.host.log('debug', 'Timer elapsed.');
    this.enterRunning();
  }

  /** timer_enter_running(): queue the start of the unit, remember when. */
  private enterRunning(): void {
    const unit = this.triggerUnit();
    if (unit === undefined) {
      this.host.log('error', 'Unit to trigger vanished.');
      return this.enterDead('resources');
    }
    this.triggering = true;
    const refusal = this.host.startTriggered(unit);
    this.triggering = false;
    if (refusal !== undefined) {
      this.host.log('warning', `Failed to queue unit startup job: ${refusal}`);
      return this.enterDead('resources');
    }
    this.lastTrigger = this.now();
    this.touchStamp(this.lastTrigger.realtime);
    this.setState('running');
  }

  private enterElapsed(leaveAround: boolean): void {
    if (this.timer.remainAfterElapse || leaveAround) this.setState('elapsed');
    else this.enterDead('success');
  }

  private enterDead(result: TimerResult): void {
    if (this.timerResult === 'success') this.timerResult = result;
    this.host.log('info', this.timerResult === 'success' ? 'Deactivated successfully.' : `Failed with result '${this.timerResult}'.`);
    this.setState(this.timerResult === 'success' ? 'dead' : 'failed');
  }

  private setState(next: TimerState): void {
    // Only a waiting timer has a next elapse (timer_set_state()).
    if (next !== 'waiting') {
      this.cancelArmed();
      this.next = { monotonic: undefined, realtime: undefined };
    }
    const old = this.state;
    if (old === next) return;
    this.state = next;
    this.host.stateChanged({ old: ACTIVE_STATE[old], oldSub: old, next: ACTIVE_STATE[next], sub: next, willAutoRestart: false, reloadFailed: false });
  }

  /** timer_trigger_notify(). */
  triggeredUnitChanged(_unit: string, state: ActiveState): void {
    if (this.triggering) return;
    this.timer.values.forEach((v, i) => {
      if (v.base === 'OnUnitActiveSec' || v.base === 'OnUnitInactiveSec') this.disabled.delete(i);
    });
    if (this.state === 'waiting' || this.state === 'elapsed') this.enterWaiting();
    else if (this.state === 'running' && isInactiveOrFailed(state)) this.enterWaiting();
  }

  /** When it elapses next (systemctl's calc_next_elapse(): the earlier of both clocks, in wall-clock µs). */
  nextElapseRealtime(): number | undefined {
    const now = this.now();
    const mono = this.next.monotonic === undefined ? undefined : now.realtime + (this.next.monotonic - now.monotonic);
    const candidates = [mono, this.next.realtime].filter((t): t is number => t !== undefined);
    return candidates.length === 0 ? undefined : Math.min(...candidates);
  }

  lastTriggerRealtime(): number | undefined {
    return this.lastTrigger.realtime > 0 ? this.lastTrigger.realtime : undefined;
  }

  properties(): Property[] {
    return timerProperties(this.timer, {
      unit: this.triggerUnit() ?? '',
      perValue: this.schedule?.perValue ?? [],
      nextMonotonic: this.next.monotonic,
      nextRealtime: this.next.realtime,
      lastTrigger: this.lastTrigger,
      result: this.timerResult,
    });
  }

  reload(): OperationOutcome {
    return { refused: 'invalid' };
  }

  canReload(): boolean {
    return false;
  }

  resetFailed(): void {
    if (this.state === 'failed') this.setState('dead');
    this.timerResult = 'success';
  }

  kill(): void {}
  queueIdle(): void {}

  runtime() {
    return { result: this.timerResult };
  }

  processes() {
    return [];
  }

  runs() {
    return { runs: [], mainRun: undefined };
  }

  dispose(): void {
    this.cancelArmed();
  }
}
