// `unitvisor why UNIT`: why a unit is not running or did not start, each fact in systemd's words,
// following a failed dependency to the unit whose own failure was the root cause.
import type { JournalEntry } from '../protocol/events.js';
import type { JobRecord, UnitSnapshot, WhyReport } from '../protocol/analysis.js';

export interface WhyInput {
  readonly units: ReadonlyMap<string, UnitSnapshot>;
  /** The unit's journal (messages filed under it and its output), oldest first. */
  readonly journalOf: (unit: string) => readonly JournalEntry[];
  /** Every message of the manager, oldest first (cycle lines are filed under the unit that starts the cycle). */
  readonly messages: readonly JournalEntry[];
}

/** The lines systemd prints about why a start went wrong (kept from the unit's journal, in order). */
const TELLING = [
  /Main process exited, code=/,
  /Control process exited, code=/,
  /Failed with result '/,
  /timed out/,
  /Start request repeated too quickly\./,
  /skipped because of an unmet condition check/,
  /asserts failed\./,
  /^Failed to start /,
  /^Dependency failed for /,
  /^Assertion failed for /,
  /failed with result '/,
  /Scheduled restart job/,
  /Failed to (execute|locate|set up|determine|spawn|load|run|read|parse)/,
  /Unit configured to use KillMode=none/,
  /^\S+: (Readiness probe|Health check) failed \d+ times? in a row/,
];
/** Requirement kinds whose failure fails a start job with result 'dependency' (job_fail_dependencies). */
const REQUIREMENTS = ['Requires', 'BindsTo', 'Requisite'] as const;
const OUTPUT_LINES = 10;

export function explain(name: string, input: WhyInput): WhyReport {
  const unit = input.units.get(name);
  if (!unit) return { unit: name, active: false, facts: [`Unit ${name} could not be found.`], journal: [] };
  const facts: string[] = [];
  const seen = new Set<string>();
  const root = describe(unit, input, facts, '', seen);
  const rootSnapshot = input.units.get(root);
  const output = rootSnapshot ? input.journalOf(root).filter((e) => e.kind === 'output' && e.time >= attemptStart(rootSnapshot)).slice(-OUTPUT_LINES) : [];
  return { unit: unit.id, active: unit.activeState === 'active' || unit.activeState === 'reloading', facts, journal: output };
}

/** When the unit's last attempt began: its last job's install time, else its last activation. */
function attemptStart(u: UnitSnapshot): number {
  return Math.min(u.lastJob?.installed ?? Infinity, u.timestamps.inactiveExit || Infinity) || 0;
}

/** Adds the facts of one unit (and of the dependency that failed it); returns the root-cause unit. */
function describe(u: UnitSnapshot, input: WhyInput, facts: string[], indent: string, seen: Set<string>): string {
  seen.add(u.id);
  const add = (line: string) => facts.push(`${indent}${line}`);
  add(`${u.id}${u.description !== u.id ? ` - ${u.description}` : ''}`);
  add(`  Loaded: ${u.loadState}${u.loadError ? ` (${u.loadError})` : ''}`);
  // As systemctl status: "failed (Result: exit-code)", else "inactive (dead)".
  add(`  Active: ${u.activeState} ${u.activeState === 'failed' ? `(Result: ${u.result})` : `(${u.subState})`}`);
  if (u.lastJob) add(`  ${jobLine(u.id, u.lastJob)}`);
  if (!u.conditionResult) add('  ConditionResult=no');
  if (!u.assertResult) add('  AssertResult=no');
  if (u.nRestarts > 0) add(`  NRestarts=${u.nRestarts}`);
  if (u.execMainCode !== 0) add(`  ExecMainCode=${u.execMainCode} ExecMainStatus=${u.execMainStatus}`);
  const since = attemptStart(u);
  for (const entry of input.journalOf(u.id)) {
    if (entry.kind === 'log' && entry.time >= since && TELLING.some((re) => re.test(entry.msg))) add(`  ${entry.msg}`);
  }
  for (const line of cycleLines(u.id, input.messages)) add(`  ${line}`);
  for (const line of probeLines(u)) add(`  ${line}`);
  const conflict = conflictingStart(u, input.units);
  if (conflict) add(`  Stopped because ${conflict} was started: ${conflict} and ${u.id} conflict (Conflicts=).`);
  const culprit = failedRequirement(u, input.units, seen);
  if (!culprit) return u.id;
  add(`  ${culprit.kind}=${culprit.unit.id}, whose start did not succeed:`);
  return describe(culprit.unit, input, facts, `${indent}    `, seen);
}

/** A start held back by its readiness probe, or a health check that is failing now. */
function probeLines(u: UnitSnapshot): string[] {
  return u.probes.flatMap((p) => {
    const last = p.lastResult ? ` (last attempt: ${p.lastResult}${p.failures > 0 ? `, ${p.failures} failure${p.failures === 1 ? '' : 's'} in a row` : ''})` : '';
    if (p.kind === 'Readiness' && p.state === 'waiting') return [`Waiting for its readiness probe ${p.probe}${last}.`];
    if (p.kind === 'Health' && p.failures > 0) return [`Health check ${p.probe} is failing${last}.`];
    return [];
  });
}

function jobLine(unit: string, job: JobRecord): string {
  if (job.result !== undefined) return `Job ${job.id} ${unit}/${job.type} finished, result=${job.result}`;
  return `Job ${job.id} ${unit}/${job.type} is ${job.running > 0 ? 'running' : 'waiting'}.`;
}

/** "Job X/start deleted to break ordering cycle starting with Y/start" and the cycle it broke. */
function cycleLines(unit: string, messages: readonly JournalEntry[]): string[] {
  const deleted = new RegExp(`: Job ${unit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\S+ deleted to break ordering cycle`);
  const index = messages.findLastIndex((e) => e.kind === 'log' && deleted.test(e.msg));
  if (index < 0) return [];
  const lines: string[] = [];
  for (let i = index - 1; i >= 0; i--) {
    const e = messages[i] as JournalEntry;
    if (e.kind !== 'log' || !/: Found (ordering cycle|dependency) on /.test(e.msg)) break;
    lines.unshift(e.msg);
  }
  return [...lines, (messages[index] as Extract<JournalEntry, { kind: 'log' }>).msg];
}

/** A unit that conflicts with `u` and whose start job came with (or after) the stop that ended `u`. */
function conflictingStart(u: UnitSnapshot, units: ReadonlyMap<string, UnitSnapshot>): string | undefined {
  if (u.lastJob?.type !== 'stop' || u.activeState === 'active') return undefined;
  const others = [...(u.deps['Conflicts'] ?? []), ...(u.deps['ConflictedBy'] ?? [])];
  return others.find((other) => {
    const job = units.get(other)?.lastJob;
    return job !== undefined && job.type === 'start' && job.installed <= (u.lastJob?.installed ?? 0) + 1 && job.installed >= (u.lastJob?.installed ?? 0) - 1;
  });
}

/** The requirement whose start failed: the one that failed on its own first, else one failed by its own dependency. */
function failedRequirement(u: UnitSnapshot, units: ReadonlyMap<string, UnitSnapshot>, seen: Set<string>): { kind: string; unit: UnitSnapshot } | undefined {
  const jobFailed = u.lastJob?.result === 'dependency';
  if (!jobFailed) return undefined;
  const candidates = REQUIREMENTS.flatMap((kind) =>
    (u.deps[kind] ?? []).flatMap((id) => {
      const dep = units.get(id);
      if (!dep || seen.has(id)) return [];
      const failedStart = dep.lastJob !== undefined && dep.lastJob.type === 'start' && dep.lastJob.result !== undefined && dep.lastJob.result !== 'done';
      const notThere = dep.loadState !== 'loaded' || (kind === 'Requisite' && dep.activeState !== 'active');
      return failedStart || notThere || dep.activeState === 'failed' ? [{ kind, unit: dep }] : [];
    }),
  );
  const own = candidates.find((c) => c.unit.lastJob?.result !== 'dependency');
  return own ?? candidates[0];
}
