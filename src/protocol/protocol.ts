// The control-socket protocol: requests and replies as tagged unions, one JSON object per line,
// and the validation of untrusted input (a malformed request gets an error reply, never a crash).
import type { ErrorCode } from './exit-codes.js';

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

type Check = (v: unknown) => boolean;
const isString: Check = (v) => typeof v === 'string';
const isBool: Check = (v) => typeof v === 'boolean';
const isInt: Check = (v) => Number.isInteger(v);
const isStrings: Check = (v) => Array.isArray(v) && v.every(isString) && v.length <= 10_000;
const oneOf =
  (...values: readonly string[]): Check =>
  (v) => typeof v === 'string' && values.includes(v);
const optional =
  (c: Check): Check =>
  (v) => v === undefined || c(v);

/** The fields each verb carries, with their checks (the table a request is validated against). */
const REQUEST_SHAPES: Record<Verb, Record<string, Check>> = {
  start: { units: isStrings, noBlock: isBool },
  stop: { units: isStrings, noBlock: isBool },
  restart: { units: isStrings, noBlock: isBool },
  'try-restart': { units: isStrings, noBlock: isBool },
  reload: { units: isStrings, noBlock: isBool },
  'reload-or-restart': { units: isStrings, noBlock: isBool },
  'try-reload-or-restart': { units: isStrings, noBlock: isBool },
  status: { units: isStrings },
  show: { units: isStrings },
  'is-active': { units: isStrings },
  'is-failed': { units: isStrings },
  'reset-failed': { units: isStrings },
  'list-units': { all: isBool, failed: isBool, patterns: isStrings },
  'list-jobs': {},
  'list-dependencies': {
    unit: isString,
    reverse: isBool,
    direction: oneOf('requirements', 'after', 'before'),
    all: isBool,
  },
  kill: { units: isStrings, signal: isInt, whom: oneOf('main', 'control', 'all') },
  logs: { units: isStrings, follow: isBool, lines: isInt },
  'daemon-reload': {},
  poweroff: {},
  exit: { code: optional(isInt) },
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
    if (!check(record[field])) return { ok: false, message: `Malformed request: bad or missing '${field}' for '${verb}'.` };
  }
  return { ok: true, request: record as unknown as Request };
}

export const encodeLine = (value: Request | Reply): string => `${JSON.stringify(value)}\n`;
