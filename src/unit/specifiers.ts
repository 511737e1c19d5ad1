// Unit file specifiers (%n, %i, %H, …) expanded from a context object (systemd.unit(5) "Specifiers",
// systemd's specifier_printf() and unit-printf.c).
import { tryUnescapeUnitName, unescapeUnitPath } from './unit-name.js';

export interface SpecifierContext {
  /** %n */
  readonly unitName: string;
  /** %y (and %Y, its directory): the fragment's path. */
  readonly fragmentPath?: string;
  readonly hostname: string;
  readonly shortHostname?: string;
  readonly machineId?: string;
  readonly bootId?: string;
  readonly userName: string;
  readonly uid: number;
  readonly groupName: string;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
  /** %t (/run for root) */
  readonly runtimeDir: string;
  /** %S %C %L %E */
  readonly stateDir: string;
  readonly cacheDir: string;
  readonly logsDir: string;
  readonly configDir: string;
  /** %T %V */
  readonly tmpDir: string;
  readonly varTmpDir: string;
  /** os-release(5) fields: %o ID, %w VERSION_ID, %W VARIANT_ID, %B BUILD_ID, %M IMAGE_ID, %A IMAGE_VERSION. */
  readonly osRelease?: Readonly<Record<string, string>>;
  /** %v, %a */
  readonly kernelRelease?: string;
  readonly architecture?: string;
}

/** strerror() texts systemd prints after "Failed to resolve unit specifiers in …: ". */
export const SPECIFIER_ERRORS = {
  unknown: 'Invalid slot', // EBADSLT
  invalid: 'Invalid argument', // EINVAL: e.g. %I of a badly escaped instance
  missing: 'No such file or directory', // ENOENT: e.g. %m without a machine ID
  tooLong: 'File name too long', // ENAMETOOLONG
} as const;

type Lookup = (ctx: SpecifierContext) => string | { error: string };

/** unit_name_to_prefix(): before the first "@", else before the last ".". */
const prefixOf = (name: string): string => {
  const at = name.indexOf('@');
  const dot = name.lastIndexOf('.');
  return at > 0 ? name.slice(0, at) : dot > 0 ? name.slice(0, dot) : name;
};
const instanceOf = (name: string): string => {
  const at = name.indexOf('@');
  const dot = name.lastIndexOf('.');
  return at > 0 && dot > at ? name.slice(at + 1, dot) : '';
};
const unescaped = (s: string): string | { error: string } => tryUnescapeUnitName(s) ?? { error: SPECIFIER_ERRORS.invalid };
const lastComponent = (name: string): string => {
  const prefix = prefixOf(name);
  const dash = prefix.lastIndexOf('-');
  return dash >= 0 ? prefix.slice(dash + 1) : prefix;
};
const required = (v: string | undefined): string | { error: string } => v ?? { error: SPECIFIER_ERRORS.missing };
const osField = (field: string): Lookup => (ctx) => ctx.osRelease?.[field] ?? '';

/** specifier_filename(): the unescaped instance as a path, else the unescaped prefix as a path. */
const filename: Lookup = (ctx) => {
  const instance = instanceOf(ctx.unitName);
  const path = unescapeUnitPath(instance !== '' ? instance : prefixOf(ctx.unitName));
  return path ?? { error: SPECIFIER_ERRORS.invalid };
};

/** systemd 252's unit specifier table (unit_full_printf_full()). */
const SPECIFIERS: Readonly<Record<string, Lookup>> = {
  n: (ctx) => ctx.unitName,
  N: (ctx) => {
    const dot = ctx.unitName.lastIndexOf('.');
    return dot > 0 ? ctx.unitName.slice(0, dot) : ctx.unitName;
  },
  p: (ctx) => prefixOf(ctx.unitName),
  P: (ctx) => unescaped(prefixOf(ctx.unitName)),
  i: (ctx) => instanceOf(ctx.unitName),
  I: (ctx) => unescaped(instanceOf(ctx.unitName)),
  j: (ctx) => lastComponent(ctx.unitName),
  J: (ctx) => unescaped(lastComponent(ctx.unitName)),
  f: filename,
  y: (ctx) => required(ctx.fragmentPath),
  Y: (ctx) => {
    const path = ctx.fragmentPath;
    if (path === undefined) return { error: SPECIFIER_ERRORS.missing };
    const slash = path.lastIndexOf('/');
    return slash > 0 ? path.slice(0, slash) : slash === 0 ? '/' : '.';
  },
  d: (ctx) => `${ctx.runtimeDir}/credentials/${ctx.unitName}`,
  t: (ctx) => ctx.runtimeDir,
  S: (ctx) => ctx.stateDir,
  C: (ctx) => ctx.cacheDir,
  L: (ctx) => ctx.logsDir,
  E: (ctx) => ctx.configDir,
  T: (ctx) => ctx.tmpDir,
  V: (ctx) => ctx.varTmpDir,
  H: (ctx) => ctx.hostname,
  l: (ctx) => ctx.shortHostname ?? ctx.hostname.split('.')[0] ?? ctx.hostname,
  q: (ctx) => ctx.hostname, // the pretty hostname falls back to the hostname when none is set
  m: (ctx) => required(ctx.machineId),
  b: (ctx) => required(ctx.bootId),
  a: (ctx) => required(ctx.architecture),
  v: (ctx) => required(ctx.kernelRelease),
  o: osField('ID'),
  w: osField('VERSION_ID'),
  W: osField('VARIANT_ID'),
  B: osField('BUILD_ID'),
  M: osField('IMAGE_ID'),
  A: osField('IMAGE_VERSION'),
  u: (ctx) => ctx.userName,
  U: (ctx) => String(ctx.uid),
  g: (ctx) => ctx.groupName,
  G: (ctx) => String(ctx.gid),
  h: (ctx) => ctx.home,
  s: (ctx) => ctx.shell,
  // systemd 252 still expands its deprecated cgroup specifiers; these are the paths a unit gets in
  // systemd's default slice (unitvisor itself uses no cgroups).
  c: (ctx) => `/system.slice/${ctx.unitName}`,
  r: () => '/system.slice',
  R: () => '',
};

/** systemd's LONG_LINE_MAX: the default limit of an expanded value. */
const DEFAULT_MAX_LENGTH = 1024 * 1024;

/**
 * specifier_printf(): "%%" is "%", a known specifier its value, an unknown letter or digit an
 * error ("Invalid slot"); "%" before any other character, or at the end, stays as written.
 */
export function expandSpecifiers(
  s: string,
  ctx: SpecifierContext,
  maxLength: number = DEFAULT_MAX_LENGTH,
): { value: string } | { error: string } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '%') {
      out += c;
    } else {
      const next = s[i + 1];
      if (next === undefined) {
        out += '%';
      } else if (next === '%') {
        out += '%';
        i++;
      } else {
        const lookup = Object.hasOwn(SPECIFIERS, next) ? SPECIFIERS[next] : undefined;
        if (lookup !== undefined) {
          const v = lookup(ctx);
          if (typeof v !== 'string') return v;
          out += v;
        } else if (/^[A-Za-z0-9]$/.test(next)) {
          return { error: SPECIFIER_ERRORS.unknown };
        } else {
          out += '%' + next;
        }
        i++;
      }
    }
    if (out.length > maxLength) return { error: SPECIFIER_ERRORS.tooLong };
  }
  return { value: out };
}

/** The specifier letters unitvisor expands (for documentation and tests). */
export const SPECIFIER_LETTERS: readonly string[] = Object.keys(SPECIFIERS);
