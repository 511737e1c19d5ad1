// The mutable model a unit file is parsed into before systemd's fix-ups freeze it (load-fragment.c's Unit/Service).
import type { Usec } from '../../common/clock.js';
import type { ExecContext, ForwardDependency, InstallSection, KillContext, ProbeCheck, ServiceSection, SocketSection, TimerSection, UnitSection } from '../model.js';
import { emptyDependencies } from '../dependencies.js';
import { defaultInstallSection, defaultServiceSection, defaultSocketSection, defaultTimerSection, defaultUnitSection } from './defaults.js';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface UnitDraft {
  unit: Mutable<Omit<UnitSection, 'dependencies'>> & { dependencies: Record<ForwardDependency, string[]> };
  service: Mutable<Omit<ServiceSection, 'exec' | 'kill'>> & { exec: Mutable<ExecContext>; kill: Mutable<KillContext> };
  /** [Socket] settings; its exec and kill settings go to `service.exec`/`service.kill`, the rows both sections share. */
  socket: Mutable<Omit<SocketSection, 'exec' | 'kill'>>;
  install: Mutable<InstallSection>;
  /** [X-Readiness] and [X-HealthCheck] as assigned so far; the fix-ups turn them into Probes. */
  probes: Record<ProbeSection, ProbeDraft>;
  timer: Mutable<TimerSection>;
  /** Keys assigned at least once (defaults that depend on "was it set?", e.g. Type=, TimeoutStartSec=). */
  readonly explicit: Set<string>;
  /** A fatal parse error was seen: the unit loads as bad-setting. */
  fatal: boolean;
}

export function createDraft(): UnitDraft {
  const unit = defaultUnitSection();
  const service = defaultServiceSection();
  return {
    unit: { ...unit, dependencies: emptyDependencies() },
    service: { ...service, exec: { ...service.exec }, kill: { ...service.kill } },
    socket: (({ exec: _exec, kill: _kill, ...rest }) => rest)(defaultSocketSection()),
    install: { ...defaultInstallSection() },
    probes: { readiness: emptyProbeDraft(), healthCheck: emptyProbeDraft() },
    timer: defaultTimerSection(),
    explicit: new Set(),
    fatal: false,
  };
}

/** Appends unit names to a dependency list, keeping declaration order and dropping repeats. */
export function addDependencies(draft: UnitDraft, kind: ForwardDependency, names: readonly string[]): void {
  const current = draft.unit.dependencies[kind];
  for (const name of names) if (!current.includes(name)) current.push(name);
}

export type ProbeSection = 'readiness' | 'healthCheck';

export interface ProbeDraft {
  check: ProbeCheck | undefined;
  /** Where the section was first seen, for diagnostics about the section as a whole. */
  at: { readonly file: string; readonly line: number } | undefined;
  headers: (readonly [string, string])[];
  intervalUsec: Usec | undefined;
  timeoutUsec: Usec | undefined;
  initialDelayUsec: Usec | undefined;
  threshold: number | undefined;
}

const emptyProbeDraft = (): ProbeDraft => ({ check: undefined, at: undefined, headers: [], intervalUsec: undefined, timeoutUsec: undefined, initialDelayUsec: undefined, threshold: undefined });
