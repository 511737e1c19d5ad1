// Every setting of a unit that the exporter does not translate and that differs from systemd's
// default: reported by its systemd name, so nothing is dropped silently.
import { isDeepStrictEqual } from 'node:util';
import type { UnitConfig } from '../unit/model.js';
import { defaultServiceSection, defaultUnitSection } from '../unit/settings/defaults.js';
import type { Report } from './report.js';

/** Fields the exporter translates, or that only restate another setting (derived defaults). */
const HANDLED = new Set([
  // [Service]
  'type', 'execStart', 'execStartPre', 'execCondition', 'execStartPost', 'execStop', 'restart', 'timeoutStopUsec',
  'timeoutStartUsec', 'timeoutAbortUsec', 'notifyAccess', 'readiness', 'healthCheck', 'remainAfterExit', 'restartUsec',
  // ExecContext / KillContext
  'environment', 'environmentFiles', 'passEnvironment', 'unsetEnvironment', 'workingDirectory', 'user', 'group', 'killSignal',
  // [Unit]
  'description', 'documentation', 'dependencies', 'conditions', 'asserts', 'defaultDependencies',
]);

/** Model fields whose systemd key is not their PascalCase name (with Usec → Sec). */
const KEY_NAMES: Readonly<Record<string, string>> = {
  umask: 'UMask',
  pidFile: 'PIDFile',
  busName: 'BusName',
  guessMainPID: 'GuessMainPID',
  sendSIGKILL: 'SendSIGKILL',
  sendSIGHUP: 'SendSIGHUP',
};

const keyOf = (field: string): string => KEY_NAMES[field] ?? `${field[0]!.toUpperCase()}${field.slice(1)}`.replace(/Usec$/, 'Sec');

/** Compares one section with its defaults, field by field, reporting the ones set and not handled. */
function scan(unit: string, actual: object, defaults: object, report: Report): void {
  const d = defaults as Record<string, unknown>;
  for (const [field, value] of Object.entries(actual)) {
    if (HANDLED.has(field) || isDeepStrictEqual(value, d[field])) continue;
    if (field === 'directories' && value !== null && typeof value === 'object') {
      // RuntimeDirectory= and friends, one key per kind of directory.
      for (const [kind, dir] of Object.entries(value as Record<string, unknown>)) {
        if (!isDeepStrictEqual(dir, (d[field] as Record<string, unknown> | undefined)?.[kind])) report.lossy(unit, `${keyOf(kind)}Directory=: use a volume (emptyDir or a PersistentVolumeClaim); not created`);
      }
      continue;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && d[field] !== undefined && typeof d[field] === 'object') {
      scan(unit, value, d[field] as object, report);
      continue;
    }
    report.lossy(unit, `${keyOf(field)}= has no Kubernetes equivalent, dropped`);
  }
}

export function reportUnmapped(config: UnitConfig, report: Report): void {
  scan(config.id, config.unit, defaultUnitSection(), report);
  if (config.service) scan(config.id, config.service, defaultServiceSection(), report);
  const checks = [...config.unit.conditions.map((c) => ['Condition', c] as const), ...config.unit.asserts.map((c) => ['Assert', c] as const)];
  for (const [what, c] of checks) report.lossy(config.id, `${what}${c.kind}=${c.trigger ? '|' : ''}${c.negate ? '!' : ''}${c.parameter}: checked at every start by systemd, never by Kubernetes; dropped`);
}
