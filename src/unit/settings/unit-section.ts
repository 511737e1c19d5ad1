// The [Unit] settings table (systemd.unit(5), load-fragment-gperf.gperf.in "Unit.*").
import type { ForwardDependency } from '../model.js';
import { JOB_MODES } from '../model.js';
import { parseUnitName, withInstance } from '../unit-name.js';
import { conditionRows } from './conditions.js';
import type { ParseContext, SettingRow } from './define-settings.js';
import { custom, defineSettings, list, reportOnly, scalar } from './define-settings.js';
import { addDependencies } from './unit-draft.js';
import { UNSUPPORTED_UNIT_KEYS, unsupportedRows } from './unsupported.js';
import {
  bool,
  emergencyAction,
  exitStatus,
  expandedWords,
  oneOf,
  absolutePath,
  text,
  time,
  unset,
  unsigned,
} from './value-parsers.js';

/** "foo@.service" named by a unit takes the unit's instance, else its prefix (unit.c resolve_template). */
function resolveTemplate(name: string, ctx: ParseContext): string {
  const parsed = parseUnitName(name);
  if (!parsed?.template) return name;
  const instance = ctx.instance ?? parseUnitName(ctx.unitName)?.prefix ?? '';
  return withInstance(name, instance);
}

/** Unit names, one or more per line, specifiers expanded per name (config_parse_unit_deps: EXTRACT_RETAIN_ESCAPE). */
function unitNames(value: string, ctx: ParseContext): string[] | undefined {
  const names = expandedWords(value, ctx, { unquote: false });
  if (names === undefined) return undefined;
  const valid: string[] = [];
  for (const raw of names) {
    const name = resolveTemplate(raw, ctx);
    const parsed = parseUnitName(name);
    if (parsed === undefined || parsed.template) ctx.warn(`Failed to add dependency on ${name}, ignoring: Invalid argument`);
    else valid.push(name);
  }
  return valid;
}

/** A dependency setting; an empty value does nothing (systemd cannot reset dependencies). */
function dependency(kind: ForwardDependency): SettingRow {
  return custom(unitNames, (draft, names) => addDependencies(draft, kind, names));
}

/** RequiresOverridable= and RequisiteOverridable= (config_parse_obsolete_unit_deps). */
function obsoleteDependency(kind: ForwardDependency): SettingRow {
  return custom(
    (value, ctx) => {
      ctx.warn(`Unit dependency type ${ctx.key}= is obsolete, replacing by ${kind}=, please update your unit file`);
      return unitNames(value, ctx);
    },
    (draft, names) => addDependencies(draft, kind, names),
  );
}

const URL_SCHEMES = ['http://', 'https://', 'file:', 'info:', 'man:'];

/** Documentation= URLs (config_parse_documentation: unknown schemes are dropped with a warning). */
function documentationUrls(value: string, ctx: ParseContext): string[] | undefined {
  const urls = expandedWords(value, ctx);
  if (urls === undefined) return undefined;
  return urls.filter((url) => {
    const ok = URL_SCHEMES.some((s) => url.startsWith(s) && url.length > s.length);
    if (!ok) ctx.warn(`Invalid URL, ignoring: ${url}`);
    return ok;
  });
}

/** A key systemd 252 still accepts but whose support was removed (config_parse_warn_compat). */
export const removedSetting = reportOnly((ctx) =>
  ctx.warn(`Support for option ${ctx.key}= has been removed and it is ignored`),
);

const dependencyRows: Record<string, SettingRow> = {
  Requires: dependency('Requires'),
  Requisite: dependency('Requisite'),
  Wants: dependency('Wants'),
  BindsTo: dependency('BindsTo'),
  BindTo: dependency('BindsTo'),
  PartOf: dependency('PartOf'),
  Upholds: dependency('Upholds'),
  Conflicts: dependency('Conflicts'),
  Before: dependency('Before'),
  After: dependency('After'),
  OnFailure: dependency('OnFailure'),
  OnSuccess: dependency('OnSuccess'),
  PropagatesReloadTo: dependency('PropagatesReloadTo'),
  PropagateReloadTo: dependency('PropagatesReloadTo'),
  ReloadPropagatedFrom: dependency('ReloadPropagatedFrom'),
  PropagateReloadFrom: dependency('ReloadPropagatedFrom'),
  PropagatesStopTo: dependency('PropagatesStopTo'),
  StopPropagatedFrom: dependency('StopPropagatedFrom'),
  RequiresOverridable: obsoleteDependency('Requires'),
  RequisiteOverridable: obsoleteDependency('Requisite'),
};

/** Start-rate limiting keys, also accepted in [Service] under their old names. */
export const startLimitRows: Record<string, SettingRow> = {
  StartLimitIntervalSec: scalar('unit', 'startLimitIntervalUsec', time({ what: 'sec value' })),
  StartLimitInterval: scalar('unit', 'startLimitIntervalUsec', time({ what: 'sec value' })),
  StartLimitBurst: scalar('unit', 'startLimitBurst', unsigned),
  StartLimitAction: scalar('unit', 'startLimitAction', emergencyAction),
};

export const unitSettings = defineSettings('Unit', {
  Description: scalar('unit', 'description', text, { specifiers: true, ...unset }),
  Documentation: list('unit', 'documentation', documentationUrls),
  ...dependencyRows,
  DefaultDependencies: scalar('unit', 'defaultDependencies', bool),
  StopWhenUnneeded: scalar('unit', 'stopWhenUnneeded', bool),
  RefuseManualStart: scalar('unit', 'refuseManualStart', bool),
  RefuseManualStop: scalar('unit', 'refuseManualStop', bool),
  AllowIsolate: scalar('unit', 'allowIsolate', bool),
  IgnoreOnIsolate: scalar('unit', 'ignoreOnIsolate', bool),
  OnFailureJobMode: scalar('unit', 'onFailureJobMode', oneOf(JOB_MODES, 'job mode')),
  CollectMode: scalar('unit', 'collectMode', oneOf(['inactive', 'inactive-or-failed'] as const, 'garbage collection mode')),
  OnFailureIsolate: custom(
    (value, ctx) => {
      ctx.warn('OnFailureIsolate is deprecated. Please use OnFailureJobMode= instead');
      return bool(value, ctx);
    },
    (draft, isolate) => void (draft.unit.onFailureJobMode = isolate ? 'isolate' : 'replace'),
  ),
  JobTimeoutSec: scalar('unit', 'jobTimeoutUsec', time({ what: 'JobTimeoutSec= parameter', zeroIsInfinity: true })),
  JobRunningTimeoutSec: scalar(
    'unit',
    'jobRunningTimeoutUsec',
    time({ what: 'JobRunningTimeoutSec= parameter', zeroIsInfinity: true }),
  ),
  JobTimeoutAction: scalar('unit', 'jobTimeoutAction', emergencyAction),
  ...startLimitRows,
  SuccessAction: scalar('unit', 'successAction', emergencyAction),
  FailureAction: scalar('unit', 'failureAction', emergencyAction),
  SuccessActionExitStatus: scalar('unit', 'successActionExitStatus', exitStatus, unset),
  FailureActionExitStatus: scalar('unit', 'failureActionExitStatus', exitStatus, unset),
  SourcePath: scalar('unit', 'sourcePath', absolutePath, { specifiers: true, ...unset }),
  IgnoreOnSnapshot: removedSetting,
  ...conditionRows(),
  ...unsupportedRows(UNSUPPORTED_UNIT_KEYS),
});
