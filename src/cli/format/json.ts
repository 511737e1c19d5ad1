// JSON output: systemd's two layouts (`--json=short` one line, `--json=pretty` / `-o json-pretty` with
// tabs and " : "), and the shapes systemctl 252 prints for list-units and list-unit-files.
import type { JobInfo, UnitInfo } from '../../protocol/unit-info.js';

export type JsonMode = 'short' | 'pretty';

/** `--json=MODE` or `-o json|json-pretty` (systemctl's --output); undefined for text. */
export function jsonModeOf(options: { readonly [key: string]: unknown }): JsonMode | undefined {
  const json = options['json'];
  if (json === 'pretty' || json === 'short') return json;
  if (json === true) return 'short';
  const output = options['output'];
  if (output === 'json-pretty') return 'pretty';
  if (output === 'json' || output === 'json-seq' || output === 'json-sse') return 'short';
  return undefined;
}

/** As systemd's json_variant_dump(): short on one line; pretty with a tab per level and `"key" : value`. */
export function formatJson(value: unknown, mode: JsonMode): string {
  return mode === 'short' ? JSON.stringify(value) : pretty(value, '');
}

function pretty(value: unknown, indent: string): string {
  const inner = `${indent}\t`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${pretty(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `systemctl list-units -o json`: the table's columns, lower-cased. */
export const listUnitsJson = (units: readonly UnitInfo[]) =>
  units.map((u) => ({ unit: u.id, load: u.loadState, active: u.activeState, sub: u.subState, description: u.description }));

/** list-jobs has no JSON in systemctl 252; the table's columns, lower-cased, and how long the job has run. */
export const listJobsJson = (jobs: readonly JobInfo[], nowMs: number) =>
  jobs.map((j) => ({ job: j.id, unit: j.unit, type: j.type, state: j.state, running_usec: j.runningSince ? Math.max(0, nowMs - j.runningSince) * 1000 : 0 }));

/** `show --json`: one object per unit, property names as keys (what `busctl --json` gives for the unit's properties). */
export function showJson(info: UnitInfo, properties: readonly string[], all: boolean): Record<string, string> {
  const wanted = new Set(properties);
  return Object.fromEntries(info.properties.filter(([k, v]) => (wanted.size > 0 ? wanted.has(k) : all || v !== '')));
}
