// JobMode semantics: what each --job-mode= changes in a transaction (systemctl(1) --job-mode=, systemd 252 manager_add_job, transaction.c).
import type { JobMode } from '../unit/model.js';
import type { JobType } from './job-type.js';

export type { JobMode };

export interface JobModeRules {
  /** Drop jobs that don't matter to the anchor if they would stop a running unit or change a queued job. */
  readonly minimizeImpact: boolean;
  /** Refuse when the transaction would replace a queued conflicting job. */
  readonly refuseDestructive: boolean;
  /** New jobs may not be replaced by later transactions. */
  readonly irreversible: boolean;
  /** Stop every other active unit (isolate). */
  readonly stopOthers: boolean;
  /** Cancel installed jobs whose unit is not part of the transaction. */
  readonly cancelOthers: boolean;
  /** Don't pull in requirement dependencies. */
  readonly ignoreRequirements: boolean;
  /** The anchor job ignores ordering. */
  readonly ignoreOrder: boolean;
  /** Garbage-collect jobs nothing needs (off for isolate, whose stop jobs hang off the anchor). */
  readonly collectGarbage: boolean;
}

const base: JobModeRules = {
  minimizeImpact: false,
  refuseDestructive: false,
  irreversible: false,
  stopOthers: false,
  cancelOthers: false,
  ignoreRequirements: false,
  ignoreOrder: false,
  collectGarbage: true,
};

export const JOB_MODE_RULES: Readonly<Record<JobMode, JobModeRules>> = {
  fail: { ...base, minimizeImpact: true, refuseDestructive: true },
  replace: base,
  'replace-irreversibly': { ...base, irreversible: true },
  isolate: { ...base, stopOthers: true, cancelOthers: true, collectGarbage: false },
  flush: { ...base, cancelOthers: true },
  'ignore-dependencies': { ...base, ignoreRequirements: true, ignoreOrder: true },
  'ignore-requirements': { ...base, ignoreRequirements: true },
  // Stops the units that trigger this one too; unitvisor has no triggering unit types (sockets, timers, paths).
  triggering: base,
};

/** manager_add_job's refusals before any transaction is built; undefined when the mode fits. */
export function checkJobMode(mode: JobMode, type: JobType, allowIsolate: boolean): string | undefined {
  if (mode === 'isolate' && type !== 'start') return 'Isolate is only valid for start.';
  if (mode === 'isolate' && !allowIsolate) return 'Operation refused, unit may not be isolated.';
  if (mode === 'triggering' && type !== 'stop') return '--job-mode=triggering is only valid for stop.';
  return undefined;
}
