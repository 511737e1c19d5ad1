// Target units (systemd.target(5)): no processes, active as soon as started, which proves the
// UnitKind seam is not service-shaped.
import type { ActiveState } from '../../unit/active-state.js';
import type { OperationOutcome, UnitKind, UnitKindHost } from '../unit-kind.js';

export class TargetKind implements UnitKind {
  readonly startedVerb = 'Reached target' as const;
  private state: 'dead' | 'active' = 'dead';

  constructor(private readonly host: UnitKindHost) {}

  get activeState(): ActiveState {
    return this.state === 'active' ? 'active' : 'inactive';
  }

  get subState(): string {
    return this.state;
  }

  get result(): string {
    return 'success';
  }

  private set(next: 'dead' | 'active'): OperationOutcome {
    if (this.state === next) return 'already';
    const old = this.activeState;
    const oldSub = this.state;
    this.state = next;
    this.host.stateChanged({ old, oldSub, next: this.activeState, sub: this.state, willAutoRestart: false, reloadFailed: false });
    return 'started';
  }

  start(): OperationOutcome {
    return this.set('active');
  }

  stop(): OperationOutcome {
    return this.set('dead');
  }

  reload(): OperationOutcome {
    return { refused: 'invalid' };
  }

  canReload(): boolean {
    return false;
  }

  resetFailed(): void {}
  kill(): void {}
  queueIdle(): void {}

  runtime() {
    return { result: 'success' };
  }

  processes() {
    return [];
  }

  runs() {
    return { runs: [], mainRun: undefined };
  }

  dispose(): void {}
}
