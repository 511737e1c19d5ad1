// RuntimeDirectory=, StateDirectory=, CacheDirectory=, LogsDirectory=, ConfigurationDirectory= with their
// *Mode= and RuntimeDirectoryPreserve= (systemd.exec(5); load-fragment.c config_parse_exec_directories()).
import type { ExecDirectoryEntry, ExecDirectoryType, ExecPreserveMode } from '../model.js';
import { EXEC_DIRECTORY_TYPES } from '../model.js';
import { parseBoolean } from '../values/boolean.js';
import { splitWords } from '../values/quoting.js';
import type { ParseContext, SettingRow, ValueParser } from './define-settings.js';
import { custom, scalar } from './define-settings.js';
import { umask, words } from './value-parsers.js';

/** The setting name of each directory type. */
export const DIRECTORY_SETTING: Readonly<Record<ExecDirectoryType, string>> = {
  runtime: 'RuntimeDirectory',
  state: 'StateDirectory',
  cache: 'CacheDirectory',
  logs: 'LogsDirectory',
  configuration: 'ConfigurationDirectory',
};

/** path_simplify_and_warn(PATH_CHECK_RELATIVE): relative, normalized, and not empty. */
function relativePath(raw: string, ctx: ParseContext): string | undefined {
  const path = ctx.expand(raw);
  if (path === undefined) return undefined;
  if (path.startsWith('/')) {
    ctx.warn(`${ctx.key}= path is absolute, ignoring: ${path}`);
    return undefined;
  }
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..') || parts.length === 0) {
    ctx.warn(`${ctx.key}= path is not normalized, ignoring: ${path}`);
    return undefined;
  }
  return parts.join('/');
}

/** One "SRC[:SYMLINK]" word, or undefined when it is ignored (with systemd's warning). */
function entry(tuple: string, ctx: ParseContext): { path: string; symlink: string | undefined } | 'stop' | undefined {
  const parts = splitWords(tuple, { separators: ':', unquote: false, cunescape: true, unescapeSeparators: true });
  const [src, dest, extra] = parts ?? [];
  if (src === undefined || extra !== undefined) {
    ctx.warn(`Invalid syntax in ${ctx.key}=, ignoring: ${tuple}`);
    return 'stop';
  }
  const path = relativePath(src, ctx);
  if (path === undefined) return undefined;
  if (path === 'private' || path.startsWith('private/')) {
    ctx.warn(`${ctx.key}= path can't be 'private', ignoring assignment: ${tuple}`);
    return undefined;
  }
  if (dest === undefined || dest === '') return { path, symlink: undefined };
  if (ctx.key === 'ConfigurationDirectory') {
    ctx.warn(`Destination parameter is not supported for ConfigurationDirectory, ignoring: ${tuple}`);
    return undefined;
  }
  const symlink = relativePath(dest, ctx);
  return symlink === undefined ? undefined : { path, symlink };
}

/** Adds words to the list; a path named twice gathers its symlinks (exec_directory_add()). */
const directoryWords: ValueParser<ExecDirectoryEntry[]> = (value, ctx) => {
  const tuples = words(value, ctx);
  if (tuples === undefined) return undefined;
  const out: ExecDirectoryEntry[] = [];
  for (const tuple of tuples) {
    const parsed = entry(tuple, ctx);
    if (parsed === 'stop') break;
    if (parsed !== undefined) out.push({ path: parsed.path, symlinks: parsed.symlink === undefined ? [] : [parsed.symlink] });
  }
  return out;
};

function mergeEntries(current: readonly ExecDirectoryEntry[], added: readonly ExecDirectoryEntry[]): ExecDirectoryEntry[] {
  const merged = [...current];
  for (const item of added) {
    const i = merged.findIndex((e) => e.path === item.path);
    const existing = merged[i];
    if (existing === undefined) merged.push(item);
    else merged[i] = { path: existing.path, symlinks: [...existing.symlinks, ...item.symlinks.filter((s) => !existing.symlinks.includes(s))] };
  }
  return merged;
}

/** RuntimeDirectoryPreserve=: a boolean or "restart" (config_parse_exec_preserve_mode). */
const preserveMode: ValueParser<ExecPreserveMode> = (value, ctx) => {
  if (value === 'restart') return 'restart';
  const b = parseBoolean(value);
  if (b === undefined) ctx.warn(`Failed to parse runtime directory preserve mode, ignoring: ${value}`);
  return b === undefined ? undefined : b ? 'yes' : 'no';
};

function directoryRows(type: ExecDirectoryType): Record<string, SettingRow> {
  const name = DIRECTORY_SETTING[type];
  return {
    [name]: {
      specifiers: false,
      apply(draft, value, ctx) {
        const current = draft.service.exec.directories[type];
        draft.explicit.add(ctx.key);
        // An empty assignment resets the list (exec_directory_done()).
        const entries = value.trim() === '' ? [] : mergeEntries(current.entries, directoryWords(value, ctx) ?? []);
        draft.service.exec.directories = { ...draft.service.exec.directories, [type]: { ...current, entries } };
      },
    },
    [`${name}Mode`]: custom(umask, (draft, mode) => {
      const current = draft.service.exec.directories[type];
      draft.service.exec.directories = { ...draft.service.exec.directories, [type]: { ...current, mode } };
    }),
  };
}

export const execDirectoryRows: Record<string, SettingRow> = {
  ...Object.fromEntries(EXEC_DIRECTORY_TYPES.flatMap((type) => Object.entries(directoryRows(type)))),
  RuntimeDirectoryPreserve: scalar('exec', 'runtimeDirectoryPreserve', preserveMode),
};
