// Signal names and numbers as systemd's signal_from_string()/signal_to_string() (signal(7), Linux x86_64).

/** Signal numbers by their names without "SIG", as systemd's signal table lists them. */
export const SIGNALS: Readonly<Record<string, number>> = Object.freeze({
  HUP: 1, INT: 2, QUIT: 3, ILL: 4, TRAP: 5, ABRT: 6, BUS: 7, FPE: 8, KILL: 9, USR1: 10,
  SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, STKFLT: 16, CHLD: 17, CONT: 18, STOP: 19, TSTP: 20,
  TTIN: 21, TTOU: 22, URG: 23, XCPU: 24, XFSZ: 25, VTALRM: 26, PROF: 27, WINCH: 28, IO: 29, PWR: 30,
  SYS: 31,
});

/** glibc's user-visible real-time range (the kernel's 32 and 33 are taken by the C library). */
export const SIGRTMIN = 34;
export const SIGRTMAX = 64;
/** _NSIG: valid signals are 1 … _NSIG-1. */
const NSIG = 65;

const NAMES: readonly (string | undefined)[] = (() => {
  const names: (string | undefined)[] = [];
  for (const [name, n] of Object.entries(SIGNALS)) names[n] = name;
  return names;
})();

/** Strict decimal integer as safe_atoi() takes it (optional sign, nothing else). */
function parseInteger(s: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(s) ? Number(s) : undefined;
}

/** "SIGTERM", "TERM", "15", "RTMIN", "SIGRTMIN+3", "RTMAX-2"; case-sensitive as in systemd. */
export function parseSignal(s: string): number | undefined {
  const asNumber = parseInteger(s);
  if (asNumber !== undefined) return asNumber > 0 && asNumber < NSIG ? asNumber : undefined;
  const name = s.startsWith('SIG') ? s.slice(3) : s;
  const known = Object.hasOwn(SIGNALS, name) ? SIGNALS[name] : undefined;
  if (known !== undefined) return known;
  if (name.startsWith('RTMIN')) {
    const rest = name.slice(5);
    if (rest === '') return SIGRTMIN;
    if (!rest.startsWith('+')) return undefined;
    const n = parseInteger(rest);
    return n !== undefined && n >= 0 && n <= SIGRTMAX - SIGRTMIN ? SIGRTMIN + n : undefined;
  }
  if (name.startsWith('RTMAX')) {
    const rest = name.slice(5);
    if (rest === '') return SIGRTMAX;
    if (!rest.startsWith('-')) return undefined;
    const n = parseInteger(rest);
    return n !== undefined && n <= 0 && n >= SIGRTMIN - SIGRTMAX ? SIGRTMAX + n : undefined;
  }
  return undefined;
}

/** 15 -> "TERM", 36 -> "RTMIN+2"; undefined for numbers systemd has no name for. */
export function signalName(n: number): string | undefined {
  const name = NAMES[n];
  if (name !== undefined) return name;
  if (Number.isInteger(n) && n >= SIGRTMIN && n <= SIGRTMAX) return `RTMIN+${n - SIGRTMIN}`;
  return undefined;
}

/** As systemd's signal_to_string(): the name, or the number when there is none. */
export function signalToString(n: number): string {
  return signalName(n) ?? String(n);
}
