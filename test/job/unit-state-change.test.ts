// Follow-up jobs for unit state changes: BindsTo=, Upholds=, StopWhenUnneeded=, OnFailure=/OnSuccess= and retroactive dependencies.
import { describe, test, expect } from 'vitest';
import type { ActiveState } from '../../src/unit/active-state.js';
import { InstalledJobs } from '../../src/job/installed-jobs.js';
import { onUnitStateChange } from '../../src/job/unit-state-change.js';
import { graphOf, type UnitSpec } from './fixture.js';

const A = 'a.service';
const B = 'b.service';

function followUps(units: Record<string, UnitSpec>, states: Record<string, ActiveState>, unit: string, old: ActiveState, now: ActiveState, unexpected = true) {
  const graph = graphOf(units);
  for (const [u, s] of Object.entries({ ...states, [unit]: now })) graph.setActiveState(u, s);
  return onUnitStateChange(graph, new InstalledJobs(), { unit, old, new: now, unexpected }).map((f) => [`${f.unit}/${f.type}/${f.mode}`, f.log?.message]);
}

describe('a unit going down on its own', () => {
  test('Requires= does not follow it', () => {
    expect(followUps({ [A]: { Requires: [B] }, [B]: {} }, { [A]: 'active' }, B, 'active', 'inactive')).toEqual([]);
  });

  test('BindsTo= stops the bound unit', () => {
    expect(followUps({ [A]: { BindsTo: [B] }, [B]: {} }, { [A]: 'active' }, B, 'active', 'failed')).toEqual([['a.service/stop/replace', undefined]]);
  });

  test('BindsTo= also catches a unit that went down while a job was running', () => {
    expect(followUps({ [A]: { BindsTo: [B] }, [B]: {} }, { [A]: 'active' }, B, 'activating', 'failed', false)).toEqual([
      ['a.service/stop/replace', 'a.service: Unit is bound to inactive unit b.service. Stopping, too.'],
    ]);
  });

  test('PropagatesStopTo= stops the other unit', () => {
    expect(followUps({ [A]: {}, [B]: { PropagatesStopTo: [A] } }, { [A]: 'active' }, B, 'active', 'inactive')).toEqual([['a.service/stop/replace', undefined]]);
  });

  test('Upholds= starts the upheld unit again', () => {
    expect(followUps({ [A]: { Upholds: [B] }, [B]: {} }, { [A]: 'active' }, B, 'active', 'failed')).toEqual([
      ['b.service/start/replace', 'b.service: Unit is started because upheld by active unit a.service.'],
    ]);
  });

  test('StopWhenUnneeded= units stop when their last user is gone', () => {
    const units: Record<string, UnitSpec> = { [A]: { Wants: [B] }, [B]: { stopWhenUnneeded: true }, 'c.service': { Wants: [B] } };
    expect(followUps(units, { [B]: 'active' }, A, 'active', 'inactive', false)).toEqual([['b.service/stop/fail', 'b.service: Unit not needed anymore. Stopping.']]);
    expect(followUps(units, { [B]: 'active', 'c.service': 'active' }, A, 'active', 'inactive', false)).toEqual([]);
  });

  test('OnFailure= on entering failed, OnSuccess= on a clean stop', () => {
    const units: Record<string, UnitSpec> = { [A]: { OnFailure: ['f.service'], OnSuccess: ['s.service'] }, 'f.service': {}, 's.service': {} };
    expect(followUps(units, {}, A, 'active', 'failed', false)).toEqual([['f.service/start/replace', 'a.service: Triggering OnFailure= dependencies.']]);
    expect(followUps(units, {}, A, 'deactivating', 'inactive', false)).toEqual([['s.service/start/replace', 'a.service: Triggering OnSuccess= dependencies.']]);
  });
});

describe('a unit coming up on its own', () => {
  test('retroactively starts requirements not ordered before it and stops conflicts', () => {
    const units: Record<string, UnitSpec> = {
      [A]: { Requires: [B, 'o.service'], After: ['o.service'], Wants: ['w.service'], Conflicts: ['c.service'] },
      [B]: {},
      'o.service': {},
      'w.service': {},
      'c.service': {},
    };
    expect(followUps(units, { 'c.service': 'active' }, A, 'inactive', 'active')).toEqual([
      ['b.service/start/replace', undefined],
      ['w.service/start/fail', undefined],
      ['c.service/stop/replace', undefined],
    ]);
  });
});
