// Every experiment of seeds/001 ("systemd by example, Part 2: Dependencies") as a pure scenario: the job
// engine's lines of the article's journals and their times (seconds since the first request). The
// services' own lines (exits, results) come from the service machine; test/seed checks them end to end.
import { describe, test, expect } from 'vitest';
import { graphOf, Simulation, type Behaviour, type UnitSpec } from './fixture.js';

const sim = (units: Record<string, UnitSpec>, behaviour: Behaviour = {}) => new Simulation(graphOf(units), behaviour);
const started = (s: Simulation, ...units: string[]) => units.forEach((u) => s.graph.setActiveState(u, 'active'));
const start = (s: Simulation, ...units: string[]) => units.forEach((unit) => s.request({ unit, type: 'start' }));

describe('ordering dependencies', () => {
  test('no ordering: start a b runs both in parallel', () => {
    const s = sim({ 'a.service': {}, 'b.service': {} });
    start(s, 'a.service', 'b.service');
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Starting a.service...'],
      [0, 'Starting b.service...'],
      [1, 'Finished a.service.'],
      [1, 'Finished b.service.'],
    ]);
  });

  test('a Before=b: b starts once a has left activating', () => {
    const s = sim({ 'a.service': { Before: ['b.service'] }, 'b.service': {} });
    start(s, 'a.service', 'b.service');
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Starting a.service...'],
      [1, 'Finished a.service.'],
      [1, 'Starting b.service...'],
      [2, 'Finished b.service.'],
    ]);
  });

  test('a Before=b with a failing: b is still started once a is done (ordering only)', () => {
    const s = sim({ 'a.service': { Before: ['b.service'] }, 'b.service': {} }, { failing: ['a.service'] });
    start(s, 'a.service', 'b.service');
    s.settle();
    expect(s.journal.filter(([, m]) => m.startsWith('Starting'))).toEqual([
      [0, 'Starting a.service...'],
      [1, 'Starting b.service...'],
    ]);
    expect(s.graph.activeState('b.service')).toBe('active');
  });

  test('stop b a: stop jobs run in reverse order', () => {
    const s = sim({ 'a.service': { Before: ['b.service'] }, 'b.service': {} });
    started(s, 'a.service', 'b.service');
    s.request({ unit: 'b.service', type: 'stop' });
    s.request({ unit: 'a.service', type: 'stop' });
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Stopping b.service...'],
      [1, 'Stopped b.service.'],
      [1, 'Stopping a.service...'],
      [2, 'Stopped a.service.'],
    ]);
  });

  test('stop a b: a is already stopping when b is queued, so both stop in parallel', () => {
    const s = sim({ 'a.service': { Before: ['b.service'] }, 'b.service': {} });
    started(s, 'a.service', 'b.service');
    s.request({ unit: 'a.service', type: 'stop' });
    s.request({ unit: 'b.service', type: 'stop' });
    s.settle();
    expect(s.journal.filter(([, m]) => m.startsWith('Stop'))).toEqual([
      [0, 'Stopping a.service...'],
      [0, 'Stopping b.service...'],
      [1, 'Stopped a.service.'],
      [1, 'Stopped b.service.'],
    ]);
  });

  test('stop a b queued before the run queue runs: a still waits for b', () => {
    const s = sim({ 'a.service': { Before: ['b.service'] }, 'b.service': {} });
    started(s, 'a.service', 'b.service');
    s.request({ unit: 'a.service', type: 'stop' }, { dispatch: false });
    s.request({ unit: 'b.service', type: 'stop' }, { dispatch: false });
    s.run();
    s.settle();
    expect(s.journal.filter(([, m]) => m.startsWith('Stopping'))).toEqual([
      [0, 'Stopping b.service...'],
      [1, 'Stopping a.service...'],
    ]);
  });

  // a Before=c; b Before=c,d; c Before=e; d Before=f; e Before=f. a sleeps 3 s, d 5 s, the rest 1 s.
  const dag: Record<string, UnitSpec> = {
    'a.service': { Before: ['c.service'] },
    'b.service': { Before: ['c.service', 'd.service'] },
    'c.service': { Before: ['e.service'] },
    'd.service': { Before: ['f.service'] },
    'e.service': { Before: ['f.service'] },
    'f.service': {},
  };
  const dagTimes = { seconds: { 'a.service': 3, 'd.service': 5 } };
  const dagJournal = [
    [0, 'Starting a.service...'],
    [0, 'Starting b.service...'],
    [1, 'Finished b.service.'],
    [1, 'Starting d.service...'],
    [3, 'Finished a.service.'],
    [3, 'Starting c.service...'],
    [4, 'Finished c.service.'],
    [4, 'Starting e.service...'],
    [5, 'Finished e.service.'],
    [6, 'Finished d.service.'],
    [6, 'Starting f.service...'],
    [7, 'Finished f.service.'],
  ];

  test('the six-service Before= DAG starts in topological order with parallelism', () => {
    const s = sim(dag, dagTimes);
    start(s, 'a.service', 'b.service', 'c.service', 'd.service', 'e.service', 'f.service');
    s.settle();
    expect(s.journal).toEqual(dagJournal);
  });

  const wanting: Record<string, UnitSpec> = {
    ...dag,
    'c.service': { Before: ['e.service'], Wants: ['a.service', 'b.service'] },
    'e.service': { Before: ['f.service'], Wants: ['c.service'] },
    'f.service': { Wants: ['e.service', 'd.service'] },
  };

  test('Wants= pulls the whole DAG in from f; ordering stays the same', () => {
    const s = sim(wanting, dagTimes);
    start(s, 'f.service');
    s.settle();
    expect(s.journal).toEqual(dagJournal);
  });

  test('starting only e pulls in a, b, c but not d, f (ordering does not pull in)', () => {
    const s = sim(wanting, dagTimes);
    start(s, 'e.service');
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Starting a.service...'],
      [0, 'Starting b.service...'],
      [1, 'Finished b.service.'],
      [3, 'Finished a.service.'],
      [3, 'Starting c.service...'],
      [4, 'Finished c.service.'],
      [4, 'Starting e.service...'],
      [5, 'Finished e.service.'],
    ]);
    expect(s.graph.activeState('d.service')).toBe('inactive');
  });
});

describe('requirement dependencies', () => {
  test('Wants=: b starts alongside a, in parallel', () => {
    const s = sim({ 'a.service': { Wants: ['b.service'] }, 'b.service': {} });
    start(s, 'a.service');
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Starting a.service...'],
      [0, 'Starting b.service...'],
      [1, 'Finished a.service.'],
      [1, 'Finished b.service.'],
    ]);
  });

  test('Requires= + After= on a failing unit: the dependant fails with result dependency', () => {
    const s = sim({ 'a.service': { Requires: ['b.service'], After: ['b.service'] }, 'b.service': {} }, { failing: ['b.service'] });
    start(s, 'a.service');
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Starting b.service...'],
      [1, 'Failed to start b.service.'],
      [1, 'Dependency failed for a.service.'],
      [1, "a.service: Job a.service/start failed with result 'dependency'."],
    ]);
    // "a unit whose start job failed with result 'dependency' stays inactive (dead)"
    expect(s.graph.activeState('a.service')).toBe('inactive');
  });

  test('Requires= without After=: both start in parallel, so a is already started when b fails', () => {
    const s = sim({ 'a.service': { Requires: ['b.service'] }, 'b.service': {} }, { failing: ['b.service'] });
    start(s, 'a.service');
    s.settle();
    expect(s.journal.slice(0, 3)).toEqual([
      [0, 'Starting a.service...'],
      [0, 'Starting b.service...'],
      [1, 'Finished a.service.'],
    ]);
    expect(s.journal.map(([, m]) => m)).not.toContain('Dependency failed for a.service.');
    expect(s.graph.activeState('a.service')).toBe('active');
  });

  test('Requires=: an explicit stop of b stops a too', () => {
    const s = sim({ 'a.service': { Requires: ['b.service'] }, 'b.service': {} });
    started(s, 'a.service', 'b.service');
    s.request({ unit: 'b.service', type: 'stop' });
    s.settle();
    expect(s.journal.filter(([, m]) => m.startsWith('Stop'))).toEqual([
      [0, 'Stopping a.service...'],
      [0, 'Stopping b.service...'],
      [1, 'Stopped a.service.'],
      [1, 'Stopped b.service.'],
    ]);
  });

  test('Conflicts=: starting b stops a, in parallel when unordered', () => {
    const s = sim({ 'a.service': { Conflicts: ['b.service'] }, 'b.service': {} });
    started(s, 'a.service');
    start(s, 'b.service');
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Stopping a.service...'],
      [0, 'Starting b.service...'],
      [1, 'Stopped a.service.'],
      [1, 'Finished b.service.'],
    ]);
    // And back: starting a stops b. The two are never both active afterwards.
    start(s, 'a.service');
    s.settle();
    expect(s.graph.activeState('a.service')).toBe('active');
    expect(s.graph.activeState('b.service')).toBe('inactive');
  });

  test.each([
    ['Before', { 'a.service': { Conflicts: ['b.service'], Before: ['b.service'] }, 'b.service': {} }],
    ['After', { 'a.service': { Conflicts: ['b.service'], After: ['b.service'] }, 'b.service': {} }],
  ] as const)('Conflicts= with %s=: a shutdown is always ordered before a start-up', (_kind, units) => {
    const s = sim(units);
    started(s, 'a.service');
    start(s, 'b.service');
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Stopping a.service...'],
      [1, 'Stopped a.service.'],
      [1, 'Starting b.service...'],
      [2, 'Finished b.service.'],
    ]);
  });

  test('the five-unit example: Wants, Requires, Conflicts together', () => {
    const units: Record<string, UnitSpec> = {
      'a.service': { Requires: ['b.service'], After: ['b.service'] },
      'b.service': { Wants: ['c.service'] },
      'c.service': { Conflicts: ['e.service'], After: ['e.service'] },
      'd.service': { Requires: ['e.service'] },
      'e.service': {},
    };
    const s = sim(units, { failing: ['b.service'] });
    start(s, 'd.service');
    s.settle();
    expect(s.journal).toEqual([
      [0, 'Starting d.service...'],
      [0, 'Starting e.service...'],
      [1, 'Finished d.service.'],
      [1, 'Finished e.service.'],
    ]);
    s.journal.length = 0;
    const t0 = s.clock.now() / 1e6;
    start(s, 'a.service');
    s.settle();
    expect(s.journal.map(([t, m]) => [t - t0, m])).toEqual([
      [0, 'Starting b.service...'],
      [0, 'Stopping d.service...'],
      [0, 'Stopping e.service...'],
      [1, 'Failed to start b.service.'],
      [1, 'Dependency failed for a.service.'],
      [1, "a.service: Job a.service/start failed with result 'dependency'."],
      [1, 'Stopped d.service.'],
      [1, 'Stopped e.service.'],
      [1, 'Starting c.service...'],
      [2, 'Finished c.service.'],
    ]);
    expect(s.graph.activeState('a.service')).toBe('inactive');
  });
});
