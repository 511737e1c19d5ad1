// The transaction builder, table by table: each dependency kind, load errors, conflicts, cycles, installed jobs and job modes.
import { describe, test, expect } from 'vitest';
import type { ActiveState } from '../../src/unit/active-state.js';
import { InstalledJobs } from '../../src/job/installed-jobs.js';
import { applyPlan } from '../../src/job/run-queue.js';
import { activate, type JobRequest } from '../../src/job/transaction.js';
import type { JobType } from '../../src/job/job-type.js';
import type { JobMode } from '../../src/job/job-mode.js';
import { graphOf, planJobs, type UnitSpec } from './fixture.js';

type Units = Record<string, UnitSpec>;
const A = 'a.service';
const B = 'b.service';
const C = 'c.service';

function plan(units: Units, states: Record<string, ActiveState>, type: JobType, mode: JobMode = 'replace', unit = A) {
  const graph = graphOf(units);
  for (const [u, s] of Object.entries(states)) graph.setActiveState(u, s);
  return activate(graph, new InstalledJobs(), { unit, type, mode });
}

describe('requirement dependencies pull in jobs', () => {
  test.each<[string, Units, Record<string, ActiveState>, JobType, string[]]>([
    ['Requires= pulls in start', { [A]: { Requires: [B] }, [B]: {} }, {}, 'start', ['a.service/start', 'b.service/start']],
    ['Wants= pulls in start', { [A]: { Wants: [B] }, [B]: {} }, {}, 'start', ['a.service/start', 'b.service/start']],
    ['BindsTo= pulls in start', { [A]: { BindsTo: [B] }, [B]: {} }, {}, 'start', ['a.service/start', 'b.service/start']],
    ['Upholds= pulls in start', { [A]: { Upholds: [B] }, [B]: {} }, {}, 'start', ['a.service/start', 'b.service/start']],
    ['Requisite= pulls in verify-active', { [A]: { Requisite: [B] }, [B]: {} }, {}, 'start', ['a.service/start', 'b.service/verify-active']],
    ['Requisite= on an active unit is redundant', { [A]: { Requisite: [B] }, [B]: {} }, { [B]: 'active' }, 'start', ['a.service/start']],
    ['Conflicts= stops an active unit', { [A]: { Conflicts: [B] }, [B]: {} }, { [B]: 'active' }, 'start', ['a.service/start', 'b.service/stop']],
    ['Conflicts= with an inactive unit is redundant', { [A]: { Conflicts: [B] }, [B]: {} }, {}, 'start', ['a.service/start']],
    ['ConflictedBy= stops the other side', { [A]: {}, [B]: { Conflicts: [A] } }, { [B]: 'active' }, 'start', ['a.service/start', 'b.service/stop']],
    ['PartOf= does not pull in a start', { [A]: { PartOf: [B] }, [B]: {} }, {}, 'start', ['a.service/start']],
    ['Before= does not pull in anything', { [A]: { Before: [B] }, [B]: {} }, {}, 'start', ['a.service/start']],
    ['an active wanted unit needs no job', { [A]: { Wants: [B] }, [B]: {} }, { [B]: 'active' }, 'start', ['a.service/start']],
    ['the anchor is kept even when redundant', { [A]: {} }, { [A]: 'active' }, 'start', ['a.service/start']],
    ['RequiredBy= propagates stop', { [A]: { Requires: [B] }, [B]: {} }, { [A]: 'active', [B]: 'active' }, 'stop', ['a.service/stop', 'b.service/stop']],
    ['Wants= does not propagate stop', { [A]: { Wants: [B] }, [B]: {} }, { [A]: 'active', [B]: 'active' }, 'stop', ['b.service/stop']],
    ['BoundBy= propagates stop', { [A]: { BindsTo: [B] }, [B]: {} }, { [A]: 'active', [B]: 'active' }, 'stop', ['a.service/stop', 'b.service/stop']],
    ['ConsistsOf= (PartOf=) propagates stop', { [A]: { PartOf: [B] }, [B]: {} }, { [A]: 'active', [B]: 'active' }, 'stop', ['a.service/stop', 'b.service/stop']],
    ['RequisiteOf= propagates stop', { [A]: { Requisite: [B] }, [B]: {} }, { [A]: 'active', [B]: 'active' }, 'stop', ['a.service/stop', 'b.service/stop']],
    ['PropagatesStopTo= propagates stop', { [A]: {}, [B]: { PropagatesStopTo: [A] } }, { [A]: 'active', [B]: 'active' }, 'stop', ['a.service/stop', 'b.service/stop']],
    ['stop of an inactive dependant is redundant', { [A]: { Requires: [B] }, [B]: {} }, { [B]: 'active' }, 'stop', ['b.service/stop']],
    ['PartOf= propagates restart to an active unit', { [A]: { PartOf: [B] }, [B]: {} }, { [A]: 'active', [B]: 'active' }, 'restart', ['a.service/restart', 'b.service/restart']],
    ['PartOf= does not restart an inactive unit', { [A]: { PartOf: [B] }, [B]: {} }, { [B]: 'active' }, 'restart', ['b.service/restart']],
    ['RequiredBy= propagates restart', { [A]: { Requires: [B] }, [B]: {} }, { [A]: 'active', [B]: 'active' }, 'restart', ['a.service/restart', 'b.service/restart']],
    ['PropagatesStopTo= turns a restart into a stop', { [A]: {}, [B]: { PropagatesStopTo: [A] } }, { [A]: 'active', [B]: 'active' }, 'restart', ['a.service/stop', 'b.service/restart']],
    ['restart pulls in requirements to start', { [A]: {}, [B]: { Requires: [A] } }, { [B]: 'active' }, 'restart', ['a.service/start', 'b.service/restart']],
  ])('%s', (_name, units, states, type, expected) => {
    expect(planJobs(plan(units, states, type, 'replace', type === 'start' ? A : B))).toEqual(expected);
  });

  test('PropagatesReloadTo= reloads active reloadable units', () => {
    const units: Units = { [A]: { PropagatesReloadTo: [B, C], reload: true }, [B]: { reload: true }, [C]: { reload: true } };
    expect(planJobs(plan(units, { [A]: 'active', [B]: 'active' }, 'reload'))).toEqual(['a.service/reload', 'b.service/reload']);
  });

  test('reload of a unit without ExecReload= is not applicable', () => {
    const r = plan({ [A]: {} }, { [A]: 'active' }, 'reload');
    expect(r.ok || r.error).toEqual({ code: 'not-applicable', message: 'Job type reload is not applicable for unit a.service.', log: [] });
  });

  test('try-restart of an inactive unit is a nop; reload-or-start of an inactive unit starts it', () => {
    expect(planJobs(plan({ [A]: {} }, {}, 'try-restart'))).toEqual(['a.service/nop']);
    expect(planJobs(plan({ [A]: { reload: true } }, {}, 'reload-or-start'))).toEqual(['a.service/start']);
    expect(planJobs(plan({ [A]: { reload: true } }, { [A]: 'active' }, 'reload-or-start'))).toEqual(['a.service/reload']);
  });

  test('ignore-dependencies pulls in nothing and ignores ordering', () => {
    const r = plan({ [A]: { Requires: [B], After: [B] }, [B]: {} }, {}, 'start', 'ignore-dependencies');
    expect(r.ok && r.value.jobs).toEqual([expect.objectContaining({ unit: A, type: 'start', ignoreOrder: true })]);
  });
});

describe('units that cannot be loaded', () => {
  test.each([
    ['not-found', 'Unit b.service not found.'],
    ['masked', 'Unit b.service is masked.'],
    ['bad-setting', 'Unit b.service has a bad unit file setting.'],
  ] as const)('Requires= on a %s unit fails the request', (loadState, message) => {
    const units: Units = { [A]: { Requires: [B] }, ...(loadState === 'not-found' ? {} : { [B]: { loadState } }) };
    const r = plan(units, {}, 'start');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe(message);
  });

  test('Wants= on a missing unit is ignored with a debug line', () => {
    const r = plan({ [A]: { Wants: [B] } }, {}, 'start');
    expect(planJobs(r)).toEqual(['a.service/start']);
    expect(r.ok && r.value.log).toContainEqual({ level: 'debug', unit: B, message: 'b.service: Cannot add dependency job, ignoring: Unit b.service not found.' });
  });

  test('a wanted unit whose requirement is missing is skipped, the error reported under it', () => {
    const r = plan({ [A]: { Wants: [B] }, [B]: { Requires: [C] } }, {}, 'start');
    expect(r.ok && r.value.log.map((l) => l.message)).toContain('b.service: Cannot add dependency job, ignoring: Unit c.service not found.');
  });

  // systemd loads and runs these; unitvisor said once at load that it does not, so they add no line at boot.
  test('a unit of a type unitvisor does not run takes no job: Wants= and Requires= pass over it quietly', () => {
    const units: Units = { [A]: { Wants: ['tmp.mount', '-.slice'], Requires: ['var-lib.mount'] }, 'tmp.mount': { loadState: 'error' }, '-.slice': { loadState: 'error' }, 'var-lib.mount': { loadState: 'error' } };
    const r = plan(units, {}, 'start');
    expect(planJobs(r)).toEqual(['a.service/start']);
    expect(r.ok && r.value.log.filter((l) => l.level !== 'debug')).toEqual([]);
    const direct = plan(units, {}, 'start', 'replace', 'tmp.mount');
    expect(!direct.ok && direct.error.message).toBe('Job type start is not applicable for unit tmp.mount.');
  });

  test('Wants= on a unit unitvisor refused for a feature it lacks is debug; Requires= still fails', () => {
    const wanted = plan({ [A]: { Wants: [B] }, [B]: { loadState: 'bad-setting', refusedHere: true } }, {}, 'start');
    expect(planJobs(wanted)).toEqual(['a.service/start']);
    expect(wanted.ok && wanted.value.log).toContainEqual({ level: 'debug', unit: B, message: 'b.service: Cannot add dependency job, ignoring: Unit b.service has a bad unit file setting.' });
    const required = plan({ [A]: { Requires: [B] }, [B]: { loadState: 'bad-setting', refusedHere: true } }, {}, 'start');
    expect(!required.ok && required.error.message).toBe('Unit b.service has a bad unit file setting.');
  });

  test('Wants= on a unit systemd itself would refuse warns, as systemd does', () => {
    const r = plan({ [A]: { Wants: [B] }, [B]: { loadState: 'bad-setting' } }, {}, 'start');
    expect(r.ok && r.value.log).toContainEqual({ level: 'warning', unit: B, message: 'b.service: Cannot add dependency job, ignoring: Unit b.service has a bad unit file setting.' });
  });

  test('stopping a unit that does not exist is allowed', () => {
    expect(planJobs(plan({}, {}, 'stop', 'replace', 'gone.service'))).toEqual(['gone.service/stop']);
  });
});

describe('conflicting jobs within one transaction', () => {
  test.each([
    ['inactive', ['a.service/start', 'c.service/start']],
    ['active', ['a.service/start', 'b.service/stop', 'c.service/start']],
  ] as const)('a unit stopped by Conflicts= and wanted by another: the stop wins (b %s)', (state, expected) => {
    const units: Units = { [A]: { Wants: [B, C] }, [B]: {}, [C]: { Conflicts: [B] } };
    const r = plan(units, { [B]: state }, 'start');
    expect(planJobs(r)).toEqual(expected);
    // Ids in creation order: a/start 1, b/start 2, c/stop 3 (b's ConflictedBy=), c/start 4, b/stop 5.
    expect(r.ok && r.value.jobs.map((j) => `${j.unit}/${j.type} ${j.id}`)).toContain('c.service/start 4');
    expect(r.ok && r.value.log.map((l) => l.message)).toContain('b.service: Fixing conflicting jobs b.service/stop,b.service/start by deleting job b.service/start');
  });

  test('a required unit beats a wanted unit that conflicts with it', () => {
    const units: Units = { [A]: { Requires: [B], Wants: [C] }, [B]: {}, [C]: { Conflicts: [B] } };
    expect(planJobs(plan(units, {}, 'start'))).toEqual(['a.service/start', 'b.service/start']);
  });

  test('two requirements that conflict fail the transaction', () => {
    const units: Units = { [A]: { Requires: [B, C] }, [B]: {}, [C]: { Conflicts: [B] } };
    const r = plan(units, {}, 'start');
    expect(r.ok || r.error.message).toBe(
      "Transaction contains conflicting jobs 'stop' and 'start' for a.service. Probably contradicting requirement dependencies configured.",
    );
  });
});

describe('ordering cycles', () => {
  test('a cycle through a Wants= job is broken by deleting that job', () => {
    const units: Units = { [A]: { Wants: [B], After: [B] }, [B]: { After: [A] } };
    const r = plan(units, {}, 'start');
    expect(planJobs(r)).toEqual(['a.service/start']);
    expect(r.ok && r.value.log.filter((l) => l.level !== 'debug')).toEqual([
      { level: 'warning', unit: A, message: 'a.service: Found ordering cycle on b.service/start' },
      { level: 'warning', unit: A, message: 'a.service: Found dependency on a.service/start' },
      { level: 'error', unit: A, message: 'a.service: Job b.service/start deleted to break ordering cycle starting with a.service/start' },
    ]);
  });

  test('the first droppable job back along the cycle is deleted', () => {
    const units: Units = { [A]: { Requires: [B], After: [B], Wants: [C] }, [B]: { After: [C] }, [C]: { After: [A] } };
    const r = plan(units, {}, 'start');
    expect(planJobs(r)).toEqual(['a.service/start', 'b.service/start']);
    expect(r.ok && r.value.log.map((l) => l.message)).toEqual([
      'a.service: Found ordering cycle on b.service/start',
      'a.service: Found dependency on c.service/start',
      'a.service: Found dependency on a.service/start',
      'a.service: Job c.service/start deleted to break ordering cycle starting with a.service/start',
    ]);
  });

  test('a cycle of required jobs cannot be broken', () => {
    const units: Units = { [A]: { Requires: [B], After: [B] }, [B]: { Requires: [C], After: [C] }, [C]: { Requires: [A], After: [A] } };
    const r = plan(units, {}, 'start');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual({
      code: 'cyclic',
      message: 'Transaction order is cyclic. See system logs for details.',
      log: [
        { level: 'warning', unit: A, message: 'a.service: Found ordering cycle on b.service/start' },
        { level: 'warning', unit: A, message: 'a.service: Found dependency on c.service/start' },
        { level: 'warning', unit: A, message: 'a.service: Found dependency on a.service/start' },
        { level: 'error', unit: A, message: 'a.service: Unable to break cycle starting with a.service/start' },
      ],
    });
  });

  test('the walk passes through the installed job of a unit the transaction has no job for', () => {
    // a runs before b, b before c, c before a; only b's installed job closes the cycle.
    const units: Units = { [A]: { Wants: [C], Before: [B] }, [B]: { Before: [C] }, [C]: { Before: [A] } };
    expect(planJobs(plan(units, {}, 'start'))).toEqual(['a.service/start', 'c.service/start']);
    const graph = graphOf(units);
    const installed = new InstalledJobs();
    const first = activate(graph, installed, { unit: B, type: 'start', mode: 'replace' });
    if (first.ok) applyPlan(graph, installed, first.value);
    const r = activate(graph, installed, { unit: A, type: 'start', mode: 'replace' });
    expect(planJobs(r)).toEqual(['a.service/start']);
    expect(r.ok && r.value.log.map((l) => l.message)).toEqual([
      'a.service: Found ordering cycle on c.service/start',
      'a.service: Found dependency on b.service/start',
      'a.service: Found dependency on a.service/start',
      'a.service: Job c.service/start deleted to break ordering cycle starting with a.service/start',
    ]);
  });

  test('ordering between a stop and a start is no cycle (the stop always goes first)', () => {
    const units: Units = { [A]: { Conflicts: [B], After: [B] }, [B]: { After: [A] } };
    expect(planJobs(plan(units, { [B]: 'active' }, 'start'))).toEqual(['a.service/start', 'b.service/stop']);
  });
});

describe('merging with installed jobs and job modes', () => {
  const setup = (units: Units, states: Record<string, ActiveState> = {}) => {
    const graph = graphOf(units);
    for (const [u, s] of Object.entries(states)) graph.setActiveState(u, s);
    const installed = new InstalledJobs();
    const run = (req: JobRequest) => {
      const r = activate(graph, installed, req);
      if (r.ok) applyPlan(graph, installed, r.value);
      return r;
    };
    return { graph, installed, run };
  };

  test('a second request for the same job merges into the queued one, keeping its id', () => {
    const { installed, run } = setup({ [A]: { Requires: [B] }, [B]: {} });
    run({ unit: B, type: 'start', mode: 'replace' });
    const r = run({ unit: A, type: 'start', mode: 'replace' });
    expect(r.ok && r.value.jobs.map((j) => [j.unit, j.id, j.installed?.outcome])).toEqual([
      [A, 2, undefined],
      [B, 1, 'merged'],
    ]);
    expect(installed.list().map((j) => `${j.id} ${j.unit}/${j.type}`)).toEqual(['1 b.service/start', '2 a.service/start']);
  });

  test('replace cancels a queued conflicting job', () => {
    const { installed, run } = setup({ [A]: {} });
    run({ unit: A, type: 'start', mode: 'replace' });
    const r = run({ unit: A, type: 'stop', mode: 'replace' });
    expect(r.ok && r.value.anchor.installed).toEqual({ id: 1, type: 'start', outcome: 'canceled', resultType: 'stop' });
    expect(installed.list().map((j) => `${j.id} ${j.unit}/${j.type}`)).toEqual(['2 a.service/stop']);
  });

  test('fail refuses to replace a queued conflicting job', () => {
    const { run } = setup({ [A]: {} });
    run({ unit: A, type: 'start', mode: 'replace' });
    const r = run({ unit: A, type: 'stop', mode: 'fail' });
    expect(r.ok || r.error).toEqual({
      code: 'destructive',
      message: "Transaction for a.service/stop is destructive (a.service has 'start' job queued, but 'stop' is included in transaction).",
      log: [],
    });
  });

  test('fail drops jobs that would stop running units when they do not matter', () => {
    const { run } = setup({ [A]: { Wants: [C] }, [B]: {}, [C]: { Conflicts: [B] } }, { [B]: 'active' });
    expect(planJobs(run({ unit: A, type: 'start', mode: 'fail' }))).toEqual(['a.service/start']);
  });

  test('replace-irreversibly jobs cannot be replaced', () => {
    const { run } = setup({ [A]: {} }, { [A]: 'active' });
    run({ unit: A, type: 'stop', mode: 'replace-irreversibly' });
    const r = run({ unit: A, type: 'start', mode: 'replace' });
    expect(r.ok || r.error.code).toBe('destructive');
  });

  test('start merges into a queued reload-or-start as start (unit inactive)', () => {
    const { installed, run } = setup({ [A]: { reload: true } });
    run({ unit: A, type: 'start', mode: 'replace' });
    run({ unit: A, type: 'reload-or-start', mode: 'replace' });
    expect(installed.list().map((j) => `${j.id} ${j.type}`)).toEqual(['1 start']);
  });

  test('isolate stops every other active unit and cancels other jobs', () => {
    const units: Units = { 't.target': { Wants: [A], allowIsolate: true }, [A]: {}, [B]: {}, [C]: {} };
    const { installed, run } = setup(units, { [A]: 'active', [B]: 'active' });
    run({ unit: 'x.service', type: 'stop', mode: 'replace' });
    const r = run({ unit: 't.target', type: 'start', mode: 'isolate' });
    expect(planJobs(r)).toEqual(['b.service/stop', 't.target/start']);
    expect(installed.list().map((j) => `${j.unit}/${j.type}`).sort()).toEqual(['b.service/stop', 't.target/start']);
  });

  test.each([
    ['isolate', 'stop', 'Isolate is only valid for start.'],
    ['isolate', 'start', 'Operation refused, unit may not be isolated.'],
    ['triggering', 'start', '--job-mode=triggering is only valid for stop.'],
  ] as const)('mode %s with %s is refused', (mode, type, message) => {
    const { run } = setup({ [A]: {} });
    const r = run({ unit: A, type, mode });
    expect(r.ok || r.error.message).toBe(message);
  });
});
