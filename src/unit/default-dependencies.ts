// .wants/.requires/.upholds entries and DefaultDependencies=yes as systemd 252's system manager adds them (systemd.service(5), systemd.target(5)).
import { exactList } from '../common/exact-list.js';
import type { DeclaredDependencies, ForwardDependency, UnitConfig, UnitType } from './model.js';

export const SYSINIT_TARGET = 'sysinit.target';
export const BASIC_TARGET = 'basic.target';
export const SHUTDOWN_TARGET = 'shutdown.target';
export const TIMERS_TARGET = 'timers.target';

export interface DirectoryDependencies {
  readonly wants: readonly string[];
  readonly requires: readonly string[];
  readonly upholds: readonly string[];
}

/** What a target needs to know about a unit it pulls in (unit_add_default_target_dependency). */
export interface OtherUnitFacts {
  readonly loadState: UnitConfig['loadState'];
  readonly defaultDependencies: boolean;
}

/** The dependency kinds whose units a target orders itself after (UNIT_ATOM_ADD_DEFAULT_TARGET_DEPENDENCY_QUEUE). */
export const TARGET_ORDERS_AFTER: readonly ForwardDependency[] = ['Requires', 'Requisite', 'Wants', 'BindsTo', 'Upholds'];

export type MutableDeps = Record<ForwardDependency, string[]>;
type OtherFacts = ((name: string) => OtherUnitFacts | undefined) | undefined;

export function add(deps: MutableDeps, kind: ForwardDependency, names: readonly string[]): void {
  for (const name of names) if (!deps[kind].includes(name)) deps[kind].push(name);
}

/** service_add_default_dependencies(): early boot is required, basic.target ordered, shutdown conflicts. */
function serviceDefaults(_config: UnitConfig, deps: MutableDeps): void {
  add(deps, 'Requires', [SYSINIT_TARGET]);
  add(deps, 'After', [SYSINIT_TARGET, BASIC_TARGET]);
  add(deps, 'Before', [SHUTDOWN_TARGET]);
  add(deps, 'Conflicts', [SHUTDOWN_TARGET]);
}

/**
 * target_add_default_dependencies(): After= every unit it pulls in, unless it is already ordered
 * Before= that unit (no loops), or that unit is not loaded or has DefaultDependencies=no; then
 * Conflicts=/Before=shutdown.target, except on shutdown.target itself.
 */
function targetDefaults(config: UnitConfig, deps: MutableDeps, others: OtherFacts): void {
  const id = config.id;
  const pulled = TARGET_ORDERS_AFTER.flatMap((kind) => deps[kind]);
  for (const name of pulled) {
    if (deps.Before.includes(name) || name === id) continue;
    const other = others?.(name);
    if (other !== undefined && (other.loadState !== 'loaded' || !other.defaultDependencies)) continue;
    add(deps, 'After', [name]);
  }
  if (id === SHUTDOWN_TARGET) return;
  add(deps, 'Before', [SHUTDOWN_TARGET]);
  add(deps, 'Conflicts', [SHUTDOWN_TARGET]);
}

export const SOCKETS_TARGET = 'sockets.target';

/** The service a socket activates: Service=, else the socket's own name (socket_load_service_unit()). */
export function socketServiceName(config: UnitConfig): string | undefined {
  if (config.socket === undefined || config.socket.accept) return undefined;
  return config.socket.service ?? config.id.replace(/\.socket$/, '.service');
}

/** socket_add_extras(): Before= and Triggers= its service; Accept=yes instances are linked as they start. */
function socketImplicit(config: UnitConfig, deps: MutableDeps): void {
  const service = socketServiceName(config);
  if (service === undefined) return;
  add(deps, 'Before', [service]);
  add(deps, 'Triggers', [service]);
}

/** socket_add_default_dependencies(): ordered before sockets.target, early boot required, shutdown conflicts. */
function socketDefaults(_config: UnitConfig, deps: MutableDeps): void {
  add(deps, 'Before', [SOCKETS_TARGET]);
  add(deps, 'Requires', [SYSINIT_TARGET]);
  add(deps, 'After', [SYSINIT_TARGET]);
  add(deps, 'Before', [SHUTDOWN_TARGET]);
  add(deps, 'Conflicts', [SHUTDOWN_TARGET]);
}

/** What each unit type adds: `implicit` always (e.g. a timer's Triggers= on its unit), `defaults` with DefaultDependencies=yes. */
export interface TypeDependencies {
  readonly implicit?: (config: UnitConfig, deps: MutableDeps) => void;
  readonly defaults: (config: UnitConfig, deps: MutableDeps, others: OtherFacts) => void;
}

const TYPE_DEPENDENCIES: Readonly<Record<UnitType, TypeDependencies>> = {
  service: { defaults: serviceDefaults },
  target: { defaults: targetDefaults },
  socket: { implicit: socketImplicit, defaults: socketDefaults },
  timer: { implicit: timerImplicit, defaults: timerDefaults },
};

/** The unit a timer triggers: Unit=, else the same name with .service (unit_load_related_unit()). */
export const timerTriggerUnit = (config: UnitConfig): string => config.timer?.unit ?? config.id.replace(/\.timer$/, '.service');

/** timer_load(): Before= and Triggers= the unit it starts. */
function timerImplicit(config: UnitConfig, deps: MutableDeps): void {
  const unit = timerTriggerUnit(config);
  add(deps, 'Before', [unit]);
  add(deps, 'Triggers', [unit]);
}

/** timer_add_default_dependencies(): before timers.target, after early boot, and after the clock is set when a calendar is used. */
function timerDefaults(config: UnitConfig, deps: MutableDeps): void {
  add(deps, 'Before', [TIMERS_TARGET]);
  add(deps, 'Requires', [SYSINIT_TARGET]);
  add(deps, 'After', [SYSINIT_TARGET]);
  if (config.timer?.values.some((v) => v.base === 'OnCalendar')) add(deps, 'After', ['time-sync.target', 'time-set.target']);
  add(deps, 'Before', [SHUTDOWN_TARGET]);
  add(deps, 'Conflicts', [SHUTDOWN_TARGET]);
}

const copyDeps = (deps: DeclaredDependencies): MutableDeps =>
  Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, [...v]])) as MutableDeps;

/**
 * Merges the unit's .wants/, .requires/ and .upholds/ entries, then adds the default
 * dependencies of a loaded unit with DefaultDependencies=yes. `others` tells a target about the
 * units it pulls in; without it they count as loaded with DefaultDependencies=yes.
 */
export function applyDefaultDependencies(
  config: UnitConfig,
  extra: DirectoryDependencies,
  others?: (name: string) => OtherUnitFacts | undefined,
): UnitConfig {
  const deps = copyDeps(config.unit.dependencies);
  add(deps, 'Wants', extra.wants);
  add(deps, 'Requires', extra.requires);
  add(deps, 'Upholds', extra.upholds);
  const rules = TYPE_DEPENDENCIES[config.type];
  if (config.loadState === 'loaded') rules.implicit?.(config, deps);
  if (config.loadState === 'loaded' && config.unit.defaultDependencies) rules.defaults(config, deps, others);
  return { ...config, unit: { ...config.unit, dependencies: exactLists(deps) } };
}

/** `deps` with each list that add() grew copied to its exact size (exact-list.ts). */
function exactLists(deps: MutableDeps): MutableDeps {
  for (const kind of Object.keys(deps) as ForwardDependency[]) if (deps[kind].length > 0) deps[kind] = exactList(deps[kind]);
  return deps;
}
