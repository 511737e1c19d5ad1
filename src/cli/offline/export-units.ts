// The units `export` translates: those named, or what the default target pulls in (Requires=,
// Wants=, BindsTo=, Requisite=, Upholds=, .wants/ links), or, when that is nothing, every unit of the
// given folders (as `up` runs them).
import { resolve } from 'node:path';
import { formatDiagnostic } from '../../unit/diagnostic.js';
import type { UnitConfig } from '../../unit/model.js';
import { resolveUnitPath } from '../../unit/search-path.js';
import { loadUnitByName, loadUnitDirectory } from '../../unit/unit-directory.js';
import { hostSpecifierContext } from '../../process/host-facts.js';

// Triggers=: a timer's or socket's unit comes along, for the exporter to place or report.
const PULLS = ['Requires', 'Wants', 'BindsTo', 'Requisite', 'Upholds', 'Triggers'] as const;

export function selectExportUnits(args: { unitPath: readonly string[]; names: readonly string[] }): { units: UnitConfig[]; diagnostics: string[] } {
  const unitPath = resolveUnitPath({ unitPath: args.unitPath, env: process.env });
  const opts = { unitPath, specifiers: hostSpecifierContext() };
  const set = loadUnitDirectory(opts);
  const diagnostics = set.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  const unitOf = (name: string): UnitConfig => {
    const found = set.resolve(name);
    if (found !== undefined) return found;
    const loaded = loadUnitByName(name, opts);
    diagnostics.push(...loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic));
    return loaded.config;
  };
  if (args.names.length > 0) return { units: args.names.map(unitOf), diagnostics };
  // Everything the default target pulls in, transitively.
  const seen = new Map<string, UnitConfig>();
  const queue = ['default.target'];
  while (queue.length > 0) {
    const config = unitOf(queue.shift()!);
    if (seen.has(config.id)) continue;
    seen.set(config.id, config);
    for (const kind of PULLS) queue.push(...config.unit.dependencies[kind]);
  }
  const pulled = [...seen.values()].filter((u) => u.type !== 'target' && u.loadState === 'loaded');
  if (pulled.length > 0 || args.unitPath.length === 0) return { units: pulled, diagnostics };
  const inFolders = (u: UnitConfig) => u.fragmentPath !== undefined && unitPath.some((d) => u.fragmentPath!.startsWith(`${resolve(d)}/`));
  return { units: [...set.units.values()].filter(inFolders), diagnostics };
}
