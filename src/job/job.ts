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

const fill = (format: string, desc: string): string => format.replace('%s', desc);

/** job_start_message_format; targets announce nothing when they begin. */
export function jobStartMessage(subject: MessageSubject, type: TransactionJobType): string | undefined {
  if (subject.type === 'target' && type !== 'reload') return undefined;
  if (type === 'start') return fill('Starting %s...', subject.desc);
  if (type === 'stop') return fill('Stopping %s...', subject.desc);
  if (type === 'reload') return fill('Reloading %s...', subject.desc);
  return undefined;
}

const START_DONE: Partial<Record<JobResult, string>> = {
  done: 'Started %s.',
  timeout: 'Timed out starting %s.',
  failed: 'Failed to start %s.',
  dependency: 'Dependency failed for %s.',
  assert: 'Assertion failed for %s.',
  unsupported: 'Starting of %s unsupported.',
  collected: 'Unnecessary job was removed for %s.',
  once: 'Unit %s has been started before and cannot be started again.',
};
const STOP_DONE: Partial<Record<JobResult, string>> = {
  done: 'Stopped %s.',
  failed: 'Stopped %s with error.',
  timeout: 'Timed out stopping %s.',
};
const RELOAD_DONE: Partial<Record<JobResult, string>> = {
  done: 'Reloaded %s.',
  failed: 'Reload failed for %s.',
  timeout: 'Timed out reloading %s.',
};
const VERIFY_ACTIVE_DONE: Partial<Record<JobResult, string>> = { skipped: '%s is inactive.' };

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
const TYPE_DONE: Partial<Record<UnitType, Partial<Record<TransactionJobType, Partial<Record<JobResult, string>>>>>> = {
  socket: {
    start: { done: 'Listening on %s.', failed: 'Failed to listen on %s.', timeout: 'Timed out starting %s.' },
    stop: { done: 'Closed %s.', failed: 'Failed stopping %s.', timeout: 'Timed out stopping %s.' },
  },
};

function doneFormat(subject: MessageSubject, type: TransactionJobType, result: JobResult): string | undefined {
  // Unit-type formats first (service_finished_job, target's status_message_formats).
  if (type === 'start' && result === 'done') {
    if (subject.type === 'target') return 'Reached target %s.';
    if (subject.oneshot) return 'Finished %s.';
  }
  if (type === 'stop' && result === 'done' && subject.type === 'target') return 'Stopped target %s.';
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
  return { level: DONE_LOG_LEVEL[result], unit: subject.unit, message: fill(format, subject.desc) };
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
