// Test rig: drives the pure service machine like the effect runner would, with a FakeClock and fake pids.
import { FakeClock, USEC_PER_SEC, type TimerHandle } from '../../src/common/clock.js';
import type { ExecCommand, ServiceSection } from '../../src/unit/model.js';
import { defaultServiceSection } from '../../src/unit/settings/defaults.js';
import type { Effect, ProcessRole, ServiceEvent, ServiceTimer } from '../../src/service/effects.js';
import type { ExitCode } from '../../src/service/service-state.js';
import { initialServiceState, transition, type ServiceContext, type ServiceRuntime, type Transition } from '../../src/service/service-machine.js';

export function cmd(path: string, opts: { ignoreFailure?: boolean } = {}): ExecCommand {
  return {
    path,
    argv: [path],
    ignoreFailure: opts.ignoreFailure ?? false,
    noEnvExpand: false,
    fullPrivileges: false,
    privilegesMode: 'normal',
    file: 'test.service',
    line: 1,
  };
}

export function service(overrides: Partial<ServiceSection> = {}): ServiceSection {
  const base = defaultServiceSection();
  return { ...base, execStart: [cmd('/bin/daemon')], ...overrides, kill: { ...base.kill, ...overrides.kill } };
}

export class Rig {
  readonly clock = new FakeClock();
  rt: ServiceRuntime = initialServiceState();
  readonly effects: Effect[] = [];
  outcome: Transition['outcome'];
  /** Extra context fields (cgroupPopulated, stopJobPending, ...). */
  ctx: Partial<ServiceContext> = {};
  /** Answer spawn effects with 'spawned' and a fresh pid, as the runner does. */
  autoSpawn = true;
  startLimit = { intervalUsec: 10 * USEC_PER_SEC, burst: 5 };
  private nextPid = 100;
  private readonly timers = new Map<ServiceTimer, TimerHandle>();
  private readonly queue: ServiceEvent[] = [];
  private busy = false;

  constructor(readonly cfg: ServiceSection) {}

  get sub(): string {
    return this.rt.state.sub;
  }

  send(event: ServiceEvent): this {
    this.queue.push(event);
    if (this.busy) return this;
    this.busy = true;
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) this.step(e);
    } finally {
      this.busy = false;
    }
    return this;
  }

  private step(event: ServiceEvent): void {
    const ctx: ServiceContext = {
      now: this.clock.now(),
      startLimitIntervalUsec: this.startLimit.intervalUsec,
      startLimitBurst: this.startLimit.burst,
      ...this.ctx,
    };
    const t = transition(this.cfg, ctx, this.rt, event);
    this.rt = t.state;
    if (['start', 'stop', 'reload', 'kill'].includes(event.kind)) this.outcome = t.outcome;
    for (const effect of t.effects) this.apply(effect);
  }

  private apply(effect: Effect): void {
    this.effects.push(effect);
    if (effect.kind === 'arm-timer') {
      this.timers.get(effect.timer)?.cancel();
      this.timers.set(effect.timer, this.clock.setTimer(effect.afterUsec, () => this.send({ kind: 'timer-fired', timer: effect.timer })));
    } else if (effect.kind === 'cancel-timer') {
      this.timers.get(effect.timer)?.cancel();
      this.timers.delete(effect.timer);
    } else if (effect.kind === 'spawn' && this.autoSpawn) {
      this.queue.push({ kind: 'spawned', role: effect.role, pid: this.nextPid++ });
    }
  }

  pid(role: ProcessRole): number {
    const pid = role === 'main' ? this.rt.mainPid : this.rt.controlPid;
    if (typeof pid !== 'number') throw new Error(`no ${role} pid in state ${this.sub}`);
    return pid;
  }

  exit(role: ProcessRole, status: number, code: ExitCode = 'exited'): this {
    return this.send({ kind: 'process-exited', pid: this.pid(role), code, status });
  }

  kill(role: ProcessRole, signal: number): this {
    return this.exit(role, signal, 'killed');
  }

  advance(usec: number): this {
    this.clock.advance(usec);
    return this;
  }

  /** Log lines the journal would show (debug dropped). */
  logs(): string[] {
    return this.effects.flatMap((e) => (e.kind === 'log' && e.level !== 'debug' ? [e.message] : []));
  }

  /** The sub-states entered, in order. */
  states(): string[] {
    return this.effects.flatMap((e) => (e.kind === 'state-changed' ? [e.to] : []));
  }

  of<K extends Effect['kind']>(kind: K): Extract<Effect, { kind: K }>[] {
    return this.effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
  }

  /** Forget what happened so far (to look at one step). */
  clear(): this {
    this.effects.length = 0;
    return this;
  }
}
