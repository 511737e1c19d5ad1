// `list-dependencies`: the requirement (or ordering) tree of a unit, as systemctl walks it.
import type { DependencyKind, UnitGraph } from '../job/unit-graph.js';
import type { TreeNode } from '../protocol/unit-info.js';

/** systemctl's dependency sets per direction (systemctl-list-dependencies.c). */
const KINDS: Readonly<Record<'requirements' | 'after' | 'before', { forward: readonly DependencyKind[]; reverse: readonly DependencyKind[] }>> = {
  requirements: {
    forward: ['Requires', 'Requisite', 'Wants', 'ConsistsOf', 'BindsTo', 'Upholds'],
    reverse: ['RequiredBy', 'RequisiteOf', 'WantedBy', 'PartOf', 'BoundBy', 'UpheldBy'],
  },
  after: { forward: ['After'], reverse: ['Before'] },
  before: { forward: ['Before'], reverse: ['After'] },
};

/** strcasecmp(): bytewise after ASCII lower-casing, so "systemd-journal-flush" sorts before "systemd-journald". */
function strcasecmp(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Non-targets first, then targets, each by strcasecmp() (list_dependencies_compare). */
function compare(a: string, b: string): number {
  const ta = a.endsWith('.target') ? 1 : 0;
  const tb = b.endsWith('.target') ? 1 : 0;
  return ta - tb || strcasecmp(a, b);
}

export function dependencyTree(graph: UnitGraph, unit: string, reverse: boolean, direction: 'requirements' | 'after' | 'before', all: boolean): TreeNode {
  const kinds = reverse ? KINDS[direction].reverse : KINDS[direction].forward;
  const walk = (name: string, path: ReadonlySet<string>): TreeNode => {
    const children = new Set<string>();
    for (const kind of kinds) for (const other of graph.deps(name, kind)) children.add(other);
    // Only targets are expanded unless --all; a unit already on the path is shown but not expanded.
    const expand = (child: string) => !path.has(child) && (all || child.endsWith('.target'));
    return {
      unit: name,
      activeState: graph.activeState(name),
      children: [...children].sort(compare).map((child) => (expand(child) ? walk(child, new Set([...path, child])) : { unit: child, activeState: graph.activeState(child), children: [] })),
    };
  };
  return walk(unit, new Set([unit]));
}
