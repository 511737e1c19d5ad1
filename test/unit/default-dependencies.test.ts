import { describe, expect, test } from 'vitest';
import { applyDefaultDependencies } from '../../src/unit/default-dependencies.js';
import { REVERSE_DEPENDENCY, DEPENDENCY_KINDS, SHOW_DEPENDENCY_ORDER } from '../../src/unit/dependencies.js';
import { FORWARD_DEPENDENCIES } from '../../src/unit/model.js';
import { stubUnit } from '../../src/unit/load-fragment.js';
import { load } from './settings/helpers.js';

const none = { wants: [], requires: [], upholds: [] };

describe('services (service_add_default_dependencies, system manager)', () => {
  test('DefaultDependencies=yes', () => {
    const deps = applyDefaultDependencies(load('[Unit]\nAfter=db.service\n[Service]\nExecStart=/bin/true').config, none).unit.dependencies;
    expect(deps.Requires).toEqual(['sysinit.target']);
    expect(deps.After).toEqual(['db.service', 'sysinit.target', 'basic.target']);
    expect(deps.Before).toEqual(['shutdown.target']);
    expect(deps.Conflicts).toEqual(['shutdown.target']);
  });

  test('DefaultDependencies=no adds nothing but the directory entries', () => {
    const c = load('[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true').config;
    const deps = applyDefaultDependencies(c, { wants: ['w.service'], requires: ['r.service'], upholds: ['u.service'] }).unit.dependencies;
    expect(deps).toMatchObject({ Wants: ['w.service'], Requires: ['r.service'], Upholds: ['u.service'], After: [], Before: [], Conflicts: [] });
  });

  test('units that did not load get no defaults', () => {
    const deps = applyDefaultDependencies(stubUnit('x.service', 'not-found', 'Unit x.service not found.'), none).unit.dependencies;
    expect(deps.Requires).toEqual([]);
  });

  test('no duplicates with what the file already says', () => {
    const c = load('[Unit]\nRequires=sysinit.target\nAfter=basic.target\n[Service]\nExecStart=/bin/true').config;
    const deps = applyDefaultDependencies(c, { wants: [], requires: ['sysinit.target'], upholds: [] }).unit.dependencies;
    expect(deps.Requires).toEqual(['sysinit.target']);
    expect(deps.After).toEqual(['basic.target', 'sysinit.target']);
  });
});

describe('targets (target_add_default_dependencies)', () => {
  const target = (text: string, name = 't.target') => load(`[Unit]\n${text}`, name).config;

  test('After= what it pulls in, Conflicts=/Before=shutdown.target', () => {
    const c = target('Wants=a.service\nRequires=b.service\nBindsTo=c.service\nRequisite=d.service\nBefore=e.service\nWants=e.service');
    const deps = applyDefaultDependencies(c, { wants: ['f.service'], requires: [], upholds: ['g.service'] }).unit.dependencies;
    expect(deps.After).toEqual(['b.service', 'd.service', 'a.service', 'f.service', 'c.service', 'g.service']);
    expect(deps.Before).toEqual(['e.service', 'shutdown.target']);
    expect(deps.Conflicts).toEqual(['shutdown.target']);
  });

  test('skips units that are not loaded or have DefaultDependencies=no', () => {
    const c = target('Wants=a.service b.service c.service');
    const facts = new Map([
      ['a.service', { loadState: 'loaded' as const, defaultDependencies: false }],
      ['b.service', { loadState: 'not-found' as const, defaultDependencies: true }],
      ['c.service', { loadState: 'loaded' as const, defaultDependencies: true }],
    ]);
    expect(applyDefaultDependencies(c, none, (n) => facts.get(n)).unit.dependencies.After).toEqual(['c.service']);
  });

  test('shutdown.target gets no shutdown conflict; DefaultDependencies=no targets nothing', () => {
    const s = applyDefaultDependencies(target('Wants=a.service', 'shutdown.target'), none).unit.dependencies;
    expect(s.Conflicts).toEqual([]);
    expect(s.After).toEqual(['a.service']);
    const n = applyDefaultDependencies(target('DefaultDependencies=no\nWants=a.service'), none).unit.dependencies;
    expect(n.After).toEqual([]);
    expect(n.Conflicts).toEqual([]);
  });
});

describe('dependency kinds', () => {
  test.each(DEPENDENCY_KINDS.map((k) => [k, REVERSE_DEPENDENCY[k]]))('%s ↔ %s', (kind, reverse) => {
    expect(REVERSE_DEPENDENCY[reverse]).toBe(kind);
  });

  test.each([
    ['Requires', 'RequiredBy'], ['Requisite', 'RequisiteOf'], ['Wants', 'WantedBy'], ['BindsTo', 'BoundBy'],
    ['PartOf', 'ConsistsOf'], ['Upholds', 'UpheldBy'], ['Conflicts', 'ConflictedBy'], ['Before', 'After'],
    ['OnFailure', 'OnFailureOf'], ['OnSuccess', 'OnSuccessOf'], ['PropagatesReloadTo', 'ReloadPropagatedFrom'],
    ['PropagatesStopTo', 'StopPropagatedFrom'],
  ] as const)('%s reverses to %s', (kind, reverse) => expect(REVERSE_DEPENDENCY[kind]).toBe(reverse));

  test('every forward kind of the model is in the show order', () => {
    for (const k of FORWARD_DEPENDENCIES) expect(SHOW_DEPENDENCY_ORDER).toContain(k);
    expect(SHOW_DEPENDENCY_ORDER.slice(0, 6)).toEqual(['Requires', 'Requisite', 'Wants', 'BindsTo', 'PartOf', 'Upholds']);
  });
});
