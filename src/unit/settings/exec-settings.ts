// systemd.exec(5) settings unitvisor honours, as [Service] table rows (load-fragment.c config_parse_exec_*, _environ).
import type { EnvironmentFileRef, StandardInput, StandardOutput, WorkingDirectory } from '../model.js';
import { isValidEnvName, parseEnvironmentLine, replaceEnvAssignment } from '../values/environment.js';
import type { ParseContext, SettingRow, ValueParser } from './define-settings.js';
import { custom, list, scalar } from './define-settings.js';
import { unsupportedMessage } from './unsupported.js';
import { expandedWords, simplifyPath, text, umask, unset } from './value-parsers.js';

/** Environment=: quoted "KEY=value" words, specifiers expanded per word (config_parse_environ). */
const environment: ValueParser<string[]> = (value, ctx) => {
  const { assignments, invalid, syntaxError } = parseEnvironmentLine(value);
  if (syntaxError) {
    // Nothing of the line is applied (config_parse_environ collects before merging).
    ctx.warn(`Invalid syntax, ignoring: ${value}`);
    return undefined;
  }
  for (const bad of invalid) ctx.warn(`Invalid environment assignment, ignoring: ${bad}`);
  const out: string[] = [];
  for (const assignment of assignments) {
    const expanded = ctx.expand(assignment);
    if (expanded !== undefined) out.push(expanded);
  }
  return out;
};

/** EnvironmentFile=: "-" marks a file that may be missing (config_parse_unit_env_file). */
const environmentFile: ValueParser<EnvironmentFileRef[]> = (value, ctx) => {
  const optional = value.startsWith('-');
  const path = optional ? value.slice(1) : value;
  if (!path.startsWith('/')) {
    ctx.warn(`EnvironmentFile= path is not absolute, ignoring: ${path}`);
    return undefined;
  }
  return [{ path: simplifyPath(path), optional }];
};

/** PassEnvironment=: variable names only (config_parse_pass_environ). */
const passEnvironment: ValueParser<string[]> = (value, ctx) =>
  expandedWords(value, ctx, { cunescape: true })?.filter((name) => {
    const ok = isValidEnvName(name);
    if (!ok) ctx.warn(`Invalid environment name for ${ctx.key}, ignoring: ${name}`);
    return ok;
  });

const isAssignment = (word: string): boolean => {
  const eq = word.indexOf('=');
  return eq > 0 && isValidEnvName(word.slice(0, eq));
};

/** UnsetEnvironment=: names or exact assignments (config_parse_unset_environ). */
const unsetEnvironment: ValueParser<string[]> = (value, ctx) =>
  expandedWords(value, ctx, { cunescape: true })?.filter((word) => {
    const ok = isValidEnvName(word) || isAssignment(word);
    if (!ok) ctx.warn(`Invalid environment name or assignment ${ctx.key}, ignoring: ${word}`);
    return ok;
  });

/** WorkingDirectory=: absolute, "~", "-" prefix; a relative path is fatal (config_parse_working_directory). */
const workingDirectory: ValueParser<WorkingDirectory | undefined> = (value, ctx) => {
  const optional = value.startsWith('-');
  const raw = optional ? value.slice(1) : value;
  if (raw === '~') return { path: '~', optional };
  const path = ctx.expand(raw);
  if (path === undefined) return undefined;
  if (!path.startsWith('/')) {
    ctx.fatal(`WorkingDirectory= path is not absolute: ${path}`);
    return undefined;
  }
  return { path: simplifyPath(path), optional };
};

/** User=, Group=: a name or numeric id; a name systemd cannot accept is fatal (config_parse_user_group_compat). */
const userOrGroup: ValueParser<string> = (value, ctx) => {
  if (/[:/\n\t]/.test(value) || value === '.' || value === '..') {
    ctx.fatal(`Invalid user/group name or numeric ID: ${value}`);
    return undefined;
  }
  return value;
};

/** SupplementaryGroups=: a bad name is only skipped (config_parse_user_group_strv_compat). */
const groupName: ValueParser<string> = (value, ctx) => {
  if (/[:/\n\t]/.test(value) || value === '.' || value === '..') {
    ctx.warn(`Invalid user/group name or numeric ID, ignoring: ${value}`);
    return undefined;
  }
  return value;
};

const supplementaryGroups: ValueParser<string[]> = (value, ctx) =>
  expandedWords(value, ctx)?.filter((name) => groupName(name, ctx) !== undefined);

/** "file:PATH" and friends: a relative path is reported and the setting ignored (config_parse_exec_input/output). */
function filePath(spec: string, prefix: string, ctx: ParseContext): string | undefined {
  const path = ctx.expand(spec.slice(prefix.length));
  if (path === undefined) return undefined;
  if (!path.startsWith('/')) {
    ctx.warn(`${ctx.key}= path is not absolute: ${path}`);
    return undefined;
  }
  return simplifyPath(path);
}

/** fd:NAME picks one of several passed file descriptors by name, which unitvisor does not do. */
function needsNamedFds(value: string, ctx: ParseContext): boolean {
  if (!value.startsWith('fd:') && value !== 'fd') return false;
  ctx.warn(unsupportedMessage(`${ctx.key}=${value}`, 'needs named file descriptors'));
  return true;
}

const standardInput: ValueParser<StandardInput> = (value, ctx) => {
  if (needsNamedFds(value, ctx)) return undefined;
  if (value === 'null') return { kind: 'null' };
  if (value === 'socket') return { kind: 'socket' };
  if (value === 'tty' || value === 'tty-force' || value === 'tty-fail') return { kind: 'tty' };
  if (value === 'data') return { kind: 'data' };
  if (value.startsWith('file:')) {
    const path = filePath(value, 'file:', ctx);
    return path === undefined ? undefined : { kind: 'file', path };
  }
  ctx.warn(`Failed to parse input specifier, ignoring: ${value}`);
  return undefined;
};

/** "+console" variants and syslog keep their log destination; the console copy is not made. */
const OUTPUT_KINDS: Readonly<Record<string, StandardOutput>> = {
  inherit: { kind: 'inherit' },
  null: { kind: 'null' },
  tty: { kind: 'tty' },
  journal: { kind: 'journal' },
  syslog: { kind: 'journal' },
  kmsg: { kind: 'kmsg' },
  socket: { kind: 'socket' },
  'journal+console': { kind: 'journal' },
  'syslog+console': { kind: 'journal' },
  'kmsg+console': { kind: 'kmsg' },
};

const FILE_OUTPUTS = ['file', 'append', 'truncate'] as const;

function standardOutputValue(value: string, ctx: ParseContext): StandardOutput | undefined {
  if (needsNamedFds(value, ctx)) return undefined;
  const named = OUTPUT_KINDS[value];
  if (named !== undefined) return named;
  for (const kind of FILE_OUTPUTS) {
    if (!value.startsWith(`${kind}:`)) continue;
    const path = filePath(value, `${kind}:`, ctx);
    return path === undefined ? undefined : { kind, path };
  }
  ctx.warn(`Failed to parse output specifier, ignoring: ${value}`);
  return undefined;
}

const standardOutput: ValueParser<StandardOutput> = (value, ctx) => standardOutputValue(value, ctx);

/** StandardError=inherit means "as StandardOutput=", which the model spells undefined. */
const standardError = (value: string, ctx: ParseContext): StandardOutput | undefined => standardOutputValue(value, ctx);

export const execSettingRows: Record<string, SettingRow> = {
  Environment: {
    specifiers: false,
    apply(draft, value, ctx) {
      if (value.trim() === '') {
        draft.service.exec.environment = [];
        return;
      }
      // A later assignment of a variable replaces the earlier one in place (strv_env_merge).
      const merged = [...draft.service.exec.environment];
      for (const assignment of environment(value, ctx) ?? []) replaceEnvAssignment(merged, assignment);
      draft.service.exec.environment = merged;
    },
  },
  EnvironmentFile: list('exec', 'environmentFiles', environmentFile, { specifiers: true }),
  PassEnvironment: list('exec', 'passEnvironment', passEnvironment),
  UnsetEnvironment: list('exec', 'unsetEnvironment', unsetEnvironment),
  WorkingDirectory: scalar('exec', 'workingDirectory', workingDirectory, unset),
  User: scalar('exec', 'user', userOrGroup, { specifiers: true, ...unset }),
  Group: scalar('exec', 'group', userOrGroup, { specifiers: true, ...unset }),
  SupplementaryGroups: list('exec', 'supplementaryGroups', supplementaryGroups),
  UMask: scalar('exec', 'umask', umask),
  StandardInput: scalar('exec', 'standardInput', standardInput),
  StandardOutput: scalar('exec', 'standardOutput', standardOutput),
  StandardError: custom(standardError, (draft, out) => {
    draft.service.exec.standardError = out.kind === 'inherit' ? undefined : out;
  }),
  SyslogIdentifier: scalar('exec', 'syslogIdentifier', text, { specifiers: true, ...unset }),
};
