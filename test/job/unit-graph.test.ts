// buildGraph: reverse edges, de-duplication, aliases and unit info.
import { describe, test, expect } from 'vitest';
import { describeUnit } from '../../src/job/unit-graph.js';
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

  test('unit info and the {desc} of messages', () => {
    const g = graphOf({ 'web.service': { description: 'Web server', reload: true }, 'multi-user.target': {} });
    expect(g.info('web.service')).toMatchObject({ type: 'service', oneshot: true, canReload: true });
    expect(g.info('multi-user.target')).toMatchObject({ type: 'target', canReload: false });
    expect(describeUnit(g, 'web.service')).toBe('web.service - Web server');
    expect(describeUnit(g, 'multi-user.target')).toBe('multi-user.target');
  });
});
