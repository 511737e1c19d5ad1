// `show --offline`: a unit's properties as loaded from the unit files, inactive, without a daemon (systemctl(1) show).
import { unitProperties, type RuntimeFacts } from '../../manager/properties.js';
import type { UnitInfo } from '../../protocol/unit-info.js';
import { reverseDependency, type DependencyKind } from '../../unit/dependencies.js';
import { formatDiagnostic } from '../../unit/diagnostic.js';
import { FORWARD_DEPENDENCIES, type UnitConfig } from '../../unit/model.js';
import { resolveUnitPath } from '../../unit/search-path.js';
import { loadUnitByName, loadUnitDirectory, type UnitSet } from '../../unit/unit-directory.js';
import { hostSpecifierContext } from '../../process/host-facts.js';
import { notEnforcedKeys } from '../../unit/setting-support.js';
import { hostAbilities } from '../../process/host-abilities.js';
import { lookupState } from './is-enabled.js';
import { openOfflineSource } from './install-info.js';
import { offlinePaths } from './paths.js';

export interface ShowOfflineArgs {
  readonly unitPath: readonly string[];
  readonly names: readonly string[];
}

/** Every named unit (loaded on demand when nothing referenced it), with the problems met while loading. */
export function showOffline(args: ShowOfflineArgs): { units: UnitInfo[]; diagnostics: string[] } {
  const unitPath = resolveUnitPath({ unitPath: args.unitPath, env: process.env });
  const opts = { unitPath, specifiers: hostSpecifierContext() };
  const set = loadUnitDirectory(opts);
  const graph = dependencyGraph(set);
  const paths = offlinePaths({ unitPath });
  const source = openOfflineSource(paths);
  const diagnostics = set.diagnostics.map(formatDiagnostic);
  const units = args.names.map((name) => {
    let config = set.resolve(name);
    if (config === undefined) {
      const loaded = loadUnitByName(name, opts);
      config = loaded.config;
      diagnostics.push(...loaded.diagnostics.map(formatDiagnostic));
    }
    const state = config.loadState === 'loaded' ? lookupState(source, paths, config.id) : undefined;
    const unitFileState = state?.kind === 'state' ? state.state : '';
    return inactiveInfo(config, unitFileState, (kind) => [...(graph.get(config.id)?.get(kind) ?? [])]);
  });
  return { units, diagnostics };
}

type Graph = Map<string, Map<string, Set<string>>>;

// Forward dependencies from every loaded unit, and their reverses on the other end.
function dependencyGraph(set: UnitSet): Graph {
  const graph: Graph = new Map();
  const add = (from: string, kind: string, to: string): void => {
    const kinds = graph.get(from) ?? new Map<string, Set<string>>();
    graph.set(from, kinds);
    const names = kinds.get(kind) ?? new Set<string>();
    kinds.set(kind, names);
    names.add(to);
  };
  for (const config of set.units.values()) {
    for (const kind of FORWARD_DEPENDENCIES) {
      for (const name of config.unit.dependencies[kind]) {
        const other = set.resolve(name)?.id ?? name;
        add(config.id, kind, other);
        add(other, reverseDependency(kind as DependencyKind), config.id);
      }
    }
  }
  return graph;
}

function inactiveInfo(config: UnitConfig, unitFileState: string, dependencies: (kind: string) => readonly string[]): UnitInfo {
  const facts = inactiveFacts(config, unitFileState);
  const properties = unitProperties(config, facts, dependencies);
  return {
    id: config.id,
    description: config.unit.description ?? config.id,
    loadState: config.loadState,
    loadError: config.loadError,
    activeState: 'inactive',
    subState: 'dead',
    result: 'success',
    fragmentPath: config.fragmentPath,
    dropInPaths: config.dropInPaths,
    unitFileState,
    stateChangeTime: 0,
    activeEnterTime: 0,
    activeExitTime: 0,
    timestamps: { inactiveExit: 0, activeEnter: 0, activeExit: 0, inactiveEnter: 0, condition: 0, assert: 0, execMainStart: 0 },
    mainPid: 0,
    controlPid: 0,
    statusText: undefined,
    job: undefined,
    runs: [],
    mainRun: undefined,
    processes: [],
    properties,
  };
}

// A unit that never ran: what systemd shows right after loading it.
function inactiveFacts(config: UnitConfig, unitFileState: string): RuntimeFacts {
  return {
    activeState: 'inactive',
    subState: 'dead',
    result: 'success',
    reloadResult: 'success',
    mainPid: 0,
    controlPid: 0,
    statusText: undefined,
    statusErrno: 0,
    nRestarts: 0,
    execMain: { pid: 0, startWallMs: 0, exitWallMs: 0, code: 0, status: 0 },
    execRuns: new Map(),
    uid: undefined,
    gid: undefined,
    invocationId: '',
    unitFileState,
    conditionResult: false,
    assertResult: false,
    conditionWallMs: 0,
    assertWallMs: 0,
    stateChangeWallMs: 0,
    activeEnterWallMs: 0,
    activeExitWallMs: 0,
    inactiveEnterWallMs: 0,
    inactiveExitWallMs: 0,
    canReload: (config.service?.execReload.length ?? 0) > 0,
    needDaemonReload: false,
    execSearchPath: [],
    notEnforced: notEnforcedKeys(config, hostAbilities()),
  };
}
