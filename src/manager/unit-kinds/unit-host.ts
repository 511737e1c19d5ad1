// One unit's view of the manager: what its kind asks (KindHost), answered by the manager's calls for
// that unit. The manager makes its calls once; a unit holds only its name and them, not a dozen closures
// of its own (about 1 KiB per unit).
import type { Lines } from '../../protocol/output-block.js';
import type { LogLevel } from '../event-stream.js';
import type { ActivationFds, StateChange, UnitSnapshot } from '../unit-kind.js';
import type { KindHost } from './kind-factories.js';

/** KindHost's methods, each with the unit's name first. */
export type HostCalls = { readonly [K in keyof KindHost]: (id: string, ...args: Parameters<KindHost[K]>) => ReturnType<KindHost[K]> };

export class UnitHost implements KindHost {
  constructor(
    private readonly calls: HostCalls,
    private readonly id: string,
  ) {}

  stateChanged(change: StateChange): void {
    this.calls.stateChanged(this.id, change);
  }

  log(level: LogLevel, message: string): void {
    this.calls.log(this.id, level, message);
  }

  output(pid: number, ident: string, stream: 'stdout' | 'stderr', lines: Lines): void {
    this.calls.output(this.id, pid, ident, stream, lines);
  }

  triggers(): readonly string[] {
    return this.calls.triggers(this.id);
  }

  startTriggered(unit: string): string | undefined {
    return this.calls.startTriggered(this.id, unit);
  }

  snapshot(unit: string): UnitSnapshot | undefined {
    return this.calls.snapshot(this.id, unit);
  }

  activationFds(): ActivationFds | undefined {
    return this.calls.activationFds(this.id);
  }

  enqueueRestart(): void {
    this.calls.enqueueRestart(this.id);
  }

  propagateReload(): void {
    this.calls.propagateReload(this.id);
  }

  startLimitHit(): void {
    this.calls.startLimitHit(this.id);
  }

  pendingJobType(): string | undefined {
    return this.calls.pendingJobType(this.id);
  }

  startInstance(unit: string, peer: string): string | undefined {
    return this.calls.startInstance(this.id, unit, peer);
  }
}
