// Exit status names and sets as systemd's exit-status.c (systemd.exec(5) "Process Exit Codes",
// systemd.service(5) SuccessExitStatus=).
import { parseSignal } from './signal.js';
import { extractFirstWord } from './quoting.js';

/** Which standard a name comes from (systemd's ExitStatusClass). */
export type ExitStatusClass = 'libc' | 'systemd' | 'lsb' | 'bsd';
export const EXIT_STATUS_FULL: readonly ExitStatusClass[] = ['libc', 'systemd', 'lsb', 'bsd'];

/** exit_status_mappings[] of systemd 252. */
export const EXIT_STATUS_TABLE: Readonly<Record<number, readonly [string, ExitStatusClass]>> = Object.freeze({
  0: ['SUCCESS', 'libc'], 1: ['FAILURE', 'libc'],
  2: ['INVALIDARGUMENT', 'lsb'], 3: ['NOTIMPLEMENTED', 'lsb'], 4: ['NOPERMISSION', 'lsb'],
  5: ['NOTINSTALLED', 'lsb'], 6: ['NOTCONFIGURED', 'lsb'], 7: ['NOTRUNNING', 'lsb'],
  64: ['USAGE', 'bsd'], 65: ['DATAERR', 'bsd'], 66: ['NOINPUT', 'bsd'], 67: ['NOUSER', 'bsd'],
  68: ['NOHOST', 'bsd'], 69: ['UNAVAILABLE', 'bsd'], 70: ['SOFTWARE', 'bsd'], 71: ['OSERR', 'bsd'],
  72: ['OSFILE', 'bsd'], 73: ['CANTCREAT', 'bsd'], 74: ['IOERR', 'bsd'], 75: ['TEMPFAIL', 'bsd'],
  76: ['PROTOCOL', 'bsd'], 77: ['NOPERM', 'bsd'], 78: ['CONFIG', 'bsd'],
  200: ['CHDIR', 'systemd'], 201: ['NICE', 'systemd'], 202: ['FDS', 'systemd'], 203: ['EXEC', 'systemd'],
  204: ['MEMORY', 'systemd'], 205: ['LIMITS', 'systemd'], 206: ['OOM_ADJUST', 'systemd'],
  207: ['SIGNAL_MASK', 'systemd'], 208: ['STDIN', 'systemd'], 209: ['STDOUT', 'systemd'],
  210: ['CHROOT', 'systemd'], 211: ['IOPRIO', 'systemd'], 212: ['TIMERSLACK', 'systemd'],
  213: ['SECUREBITS', 'systemd'], 214: ['SETSCHEDULER', 'systemd'], 215: ['CPUAFFINITY', 'systemd'],
  216: ['GROUP', 'systemd'], 217: ['USER', 'systemd'], 218: ['CAPABILITIES', 'systemd'],
  219: ['CGROUP', 'systemd'], 220: ['SETSID', 'systemd'], 221: ['CONFIRM', 'systemd'],
  222: ['STDERR', 'systemd'], 224: ['PAM', 'systemd'], 225: ['NETWORK', 'systemd'],
  226: ['NAMESPACE', 'systemd'], 227: ['NO_NEW_PRIVILEGES', 'systemd'], 228: ['SECCOMP', 'systemd'],
  229: ['SELINUX_CONTEXT', 'systemd'], 230: ['PERSONALITY', 'systemd'], 231: ['APPARMOR', 'systemd'],
  232: ['ADDRESS_FAMILIES', 'systemd'], 233: ['RUNTIME_DIRECTORY', 'systemd'], 235: ['CHOWN', 'systemd'],
  236: ['SMACK_PROCESS_LABEL', 'systemd'], 237: ['KEYRING', 'systemd'], 238: ['STATE_DIRECTORY', 'systemd'],
  239: ['CACHE_DIRECTORY', 'systemd'], 240: ['LOGS_DIRECTORY', 'systemd'],
  241: ['CONFIGURATION_DIRECTORY', 'systemd'], 242: ['NUMA_POLICY', 'systemd'], 243: ['CREDENTIALS', 'systemd'],
  245: ['BPF', 'systemd'], 255: ['EXCEPTION', 'systemd'],
});

/** exit_status_to_string(): 203 -> "EXEC"; undefined when unnamed (or not in `classes`). */
export function exitStatusName(status: number, classes: readonly ExitStatusClass[] = EXIT_STATUS_FULL): string | undefined {
  const entry = EXIT_STATUS_TABLE[status];
  return entry !== undefined && classes.includes(entry[1]) ? entry[0] : undefined;
}

/** "1/FAILURE", "203/EXEC", "42" when unnamed (as `systemctl status` prints it). */
export function formatExitStatus(status: number, classes: readonly ExitStatusClass[] = EXIT_STATUS_FULL): string {
  const name = exitStatusName(status, classes);
  return name === undefined ? String(status) : `${status}/${name}`;
}

/** As the "Main process exited, code=exited, status=…" log line prints it: "42/n/a" when unnamed. */
export function formatExitStatusForLog(status: number): string {
  return `${status}/${exitStatusName(status) ?? 'n/a'}`;
}

/** exit_status_from_string(): a name of the table (case-sensitive) or a number 0…255. */
export function parseExitStatus(s: string): number | undefined {
  for (const [n, [name]] of Object.entries(EXIT_STATUS_TABLE)) if (name === s) return Number(n);
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n <= 255 ? n : undefined;
}

/**
 * SuccessExitStatus= and friends (config_parse_set_status): words are exit statuses first, then
 * signals ("9" is a status, "KILL" a signal). Bad words land in `invalid`; bad quoting makes the
 * whole value invalid ("Failed to parse …").
 */
export function parseExitStatusSet(value: string): { statuses: number[]; signals: number[]; invalid: string[] } {
  const statuses: number[] = [];
  const signals: number[] = [];
  const invalid: string[] = [];
  let pos = 0;
  for (;;) {
    const r = extractFirstWord(value, pos);
    if ('error' in r) return { statuses, signals, invalid: [...invalid, value] };
    if (r.word === undefined) break;
    pos = r.next;
    const status = parseExitStatus(r.word);
    const signal = status === undefined ? parseSignal(r.word) : undefined;
    if (status !== undefined) {
      if (!statuses.includes(status)) statuses.push(status);
    } else if (signal !== undefined) {
      if (!signals.includes(signal)) signals.push(signal);
    } else {
      invalid.push(r.word);
    }
  }
  return { statuses: statuses.sort((a, b) => a - b), signals: signals.sort((a, b) => a - b), invalid };
}
