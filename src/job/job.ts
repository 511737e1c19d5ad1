// Jobs, their results and the journal lines systemd prints for them (systemd 252 src/core/job.c, service.c, target.c).
import type { UnitType } from '../unit/model.js';
import type { TransactionJobType } from './job-type.js';

export type JobState = 'waiting' | 'running';

/** An installed job: the intent to change a unit (systemd's unit->job). One per unit. */
export interface Job {
  readonly id: number;
  readonly unit: string;
  type: TransactionJobType;
  state: JobState;
  /** Set by mode replace-irreversibly: later transactions may not replace it. */
  irreversible: boolean;
  /** Set by mode ignore-dependencies: runs regardless of ordering. */
  ignoreOrder: boolean;
}

export const JOB_RESULTS = [
  'done',
  'canceled',
  'timeout',
  'failed',
  'dependency',
  'skipped',
  'invalid',
  'assert',
  'unsupported',
  'collected',
  'once',
  'frozen',
] as const;
/** How a job ended (JobResult). A failed Condition*= ends a start job 'done' with the unit left inactive. */
export type JobResult = (typeof JOB_RESULTS)[number];

export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error';

/** One journal line, filed under `unit` as systemd files it; `message` is the text as printed. */
export interface LogLine {
  readonly level: LogLevel;
  readonly unit: string;
  readonly message: string;
}

/** log_unit_*(): the message printed with the "unit: " prefix. */
export const unitLine = (level: LogLevel, unit: string, message: string): LogLine => ({ level, unit, message: `${unit}: ${message}` });

/** What the message formats need to know about a unit. */
export interface MessageSubject {
  readonly unit: string;
  readonly type: UnitType;
  /** Type=oneshot services say "Finished" instead of "Started". */
  readonly oneshot?: boolean;
  /** `{unit} - {Description}` or the bare name (DESIGN: {desc}). */
  readonly desc: string;
}

/** A message format: the text around the unit's {desc}, built by concatenation (no search for a placeholder per message). */
type Format = (desc: string) => string;

/** job_start_message_format; targets announce nothing when they begin. */
export function jobStartMessage(subject: MessageSubject, type: TransactionJobType): string | undefined {
  if (subject.type === 'target' && type !== 'reload') return undefined;
  if (type === 'start') return `Starting ${subject.desc}...`;
  if (type === 'stop') return `Stopping ${subject.desc}...`;
  if (type === 'reload') return `Reloading ${subject.desc}...`;
  return undefined;
}

const START_DONE: Partial<Record<JobResult, Format>> = {
  done: (d) => `Started ${d}.`,
  timeout: (d) => `Timed out starting ${d}.`,
  failed: (d) => `Failed to start ${d}.`,
  dependency: (d) => `Dependency failed for ${d}.`,
  assert: (d) => `Assertion failed for ${d}.`,
  unsupported: (d) => `Starting of ${d} unsupported.`,
  collected: (d) => `Unnecessary job was removed for ${d}.`,
  once: (d) => `Unit ${d} has been started before and cannot be started again.`,
};
const STOP_DONE: Partial<Record<JobResult, Format>> = {
  done: (d) => `Stopped ${d}.`,
  failed: (d) => `Stopped ${d} with error.`,
  timeout: (d) => `Timed out stopping ${d}.`,
};
const RELOAD_DONE: Partial<Record<JobResult, Format>> = {
  done: (d) => `Reloaded ${d}.`,
  failed: (d) => `Reload failed for ${d}.`,
  timeout: (d) => `Timed out reloading ${d}.`,
};
const VERIFY_ACTIVE_DONE: Partial<Record<JobResult, Format>> = { skipped: (d) => `${d} is inactive.` };

/** job_done_messages[].log_level */
export const DONE_LOG_LEVEL: Readonly<Record<JobResult, LogLevel>> = {
  done: 'info',
  canceled: 'info',
  timeout: 'error',
  failed: 'error',
  dependency: 'warning',
  skipped: 'notice',
  invalid: 'info',
  assert: 'warning',
  unsupported: 'warning',
  collected: 'info',
  once: 'error',
  frozen: 'error',
};

/** Unit types' own status_message_formats (socket.c's socket_vtable). */
const TYPE_DONE: Partial<Record<UnitType, Partial<Record<TransactionJobType, Partial<Record<JobResult, Format>>>>>> = {
  socket: {
    start: { done: (d) => `Listening on ${d}.`, failed: (d) => `Failed to listen on ${d}.`, timeout: (d) => `Timed out starting ${d}.` },
    stop: { done: (d) => `Closed ${d}.`, failed: (d) => `Failed stopping ${d}.`, timeout: (d) => `Timed out stopping ${d}.` },
  },
};

const REACHED_TARGET: Format = (d) => `Reached target ${d}.`;
const FINISHED: Format = (d) => `Finished ${d}.`;
const STOPPED_TARGET: Format = (d) => `Stopped target ${d}.`;

function doneFormat(subject: MessageSubject, type: TransactionJobType, result: JobResult): Format | undefined {
  // Unit-type formats first (service_finished_job, target's status_message_formats).
  if (type === 'start' && result === 'done') {
    if (subject.type === 'target') return REACHED_TARGET;
    if (subject.oneshot) return FINISHED;
  }
  if (type === 'stop' && result === 'done' && subject.type === 'target') return STOPPED_TARGET;
  const typeFormat = TYPE_DONE[subject.type]?.[type === 'restart' ? 'stop' : type]?.[result];
  if (typeFormat !== undefined) return typeFormat;
  switch (type) {
    case 'start':
      return START_DONE[result];
    case 'stop':
    case 'restart':
      return STOP_DONE[result];
    case 'reload':
      return RELOAD_DONE[result];
    case 'verify-active':
      return VERIFY_ACTIVE_DONE[result];
    case 'nop':
      return undefined;
  }
}

/**
 * job_emit_done_message: the line printed when a job ends, or undefined when systemd prints none
 * (canceled jobs, nop, a start skipped by a Condition*=, passed as conditionFailed).
 */
export function jobDoneMessage(
  subject: MessageSubject,
  type: TransactionJobType,
  result: JobResult,
  opts: { conditionFailed?: boolean; conditionSkippedByUnit?: boolean } = {},
): LogLine | undefined {
  if (type === 'start' && result === 'done' && opts.conditionFailed) return undefined;
  // job_emit_done_message(): the unit itself reported the skip (ExecCondition=, UNIT_NOTIFY_SKIP_CONDITION).
  if (type === 'start' && result === 'done' && opts.conditionSkippedByUnit) return { level: 'info', unit: subject.unit, message: `Condition check resulted in ${subject.desc} being skipped.` };
  const format = doneFormat(subject, type, result);
  if (format === undefined) return undefined;
  return { level: DONE_LOG_LEVEL[result], unit: subject.unit, message: format(subject.desc) };
}

/** Logged for results the unit did not report itself (job_finish_and_invalidate). */
export const jobFailedMessage = (unit: string, type: TransactionJobType, result: JobResult): LogLine =>
  unitLine('notice', unit, `Job ${unit}/${type} failed with result '${result}'.`);

/** unit_test_condition's line when a Condition*= does not hold (e.g. "ConditionPathExists=/x"). */
export const conditionSkippedMessage = (subject: MessageSubject, failed: string): LogLine => ({
  level: 'info',
  unit: subject.unit,
  message: `${subject.desc} was skipped because of an unmet condition check (${failed}).`,
});
