// Limit*= values as systemd's rlimit_parse() reads them (systemd.exec(5) "Process Properties", setrlimit(2)).
import { parseTimespan } from './timespan.js';

/** Limit*= names in systemd's order, with the resource each sets (RLIMIT_* of sys/resource.h). */
export const RLIMITS = ['CPU', 'FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'NOFILE', 'AS', 'NPROC', 'MEMLOCK', 'LOCKS', 'SIGPENDING', 'MSGQUEUE', 'NICE', 'RTPRIO', 'RTTIME'] as const;
export type RlimitName = (typeof RLIMITS)[number];

/** RLIM_INFINITY. */
export const RLIM_INFINITY = 'infinity';
export type RlimitValue = number | typeof RLIM_INFINITY;

export interface Rlimit {
  readonly soft: RlimitValue;
  readonly hard: RlimitValue;
}

const BYTES: ReadonlySet<RlimitName> = new Set(['FSIZE', 'DATA', 'STACK', 'CORE', 'RSS', 'AS', 'MEMLOCK', 'MSGQUEUE']);

/** parse_size() base 1024: "64K", "1G", "512". */
function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGTPE]?)B?$/i.exec(text);
  if (!m) return undefined;
  const factor = 1024 ** 'KMGTPE'.indexOf((m[2] ?? '').toUpperCase()) * (m[2] ? 1024 : 1);
  const n = Math.floor(Number(m[1]) * factor);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** One value (soft or hard) of resource `name`. */
function parseOne(name: RlimitName, text: string): RlimitValue | undefined {
  if (text === 'infinity') return RLIM_INFINITY;
  switch (name) {
    case 'CPU': {
      // rlimit_parse_sec(): a time span, rounded up to whole seconds.
      const usec = parseTimespan(text);
      return usec === undefined ? undefined : Math.ceil(usec / 1_000_000);
    }
    case 'RTTIME': {
      // rlimit_parse_usec(): a time span whose default unit is the microsecond.
      const usec = /^\d+$/.test(text) ? Number(text) : parseTimespan(text);
      return usec;
    }
    case 'NICE': {
      // "+N"/"-N" are nice levels (-20…19), stored as 20 - N; a bare number is the raw value (0…40).
      if (/^[+-]\d+$/.test(text)) {
        const nice = Number(text);
        return nice >= -20 && nice <= 19 ? 20 - nice : undefined;
      }
      return /^\d+$/.test(text) && Number(text) <= 40 ? Number(text) : undefined;
    }
    default:
      if (BYTES.has(name)) return parseSize(text);
      return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
  }
}

const lessOrEqual = (a: RlimitValue, b: RlimitValue): boolean => b === RLIM_INFINITY || (a !== RLIM_INFINITY && a <= b);

/** "VALUE" sets both; "SOFT:HARD" each; a soft limit above the hard one is refused. */
export function parseRlimit(name: RlimitName, text: string): Rlimit | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) {
    const value = parseOne(name, text.trim());
    return value === undefined ? undefined : { soft: value, hard: value };
  }
  const soft = parseOne(name, text.slice(0, colon).trim());
  const hard = parseOne(name, text.slice(colon + 1).trim());
  if (soft === undefined || hard === undefined || !lessOrEqual(soft, hard)) return undefined;
  return { soft, hard };
}

/** What `show` prints for one value: RLIM_INFINITY as 18446744073709551615, as systemctl does. */
export const formatRlimitValue = (value: RlimitValue): string => (value === RLIM_INFINITY ? '18446744073709551615' : String(value));
