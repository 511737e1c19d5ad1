// Unit names: validity, templates and instances, escaping, drop-in prefixes (systemd.unit(5),
// systemd-escape(1), systemd's unit-name.c).

/** Every unit type systemd knows; a name must end in one of them. */
export const UNIT_NAME_SUFFIXES = [
  'service', 'mount', 'swap', 'socket', 'target', 'device', 'automount', 'timer', 'path', 'slice', 'scope',
] as const;

/** UNIT_NAME_MAX: names are at most 255 characters. */
export const UNIT_NAME_MAX = 256;

const VALID_CHARS = /^[0-9A-Za-z:\-_.\\]$/;
const VALID_CHARS_WITH_AT = /^[0-9A-Za-z:\-_.\\@]*$/;

export interface UnitName {
  readonly prefix: string;
  readonly instance: string | undefined;
  readonly template: boolean;
  readonly suffix: string;
}

/** unit_name_is_valid() for plain, instance and template names; parsed into its parts. */
export function parseUnitName(name: string): UnitName | undefined {
  if (name === '' || name.length >= UNIT_NAME_MAX) return undefined;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const suffix = name.slice(dot + 1);
  if (!(UNIT_NAME_SUFFIXES as readonly string[]).includes(suffix)) return undefined;
  const stem = name.slice(0, dot);
  if (!VALID_CHARS_WITH_AT.test(stem)) return undefined;
  const at = stem.indexOf('@');
  if (at === 0) return undefined;
  if (at < 0) return { prefix: stem, instance: undefined, template: false, suffix };
  const instance = stem.slice(at + 1);
  return { prefix: stem.slice(0, at), instance: instance === '' ? undefined : instance, template: instance === '', suffix };
}

export const isValidUnitName = (name: string): boolean => parseUnitName(name) !== undefined;

/** "a.service" -> "service"; undefined for invalid names. */
export function unitSuffix(name: string): string | undefined {
  return parseUnitName(name)?.suffix;
}

/** "x@i.service" -> "x@.service"; undefined unless `name` is an instance. */
export function templateOf(name: string): string | undefined {
  const n = parseUnitName(name);
  return n?.instance === undefined ? undefined : `${n.prefix}@.${n.suffix}`;
}

/** unit_instance_is_valid(): what may stand between "@" and the suffix. */
export const isValidInstance = (instance: string): boolean => instance !== '' && VALID_CHARS_WITH_AT.test(instance);

/** unit_name_replace_instance(): "getty@.service" + "tty1" -> "getty@tty1.service" (works on instances too). */
export function withInstance(template: string, instance: string): string {
  const n = parseUnitName(template);
  if (n === undefined) return template;
  return `${n.prefix}@${instance}.${n.suffix}`;
}

/** Same name with another suffix ("a@b.service", "target" -> "a@b.target"). */
export function withSuffix(name: string, suffix: string): string {
  const dot = name.lastIndexOf('.');
  return `${dot < 0 ? name : name.slice(0, dot)}.${suffix}`;
}

const hex = (b: number) => b.toString(16).padStart(2, '0');

/** unit_name_escape(): "/" -> "-", "-", "\" and anything unsafe -> "\xNN" per UTF-8 byte, a leading "." too. */
export function escapeUnitName(s: string): string {
  let out = '';
  const bytes = new TextEncoder().encode(s);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    const c = String.fromCharCode(b);
    if (i === 0 && c === '.') out += '\\x2e';
    else if (c === '/') out += '-';
    else if (b < 0x80 && VALID_CHARS.test(c) && c !== '-' && c !== '\\') out += c;
    else out += `\\x${hex(b)}`;
  }
  return out;
}

/** unit_name_path_escape() (systemd-escape --path): "/" -> "-", "/dev/sda" -> "dev-sda". */
export function escapeUnitPath(path: string): string {
  const simplified = path.split('/').filter((c) => c !== '' && c !== '.').join('/');
  return simplified === '' ? '-' : escapeUnitName(simplified);
}

/** unit_name_unescape(): "-" -> "/", "\xNN" -> byte; undefined on a bad escape. */
export function tryUnescapeUnitName(s: string): string | undefined {
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '-') bytes.push(0x2f);
    else if (c === '\\') {
      const pair = s.slice(i + 2, i + 4);
      if (s[i + 1] !== 'x' || !/^[0-9a-fA-F]{2}$/.test(pair)) return undefined;
      bytes.push(parseInt(pair, 16));
      i += 3;
    } else bytes.push(...encoder.encode(c));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** systemd-escape --unescape; a malformed escape is left as written. */
export function unescapeUnitName(s: string): string {
  return tryUnescapeUnitName(s) ?? s;
}

/** unit_name_path_unescape() (systemd-escape --unescape --path): "dev-sda" -> "/dev/sda", "-" -> "/". */
export function unescapeUnitPath(s: string): string | undefined {
  if (s === '') return undefined;
  if (s === '-') return '/';
  const w = tryUnescapeUnitName(s);
  if (w === undefined || w.startsWith('/') || w.endsWith('/')) return undefined;
  const path = '/' + w;
  // path_is_normalized(): no "." or ".." components, no "//".
  if (path.split('/').slice(1).some((c) => c === '' || c === '.' || c === '..')) return undefined;
  return path;
}

/** The next shorter dash prefix ("a-b-c" -> "a-b-", "a-b-" -> "a-"), as unit_file_find_dirs() chops it. */
function chopDashPrefix(prefix: string): string | undefined {
  let p = prefix;
  let chopped = false;
  for (;;) {
    const dash = p.lastIndexOf('-');
    if (dash <= 0) return undefined;
    if (dash + 1 < p.length || chopped) return p.slice(0, dash + 1);
    // Trailing dash: chop it off and look again, but only once.
    p = p.slice(0, dash);
    chopped = true;
  }
}

/**
 * Every name whose ".d/" directories hold drop-ins for `name`, most specific first, as
 * systemd 252's unit_file_find_dirs() walks them: the name, its template, each dash prefix (with
 * the instance, then as template), and last the unit type ("service" for "service.d/").
 */
export function dropInSearchNames(name: string): string[] {
  const out: string[] = [];
  const walk = (n: string) => {
    const parsed = parseUnitName(n);
    out.push(n);
    if (parsed === undefined) return;
    if (parsed.instance !== undefined) walk(`${parsed.prefix}@.${parsed.suffix}`);
    const shorter = chopDashPrefix(parsed.prefix);
    if (shorter === undefined) return;
    // unit_name_build_from_type(): a template's prefixes are plain names ("a-b@.service" -> "a-.service").
    walk(parsed.instance !== undefined ? `${shorter}@${parsed.instance}.${parsed.suffix}` : `${shorter}.${parsed.suffix}`);
  };
  walk(name);
  const suffix = unitSuffix(name);
  if (suffix !== undefined) out.push(suffix);
  return out;
}

/**
 * The dash-prefix names whose drop-ins apply to `name` ("a-b-c.service" -> ["a-.service",
 * "a-b-.service"]), least specific first: the order in which they are applied, so that a more
 * specific one overrides. The name itself, its template and the type-level "service.d/" are not
 * included (dropInSearchNames() has them all).
 */
export function prefixesOf(name: string): string[] {
  const own = new Set([name, templateOf(name), unitSuffix(name)]);
  return dropInSearchNames(name).filter((n) => !own.has(n)).reverse();
}
