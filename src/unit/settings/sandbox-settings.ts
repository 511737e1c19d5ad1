// Sandboxing settings the exec helper enforces with a mount namespace: PrivateTmp=, ProtectSystem=,
// ProtectHome=, ReadWritePaths=, ReadOnlyPaths=, InaccessiblePaths=, ProtectKernelTunables=,
// ProtectControlGroups= (systemd.exec(5) "Sandboxing"; load-fragment.c config_parse_protect_system & co.).
import type { ProtectHome, ProtectSystem, SandboxPath } from '../model.js';
import { parseBoolean } from '../values/boolean.js';
import type { ValueParser } from './define-settings.js';
import { list, scalar, type SettingRow } from './define-settings.js';
import { bool, simplifyPath, words } from './value-parsers.js';

/** A boolean, or one of the extra words (yes = the first non-"no" mode). */
function boolOr<T extends string>(extra: readonly T[], yes: T, no: T, what: string): ValueParser<T> {
  return (value, ctx) => {
    const found = extra.find((e) => e === value);
    if (found !== undefined) return found;
    const b = parseBoolean(value);
    if (b === undefined) ctx.warn(`Failed to parse ${what} value, ignoring: ${value}`);
    return b === undefined ? undefined : b ? yes : no;
  };
}

const protectSystem = boolOr<ProtectSystem>(['full', 'strict'], 'yes', 'no', 'protect system');
const protectHome = boolOr<ProtectHome>(['read-only', 'tmpfs'], 'yes', 'no', 'protect home');

/** config_parse_namespace_path_strv(): absolute paths, "-" (missing is fine) and "+" (below RootDirectory=) prefixes. */
const sandboxPaths: ValueParser<SandboxPath[]> = (value, ctx) => {
  const out: SandboxPath[] = [];
  for (const word of words(value, ctx) ?? []) {
    const expanded = ctx.expand(word);
    if (expanded === undefined) continue;
    let rest = expanded;
    let optional = false;
    for (; rest.startsWith('-') || rest.startsWith('+'); rest = rest.slice(1)) if (rest.startsWith('-')) optional = true;
    if (!rest.startsWith('/')) {
      ctx.warn(`${ctx.key}= path is not absolute, ignoring: ${rest}`);
      continue;
    }
    out.push({ path: simplifyPath(rest), optional });
  }
  return out;
};

export const sandboxSettingRows: Record<string, SettingRow> = {
  PrivateTmp: scalar('exec', 'privateTmp', bool),
  PrivateDevices: scalar('exec', 'privateDevices', bool),
  ProtectSystem: scalar('exec', 'protectSystem', protectSystem),
  ProtectHome: scalar('exec', 'protectHome', protectHome),
  ReadWritePaths: list('exec', 'readWritePaths', sandboxPaths),
  ReadOnlyPaths: list('exec', 'readOnlyPaths', sandboxPaths),
  InaccessiblePaths: list('exec', 'inaccessiblePaths', sandboxPaths),
  // The names before systemd 231.
  ReadWriteDirectories: list('exec', 'readWritePaths', sandboxPaths),
  ReadOnlyDirectories: list('exec', 'readOnlyPaths', sandboxPaths),
  InaccessibleDirectories: list('exec', 'inaccessiblePaths', sandboxPaths),
  ProtectKernelTunables: scalar('exec', 'protectKernelTunables', bool),
  ProtectControlGroups: scalar('exec', 'protectControlGroups', bool),
};
