// Runs a service's [X-Readiness] probe while it is in "start" and its [X-HealthCheck] while it is
// running, on the manager's clock, and reports verdicts to the service machine as 'probe' events.
import type { Clock, TimerHandle } from '../common/clock.js';
import { sameData } from '../common/same-data.js';
import type { ExecCommand, Probe, ServiceSection } from '../unit/model.js';
import { describeProbe } from '../unit/settings/probe-sections.js';
import type { ServiceEvent } from '../service/effects.js';
import { httpGet, tcpConnect, type ProbeAttempt } from '../process/probe-checks.js';

export type ProbeKind = 'readiness' | 'health';

/** What `show`, `status` and the metrics say of a probe. */
export interface ProbeStatus {
  readonly probe: string;
  /** readiness: waiting → passed; health: unknown → healthy ⇄ unhealthy. 'inactive' while not running. */
  readonly state: 'inactive' | 'waiting' | 'passed' | 'unknown' | 'healthy' | 'unhealthy';
  /** Failures in a row. */
  readonly failures: number;
  readonly lastDetail: string | undefined;
  /** When the last attempt ended (wall clock, ms); 0 before the first. */
  readonly lastWallMs: number;
}

export interface ProbeRunnerPorts {
  readonly clock: Clock;
  deliver(event: ServiceEvent): void;
  log(level: 'warning', message: string): void;
  /** Exec=: run the command as the unit's own processes run (environment, user, directory); exit 0 passes. */
  runCommand(command: ExecCommand, timeoutMs: number): Promise<ProbeAttempt>;
}

const TITLE: Readonly<Record<ProbeKind, string>> = { readiness: 'Readiness probe', health: 'Health check' };

/** One probe's loop: attempts spaced by IntervalSec= after each other (never overlapping). */
class ProbeLoop {
  private timer: TimerHandle | undefined;
  /** Bumped on every start/stop, so that an attempt finishing late is ignored. */
  private generation = 0;
  private running = false;
  /** LogLine=, compiled once: it is tried on every output line while the start waits. */
  private readonly logPattern: RegExp | undefined;
  status: ProbeStatus;

  constructor(
    private readonly kind: ProbeKind,
    readonly probe: Probe,
    private readonly ports: ProbeRunnerPorts,
  ) {
    this.status = { probe: describeProbe(probe.check), state: 'inactive', failures: 0, lastDetail: undefined, lastWallMs: 0 };
    this.logPattern = probe.check.kind === 'log-line' ? new RegExp(probe.check.pattern) : undefined;
  }

  get active(): boolean {
    return this.running;
  }

  start(): void {
    this.stop();
    this.running = true;
    this.status = { ...this.status, state: this.kind === 'readiness' ? 'waiting' : 'unknown', failures: 0, lastDetail: undefined };
    // A log line is watched, not polled.
    if (this.probe.check.kind !== 'log-line') this.schedule(this.probe.initialDelayUsec);
  }

  stop(): void {
    this.generation++;
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    if (this.status.state === 'waiting' || this.status.state === 'unknown') this.status = { ...this.status, state: 'inactive' };
  }

  /** Whether a LogLine= probe is waiting for a line. */
  get watchesOutput(): boolean {
    return this.running && this.logPattern !== undefined;
  }

  /** LogLine=: a line of the service's output. */
  onOutput(line: string): void {
    if (!this.running || this.logPattern === undefined) return;
    if (this.logPattern.test(line)) this.record({ passed: true, detail: `matched: ${line}` }, this.generation);
  }

  private schedule(afterUsec: number): void {
    const generation = this.generation;
    this.timer = this.ports.clock.setTimer(afterUsec, () => {
      this.timer = undefined;
      void this.attempt().then((a) => this.record(a, generation));
    });
  }

  private attempt(): Promise<ProbeAttempt> {
    const timeoutMs = Math.max(1, Math.round(this.probe.timeoutUsec / 1000));
    const check = this.probe.check;
    switch (check.kind) {
      case 'http-get':
        return httpGet(check.url, check.headers, timeoutMs);
      case 'tcp-connect':
        return tcpConnect(check.host, check.port, timeoutMs);
      case 'exec':
        return this.ports.runCommand(check.command, timeoutMs);
      case 'log-line':
        return Promise.resolve({ passed: false, detail: 'no matching line yet' });
    }
  }

  private record(a: ProbeAttempt, generation: number): void {
    if (generation !== this.generation || !this.running) return;
    const failures = a.passed ? 0 : this.status.failures + 1;
    const state = a.passed ? (this.kind === 'readiness' ? 'passed' : 'healthy') : this.kind === 'readiness' ? 'waiting' : failures >= this.probe.threshold ? 'unhealthy' : this.status.state;
    this.status = { ...this.status, state, failures, lastDetail: a.detail, lastWallMs: this.ports.clock.wallNow() };
    const what = `${this.status.probe}: ${a.detail}`;
    if (a.passed) {
      if (this.kind === 'readiness') {
        this.running = false;
        this.ports.deliver({ kind: 'probe', probe: 'readiness', passed: true, message: `${TITLE.readiness} passed (${what}).` });
        return;
      }
    } else {
      if (this.kind === 'health') this.ports.log('warning', `${TITLE.health} failed (${failures} of ${this.probe.threshold}): ${what}`);
      if (this.probe.threshold > 0 && failures >= this.probe.threshold) {
        this.running = false;
        this.ports.deliver({ kind: 'probe', probe: this.kind, passed: false, message: `${TITLE[this.kind]} failed ${failures} time${failures === 1 ? '' : 's'} in a row: ${what}` });
        return;
      }
    }
    if (this.probe.check.kind !== 'log-line') this.schedule(this.probe.intervalUsec);
  }
}

/** A service's probes, started and stopped by its sub-state. */
export class ServiceProbes {
  private readiness: ProbeLoop | undefined;
  private health: ProbeLoop | undefined;

  constructor(
    cfg: ServiceSection,
    private readonly ports: ProbeRunnerPorts,
  ) {
    this.configure(cfg);
  }

  /**
   * daemon-reload: a probe whose settings changed starts afresh with them, in the state the service is
   * in (`sub`); an unchanged one carries on with its count of failures.
   */
  configure(cfg: ServiceSection, sub?: string): void {
    if (!sameData(this.readiness?.probe, cfg.readiness)) {
      this.readiness?.stop();
      this.readiness = cfg.readiness && new ProbeLoop('readiness', cfg.readiness, this.ports);
    }
    if (!sameData(this.health?.probe, cfg.healthCheck)) {
      this.health?.stop();
      this.health = cfg.healthCheck && new ProbeLoop('health', cfg.healthCheck, this.ports);
    }
    if (sub !== undefined) this.onSubState(sub);
  }

  /** Readiness runs in "start" (the main process is up by then), health in "running" and across reloads. */
  onSubState(sub: string): void {
    follow(this.readiness, sub === 'start');
    follow(this.health, sub === 'running' || sub === 'reload');
  }

  /** Whether output must be shown line by line (a LogLine= readiness probe waits). */
  get watchOutput(): boolean {
    return this.readiness?.watchesOutput === true;
  }

  onOutput(line: string): void {
    this.readiness?.onOutput(line);
  }

  status(): { readonly readiness: ProbeStatus | undefined; readonly health: ProbeStatus | undefined } {
    return { readiness: this.readiness?.status, health: this.health?.status };
  }

  dispose(): void {
    this.readiness?.stop();
    this.health?.stop();
  }
}

function follow(loop: ProbeLoop | undefined, wanted: boolean): void {
  if (loop === undefined || loop.active === wanted) return;
  if (wanted) loop.start();
  else loop.stop();
}
