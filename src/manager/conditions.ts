// Condition*= and Assert*= evaluated when a start job runs (systemd.unit(5) "Conditions and Asserts").
import { accessSync, constants, readdirSync, readFileSync, statSync, lstatSync } from 'node:fs';
import { arch, cpus, hostname, release, totalmem, userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { Condition } from '../unit/model.js';

type Check = (parameter: string) => boolean;

const exists = (path: string) => {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
};

const stat = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
};

function globMatches(pattern: string): boolean {
  const dir = dirname(pattern);
  const re = new RegExp(`^${pattern.slice(dir.length + 1).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  try {
    return readdirSync(dir).some((name) => re.test(name));
  } catch {
    return false;
  }
}

function isMountPoint(path: string): boolean {
  const a = stat(path);
  const b = stat(dirname(path));
  return a !== undefined && b !== undefined && (a.dev !== b.dev || a.ino === b.ino);
}

/** systemd-detect-virt's container answer: "docker", "podman", ... or "none". */
export function virtualization(): string {
  if (exists('/.dockerenv')) return 'docker';
  try {
    const env = readFileSync('/proc/1/environ', 'utf8');
    const m = /(?:^|\0)container=([^\0]+)/.exec(env);
    if (m) return m[1] as string;
  } catch {
    // not readable: not in a container we can tell
  }
  return 'none';
}

/** "4.19" against the kernel release, with systemd's comparison operators. */
function compareVersion(parameter: string, actual: string): boolean {
  const m = /^\s*(<=|>=|!=|=|<|>)?\s*(.+)$/.exec(parameter);
  if (!m) return false;
  const op = m[1] ?? '=';
  const want = m[2] as string;
  const cmp = actual.localeCompare(want, undefined, { numeric: true });
  return { '<': cmp < 0, '<=': cmp <= 0, '=': cmp === 0, '!=': cmp !== 0, '>=': cmp >= 0, '>': cmp > 0 }[op] ?? false;
}

function compareNumber(parameter: string, actual: number): boolean {
  const m = /^\s*(<=|>=|!=|=|<|>)?\s*(\d+)([KMGT]?)\s*$/.exec(parameter);
  if (!m) return false;
  const scale = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[3] as string] ?? 1;
  const want = Number(m[2]) * scale;
  const op = m[1] ?? '=';
  return { '<': actual < want, '<=': actual <= want, '=': actual === want, '!=': actual !== want, '>=': actual >= want, '>': actual > want }[op] ?? false;
}

const CHECKS: Readonly<Record<string, Check>> = {
  PathExists: exists,
  PathExistsGlob: globMatches,
  PathIsDirectory: (p) => stat(p)?.isDirectory() ?? false,
  PathIsSymbolicLink: (p) => {
    try {
      return lstatSync(p).isSymbolicLink();
    } catch {
      return false;
    }
  },
  PathIsMountPoint: isMountPoint,
  PathIsReadWrite: (p) => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
  DirectoryNotEmpty: (p) => {
    try {
      return readdirSync(p).length > 0;
    } catch {
      return false;
    }
  },
  FileNotEmpty: (p) => {
    const s = stat(p);
    return s !== undefined && s.isFile() && s.size > 0;
  },
  FileIsExecutable: (p) => {
    try {
      accessSync(p, constants.X_OK);
      return stat(p)?.isFile() ?? false;
    } catch {
      return false;
    }
  },
  User: (p) => p === String(userInfo().uid) || p === userInfo().username || (p === '@system' && userInfo().uid < 1000),
  Group: (p) => p === String(process.getgid?.()) || (process.getgroups?.() ?? []).map(String).includes(p),
  Host: (p) => p === hostname() || p === (readFileSync('/etc/machine-id', { encoding: 'utf8', flag: 'r' }).trim() ?? ''),
  KernelCommandLine: (p) => {
    try {
      const words = readFileSync('/proc/cmdline', 'utf8').trim().split(/\s+/);
      return p.includes('=') ? words.includes(p) : words.some((w) => w === p || w.startsWith(`${p}=`));
    } catch {
      return false;
    }
  },
  KernelVersion: (p) => compareVersion(p, release()),
  Environment: (p) => (p.includes('=') ? process.env[p.slice(0, p.indexOf('='))] === p.slice(p.indexOf('=') + 1) : process.env[p] !== undefined),
  Virtualization: (p) => {
    const v = virtualization();
    if (p === 'container') return v !== 'none';
    if (p === 'vm') return false;
    const yes = /^(1|yes|true|on)$/i.test(p);
    const no = /^(0|no|false|off)$/i.test(p);
    return yes ? v !== 'none' : no ? v === 'none' : p === v;
  },
  Architecture: (p) => p === ({ x64: 'x86-64', arm64: 'arm64', ia32: 'x86' }[arch()] ?? arch()) || p === 'native',
  CPUs: (p) => compareNumber(p, cpus().length),
  Memory: (p) => compareNumber(p, totalmem()),
  FirstBoot: (p) => /^(0|no|false|off)$/i.test(p),
  NeedsUpdate: () => false,
  Credential: () => false,
  ControlGroupController: () => false,
  Security: () => false,
  ACPower: () => true,
  OSRelease: () => true,
};

export interface ConditionVerdict {
  readonly ok: boolean;
  /** The first failing one, as systemd names it: "ConditionPathExists=/x" (with "!" and "|" kept). */
  readonly failed: string | undefined;
}

/** condition_test_list(): every non-triggering one must hold, and at least one triggering one if any. */
export function evaluateConditions(conditions: readonly Condition[], prefix: 'Condition' | 'Assert'): ConditionVerdict {
  let triggers = 0;
  let triggerOk = false;
  let firstFailedTrigger: string | undefined;
  for (const c of conditions) {
    const check = CHECKS[c.kind];
    const value = check ? safe(check, c.parameter) !== c.negate : true;
    const text = `${prefix}${c.kind}=${c.trigger ? '|' : ''}${c.negate ? '!' : ''}${c.parameter}`;
    if (c.trigger) {
      triggers++;
      if (value) triggerOk = true;
      else firstFailedTrigger ??= text;
    } else if (!value) {
      return { ok: false, failed: text };
    }
  }
  if (triggers > 0 && !triggerOk) return { ok: false, failed: firstFailedTrigger };
  return { ok: true, failed: undefined };
}

function safe(check: Check, parameter: string): boolean {
  try {
    return check(parameter);
  } catch {
    return false;
  }
}
