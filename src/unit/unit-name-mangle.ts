// What systemctl makes of a name typed on its command line (unit_name_mangle_with_suffix() in
// systemd's unit-name.c): "a" → a.service, "/dev/sda" → dev-sda.device, "/home" → home.mount,
// "a b" → a\x20b.service (with a warning), globs kept where the verb expands them.
import { escapeUnitPath, isValidUnitName, UNIT_NAME_SUFFIXES } from './unit-name.js';

export type Mangled = { readonly ok: true; readonly name: string; readonly warning?: string } | { readonly ok: false };

const VALID_WITH_AT = /^[0-9A-Za-z:\-_.\\@]$/;
const VALID_GLOB = /^[0-9A-Za-z:\-_.\\@[\]!*?]$/;
const isGlob = (s: string): boolean => /[*?[]/.test(s);

/** unit_name_to_type(): whether the part after the last dot names a unit type. */
const hasTypeSuffix = (s: string): boolean => {
  const dot = s.lastIndexOf('.');
  return dot >= 0 && (UNIT_NAME_SUFFIXES as readonly string[]).includes(s.slice(dot + 1));
};

/** unit_name_from_path(): undefined where the path is not normalized or the name would be too long. */
function fromPath(path: string, suffix: string): string | undefined {
  const simplified = path.split('/').filter((c) => c !== '' && c !== '.');
  if (simplified.includes('..')) return undefined;
  const name = `${escapeUnitPath(path)}${suffix}`;
  return isValidUnitName(name) ? name : undefined;
}

/** do_escape_mangle(): "/" → "-", every byte outside the allowed set → \xNN. */
function escapeMangle(name: string, glob: boolean): { text: string; mangled: boolean } {
  const allowed = glob ? VALID_GLOB : VALID_WITH_AT;
  let text = '';
  let mangled = false;
  for (const byte of new TextEncoder().encode(name)) {
    const c = String.fromCharCode(byte);
    if (c === '/') text += '-';
    else if (byte < 0x80 && allowed.test(c)) {
      text += c;
      continue;
    } else text += `\\x${byte.toString(16).padStart(2, '0')}`;
    mangled = true;
  }
  return { text, mangled };
}

/**
 * unit_name_mangle_with_suffix(name, flags, ".service"); `glob`: the verb expands patterns over loaded
 * units (UNIT_NAME_MANGLE_GLOB). The warning is what systemctl logs unless --quiet.
 */
export function mangleUnitName(name: string, glob: boolean, suffix = '.service'): Mangled {
  if (name === '') return { ok: false };
  if (isValidUnitName(name)) return { ok: true, name };
  let suggestEscape = true;
  let warning: string | undefined;
  if (isGlob(name) && [...name].every((c) => VALID_GLOB.test(c))) {
    if (glob) return { ok: true, name };
    warning = 'Glob pattern passed, but globs are not supported for this.';
    suggestEscape = false;
  }
  // is_device_path(): something below /dev/ or /sys/ (the directories themselves are mount points).
  const parts = name.split('/').filter((c) => c !== '' && c !== '.');
  if (name.startsWith('/') && (parts[0] === 'dev' || parts[0] === 'sys') && parts.length > 1) {
    const device = fromPath(name, '.device');
    if (device !== undefined) return { ok: true, name: device };
  }
  if (name.startsWith('/')) {
    const mount = fromPath(name, '.mount');
    if (mount !== undefined) return { ok: true, name: mount };
  }
  const { text, mangled } = escapeMangle(name, glob);
  if (mangled) warning = `Invalid unit name "${name}" escaped as "${text}"${suggestEscape ? ' (maybe you should use systemd-escape?)' : ''}.`;
  const full = (!glob || !isGlob(text)) && !hasTypeSuffix(text) ? `${text}${suffix}` : text;
  if (!glob && !isValidUnitName(full)) return { ok: false };
  return { ok: true, name: full, ...(warning !== undefined ? { warning } : {}) };
}
