// buildGraph: reverse edges, de-duplication, aliases and unit info.
import { describe, test, expect } from 'vitest';
import { describeUnit, kindNumber } from '../../src/job/unit-graph.js';
import { graphOf } from './fixture.js';

describe('buildGraph adds the reverse of every edge', () => {
  test.each([
    ['Requires', 'RequiredBy'],
    ['Requisite', 'RequisiteOf'],
    ['Wants', 'WantedBy'],
    ['BindsTo', 'BoundBy'],
    ['PartOf', 'ConsistsOf'],
    ['Upholds', 'UpheldBy'],
    ['Conflicts', 'ConflictedBy'],
    ['Before', 'After'],
    ['After', 'Before'],
    ['OnFailure', 'OnFailureOf'],
    ['OnSuccess', 'OnSuccessOf'],
    ['PropagatesReloadTo', 'ReloadPropagatedFrom'],
    ['ReloadPropagatedFrom', 'PropagatesReloadTo'],
    ['PropagatesStopTo', 'StopPropagatedFrom'],
    ['StopPropagatedFrom', 'PropagatesStopTo'],
  ] as const)('a %s=b gives b %s=a', (kind, reverse) => {
    const g = graphOf({ 'a.service': { [kind]: ['b.service'] }, 'b.service': {} });
    expect(g.deps('a.service', kind)).toEqual(['b.service']);
    expect(g.deps('b.service', reverse)).toEqual(['a.service']);
  });

  test('an edge declared on both sides is recorded once', () => {
    const g = graphOf({ 'a.service': { Before: ['b.service'] }, 'b.service': { After: ['a.service'] } });
    expect(g.deps('b.service', 'After')).toEqual(['a.service']);
    expect(g.deps('a.service', 'Before')).toEqual(['b.service']);
  });

  test('numbered edges list each unit once, in the order of deps(), an alias and its unit as one', () => {
    const g = graphOf({
      'a.service': { Before: ['b.service', 'c.service', 'web.service'] },
      'b.service': { After: ['a.service'], aliases: ['web.service'] },
      'c.service': { After: ['a.service'] },
    });
    const targets = (unit: string, kind: 'Before' | 'After') => {
      const n = g.numberOf(unit);
      const out: string[] = [];
      for (let e = g.edgeStart(n, kindNumber(kind)); e < g.edgeEnd(n, kindNumber(kind)); e++) out.push(g.nameOf(g.edgeTargets[e]!));
      return out;
    };
    expect(targets('a.service', 'Before')).toEqual(['b.service', 'c.service']);
    expect(targets('a.service', 'Before')).toEqual(g.deps('a.service', 'Before'));
    expect(targets('c.service', 'After')).toEqual(['a.service']);
  });

  test('self-references are dropped, aliases resolve to the primary name', () => {
    const g = graphOf({ 'a.service': { Wants: ['a.service', 'web.service'] }, 'b.service': { aliases: ['web.service'] } });
    expect(g.deps('a.service', 'Wants')).toEqual(['b.service']);
    expect(g.deps('b.service', 'WantedBy')).toEqual(['a.service']);
    expect(g.resolve('web.service')).toBe('b.service');
  });

  test('referenced but missing units are known, not-found and inactive', () => {
    const g = graphOf({ 'a.service': { Wants: ['gone.service'] } });
    expect([...g.units()].sort()).toEqual(['a.service', 'gone.service']);
    expect(g.loadState('gone.service')).toBe('not-found');
    expect(g.activeState('gone.service')).toBe('inactive');
    expect(g.info('gone.service')).toBeUndefined();
  });

  test('each list keeps declaration order across units, and the first of an edge declared twice', () => {
    // c's After= list is filled by its own After= and by the Before= of units declared before and after it.
    const g = graphOf({
      'a.service': { Before: ['c.service'] },
      'c.service': { After: ['d.service', 'a.service', 'b.service'] },
      'b.service': { Before: ['c.service'] },
      'd.service': { Before: ['c.service'] },
    });
    expect(g.deps('c.service', 'After')).toEqual(['a.service', 'd.service', 'b.service']);
    expect(g.deps('d.service', 'Before')).toEqual(['c.service']);
  });

  test('a long list stays free of duplicates and in order', () => {
    const many = Array.from({ length: 40 }, (_, i) => `s${i}.service`);
    const g = graphOf({ 'x.target': { Before: [...many, ...many.slice(0, 10)] }, 's3.service': { After: ['x.target'] } });
    expect(g.deps('x.target', 'Before')).toEqual(many);
    expect(g.deps('s3.service', 'After')).toEqual(['x.target']);
  });

  test('a unit first looked up unknown and later given a state answers with that state', () => {
    const g = graphOf({ 'a.service': {} });
    expect(g.activeState('late.service')).toBe('inactive');
    expect(g.deps('late.service', 'Wants')).toEqual([]);
    g.setActiveState('late.service', 'active');
    expect(g.activeState('late.service')).toBe('active');
    expect(g.loadState('late.service')).toBe('not-found');
    expect([...g.units()]).toEqual(['a.service']);
    g.setActiveState('a.service', 'failed');
    expect(g.activeState('a.service')).toBe('failed');
  });

  test('unit info and the {desc} of messages', () => {
    const g = graphOf({ 'web.service': { description: 'Web server', reload: true }, 'multi-user.target': {} });
    expect(g.info('web.service')).toMatchObject({ type: 'service', oneshot: true, canReload: true });
    expect(g.info('multi-user.target')).toMatchObject({ type: 'target', canReload: false });
    expect(describeUnit(g, 'web.service')).toBe('web.service - Web server');
    expect(describeUnit(g, 'multi-user.target')).toBe('multi-user.target');
  });
});
