// `analyze dot [PATTERN...]`: the dependency graph in Graphviz's dot language, as systemd-analyze dot
// prints it (analyze-dot.c): one coloured edge per After=, Requires=, Requisite=, Wants=, Conflicts=.
import type { SystemSnapshot } from '../protocol/analysis.js';
import { globMatcher } from '../common/glob.js';

/** Printed on stderr before the graph, as systemd-analyze does. */
export const DOT_LEGEND = [
  '   Color legend: black     = Requires',
  '                 dark blue = Requisite',
  '                 dark grey = Wants',
  '                 red       = Conflicts',
  '                 green     = After',
].join('\n');

export const DOT_HINT = "-- You probably want to process this output with graphviz' dot tool.\n-- Try a shell pipeline like 'unitvisor analyze dot | dot -Tsvg > unitvisor.svg'!";

export interface DotOptions {
  readonly patterns: readonly string[];
  /** --order: only After=; --require: only the requirement kinds. */
  readonly only?: 'order' | 'require';
  readonly from?: readonly string[];
  readonly to?: readonly string[];
}

const ORDER_EDGES = [['After', 'green']] as const;
const REQUIRE_EDGES = [
  ['Requires', 'black'],
  ['Requisite', 'darkblue'],
  ['Wants', 'grey66'],
  ['Conflicts', 'red'],
] as const;

const anyMatch = (patterns: readonly string[]) => {
  const matchers = patterns.map(globMatcher);
  return (name: string) => matchers.some((m) => m(name));
};

export function formatDot(snapshot: SystemSnapshot, options: DotOptions): string {
  const edges = [...(options.only === 'require' ? [] : ORDER_EDGES), ...(options.only === 'order' ? [] : REQUIRE_EDGES)];
  const inPatterns = anyMatch(options.patterns);
  const from = anyMatch(options.from ?? []);
  const to = anyMatch(options.to ?? []);
  const lines = ['digraph systemd {'];
  for (const unit of snapshot.units) {
    if ((options.from ?? []).length > 0 && !from(unit.id)) continue;
    const matchesSelf = options.patterns.length === 0 || inPatterns(unit.id);
    for (const [kind, colour] of edges) {
      for (const other of unit.deps[kind] ?? []) {
        if ((options.to ?? []).length > 0 && !to(other)) continue;
        if (!matchesSelf && !inPatterns(other)) continue;
        lines.push(`\t"${unit.id}"->"${other}" [color="${colour}"];`);
      }
    }
  }
  lines.push('}');
  return lines.join('\n');
}
