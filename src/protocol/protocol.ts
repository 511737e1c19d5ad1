// The control-socket protocol: requests and replies as tagged unions, one JSON object per line,
// and the validation of untrusted input (a malformed request gets an error reply, never a crash).
import type { ErrorCode } from './exit-codes.js';
import { isValidUnitName } from '../unit/unit-name.js';
import { SIGRTMAX } from '../unit/values/signal.js';

export const JOB_VERBS = ['start', 'stop', 'restart', 'try-restart', 'reload', 'reload-or-restart', 'try-reload-or-restart'] as const;
export type JobVerb = (typeof JOB_VERBS)[number];

export type Request =
  | { readonly verb: JobVerb; readonly units: readonly string[]; readonly noBlock: boolean }
  | { readonly verb: 'status' | 'show' | 'is-active' | 'is-failed' | 'reset-failed'; readonly units: readonly string[] }
  | { readonly verb: 'list-units'; readonly all: boolean; readonly failed: boolean; readonly patterns: readonly string[] }
  | { readonly verb: 'list-jobs' }
  | {
      readonly verb: 'list-dependencies';
      readonly unit: string;
      readonly reverse: boolean;
      readonly direction: 'requirements' | 'after' | 'before';
      readonly all: boolean;
    }
  | { readonly verb: 'kill'; readonly units: readonly string[]; readonly signal: number; readonly whom: 'main' | 'control' | 'all' }
  | { readonly verb: 'logs'; readonly units: readonly string[]; readonly follow: boolean; readonly lines: number }
  | { readonly verb: 'is-system-running' | 'snapshot' | 'unit-paths' }
  | { readonly verb: 'why'; readonly unit: string }
  | { readonly verb: 'dry-run'; readonly job: JobVerb; readonly units: readonly string[] }
  | { readonly verb: 'daemon-reload' }
  | { readonly verb: 'poweroff' }
  | { readonly verb: 'exit'; readonly code: number | undefined };

export type Verb = Request['verb'];

/** The request of one verb (members that share a shape carry a union of verbs). */
export type RequestOf<V extends Verb> = Request extends infer R ? (R extends { readonly verb: infer X } ? (V extends X ? R & { readonly verb: V } : never) : never) : never;

export interface ErrorReply {
  readonly ok: false;
  readonly code: ErrorCode;
  readonly message: string;
}
export interface OkReply {
  readonly ok: true;
  readonly result: unknown;
}
/** One reply line. `stream: true` replies (logs -f) send many `ok` lines, then close. */
export type Reply = OkReply | ErrorReply;

/** The longest request line accepted; longer input is answered with an error and the connection closed. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** A field check: undefined when the value is acceptable, else why not (the daemon's answer to the client). */
type Check = (v: unknown) => string | undefined;
const MAX_NAMES = 10_000;
const when =
  (ok: (v: unknown) => boolean, message: string): Check =>
  (v) => (ok(v) ? undefined : message);
const isBool = when((v) => typeof v === 'boolean', 'expected true or false');
const isStrings = when((v) => Array.isArray(v) && v.length <= MAX_NAMES && v.every((s) => typeof s === 'string'), 'expected a list of strings');
const integerIn = (min: number, max: number, message: string): Check => when((v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max, message);
/** The bus API's answer to a name that unit_name_is_valid() refuses: nothing gets loaded for it. */
const isUnitName: Check = (v) => (typeof v !== 'string' ? 'expected a unit name' : isValidUnitName(v) ? undefined : `Unit name ${v} is not valid.`);
const isUnitNames: Check = (v) => isStrings(v) ?? (v as string[]).map(isUnitName).find((m) => m !== undefined);
const oneOf =
  (...values: readonly string[]): Check =>
  (v) => (typeof v === 'string' && values.includes(v) ? undefined : `expected one of ${values.join(', ')}`);
const optional =
  (c: Check): Check =>
  (v) => (v === undefined ? undefined : c(v));

/** The fields each verb carries, with their checks (the table a request is validated against). */
const REQUEST_SHAPES: Record<Verb, Record<string, Check>> = {
  start: { units: isUnitNames, noBlock: isBool },
  stop: { units: isUnitNames, noBlock: isBool },
  restart: { units: isUnitNames, noBlock: isBool },
  'try-restart': { units: isUnitNames, noBlock: isBool },
  reload: { units: isUnitNames, noBlock: isBool },
  'reload-or-restart': { units: isUnitNames, noBlock: isBool },
  'try-reload-or-restart': { units: isUnitNames, noBlock: isBool },
  status: { units: isUnitNames },
  show: { units: isUnitNames },
  'is-active': { units: isUnitNames },
  'is-failed': { units: isUnitNames },
  'reset-failed': { units: isUnitNames },
  'list-units': { all: isBool, failed: isBool, patterns: isStrings },
  'list-jobs': {},
  'list-dependencies': {
    unit: isUnitName,
    reverse: isBool,
    direction: oneOf('requirements', 'after', 'before'),
    all: isBool,
  },
  // SIGNAL_VALID(): 1 … _NSIG-1, as the bus API's Kill() checks.
  kill: { units: isUnitNames, signal: integerIn(1, SIGRTMAX, 'Signal number out of range.'), whom: oneOf('main', 'control', 'all') },
  // -1: everything kept.
  logs: { units: isUnitNames, follow: isBool, lines: integerIn(-1, Number.MAX_SAFE_INTEGER, 'expected a line count') },
  'is-system-running': {},
  snapshot: {},
  'unit-paths': {},
  why: { unit: isUnitName },
  'dry-run': { job: oneOf(...JOB_VERBS), units: isUnitNames },
  'daemon-reload': {},
  poweroff: {},
  // An exit status is one byte.
  exit: { code: optional(integerIn(0, 255, 'Exit code out of range.')) },
};

/** Parses one request line; anything unexpected is an error value with a message for the client. */
export function parseRequest(line: string): { ok: true; request: Request } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, message: 'Malformed request: not JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'Malformed request: expected an object.' };
  }
  const record = value as Record<string, unknown>;
  const verb = record['verb'];
  if (typeof verb !== 'string' || !Object.hasOwn(REQUEST_SHAPES, verb)) {
    return { ok: false, message: `Unknown command verb '${String(verb)}'.` };
  }
  const shape = REQUEST_SHAPES[verb as Verb];
  for (const [field, check] of Object.entries(shape)) {
    const problem = check(record[field]);
    if (problem === undefined) continue;
    // A message that reads as a sentence is the answer as systemd gives it; else name the field.
    return { ok: false, message: problem.endsWith('.') ? problem : `Malformed request: bad or missing '${field}' for '${verb}' (${problem}).` };
  }
  return { ok: true, request: record as unknown as Request };
}

export const encodeLine = (value: Request | Reply): string => `${JSON.stringify(value)}\n`;
