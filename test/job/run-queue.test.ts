// Installing, dispatching and finishing jobs: propagation of failures, restart patching, priorities and messages.
import { describe, test, expect } from 'vitest';
import { InstalledJobs } from '../../src/job/installed-jobs.js';
import { jobDoneMessage, jobStartMessage, type MessageSubject } from '../../src/job/job.js';
import { applyPlan, dispatch, finishJob, isRunnable, verifyActiveResult } from '../../src/job/run-queue.js';
import { activate } from '../../src/job/transaction.js';
import { graphOf, Simulation, type UnitSpec } from './fixture.js';

const A = 'a.service';
const B = 'b.service';
const C = 'c.service';
const messages = (s: Simulation) => s.journal.map(([t, m]) => `${t} ${m}`);

describe('finishing jobs', () => {
  test('Requisite= on an inactive unit: the verify-active job is skipped and the dependant fails', () => {
    const s = new Simulation(graphOf({ [A]: { Requisite: [B], After: [B] }, [B]: {} }));
    s.request({ unit: A, type: 'start' });
    s.settle();
    expect(messages(s)).toEqual(['0 b.service is inactive.', '0 Dependency failed for a.service.', "0 a.service: Job a.service/start failed with result 'dependency'."]);
    expect(s.graph.activeState(A)).toBe('inactive');
  });

  test('Requisite= on an active unit: the dependant starts', () => {
    const s = new Simulation(graphOf({ [A]: { Requisite: [B], After: [B] }, [B]: {} }));
    s.graph.setActiveState(B, 'active');
    s.request({ unit: A, type: 'start' });
    s.settle();
    expect(messages(s)).toEqual(['0 Starting a.service...', '1 Finished a.service.']);
  });

  test('verify-active waits while the unit is activating', () => {
    expect([verifyActiveResult('active'), verifyActiveResult('activating'), verifyActiveResult('inactive'), verifyActiveResult('failed')]).toEqual(['done', 'wait', 'skipped', 'skipped']);
  });

  test('dependency failures cascade depth-first, in systemd order', () => {
    const units: Record<string, UnitSpec> = {
      'x.service': { Requires: [A], After: [A] },
      [A]: { Requires: [B], After: [B], OnFailure: ['rescue.service'] },
      [B]: {},
      'rescue.service': {},
    };
    const s = new Simulation(graphOf(units), { failing: [B] });
    s.request({ unit: 'x.service', type: 'start' });
    s.settle(1);
    expect(messages(s)).toEqual([
      '0 Starting b.service...',
      '1 Failed to start b.service.',
      '1 Dependency failed for a.service.',
      '1 Dependency failed for x.service.',
      "1 x.service: Job x.service/start failed with result 'dependency'.",
      "1 a.service: Job a.service/start failed with result 'dependency'.",
      '1 a.service: Triggering OnFailure= dependencies.',
    ]);
    expect(s.triggered).toEqual([{ unit: 'rescue.service', mode: 'replace', triggeredBy: A }]);
    expect(s.installed.size).toBe(0);
  });

  test('a start skipped by a failed condition is done, but fails Requisite= dependants since the unit stayed down', () => {
    const graph = graphOf({ [A]: { Requisite: [B], Requires: [B], After: [B] }, [B]: {} });
    const installed = new InstalledJobs();
    installed.add({ id: 7, unit: B, type: 'start', state: 'running', irreversible: false, ignoreOrder: false });
    installed.add({ id: 8, unit: A, type: 'start', state: 'waiting', irreversible: false, ignoreOrder: false });
    const out = finishJob(graph, installed, 7, 'done', { conditionFailed: true });
    expect(out.finished.map((f) => `${f.job.unit} ${f.result}`)).toEqual(['b.service done', 'a.service dependency']);
    expect(out.log.map((l) => l.message)).toEqual(['Dependency failed for a.service.', "a.service: Job a.service/start failed with result 'dependency'."]);
  });

  test('a failed assertion fails the job with result assert and its Requires= dependants', () => {
    const graph = graphOf({ [A]: { Requires: [B], After: [B] }, [B]: {} });
    const installed = new InstalledJobs();
    installed.add({ id: 1, unit: B, type: 'start', state: 'running', irreversible: false, ignoreOrder: false });
    installed.add({ id: 2, unit: A, type: 'start', state: 'waiting', irreversible: false, ignoreOrder: false });
    const out = finishJob(graph, installed, 1, 'assert');
    expect(out.log.map((l) => `${l.level} ${l.message}`)).toEqual([
      'warning Assertion failed for b.service.',
      'warning Dependency failed for a.service.',
      "notice a.service: Job a.service/start failed with result 'dependency'.",
    ]);
  });

  test('Wants= does not propagate a failure', () => {
    const s = new Simulation(graphOf({ [A]: { Wants: [B], After: [B] }, [B]: {} }), { failing: [B] });
    s.request({ unit: A, type: 'start' });
    s.settle();
    expect(messages(s).slice(-2)).toEqual(['1 Starting a.service...', '2 Finished a.service.']);
  });

  test('a failed stop fails the start job of the unit that conflicts with it', () => {
    const graph = graphOf({ [A]: { Conflicts: [B], After: [B] }, [B]: {} });
    graph.setActiveState(B, 'active');
    const installed = new InstalledJobs();
    const r = activate(graph, installed, { unit: A, type: 'start', mode: 'replace' });
    if (!r.ok) throw new Error(r.error.message);
    applyPlan(graph, installed, r.value);
    const [stop] = dispatch(graph, installed);
    expect(stop).toMatchObject({ unit: B, type: 'stop', state: 'running' });
    const out = finishJob(graph, installed, stop!.id, 'failed');
    expect(out.finished.map((f) => `${f.job.unit}/${f.job.type} ${f.result}`)).toEqual(['b.service/stop failed', 'a.service/start dependency']);
    expect(out.log.map((l) => l.message)).toEqual(['Stopped b.service with error.', 'Dependency failed for a.service.', "a.service: Job a.service/start failed with result 'dependency'."]);
  });

  test('a restart job becomes a start job once its stop half is done', () => {
    const s = new Simulation(graphOf({ [A]: {} }));
    s.graph.setActiveState(A, 'active');
    s.request({ unit: A, type: 'restart' });
    const job = s.installed.forUnit(A)!;
    expect(job).toMatchObject({ type: 'restart', state: 'running' });
    const out = finishJob(s.graph, s.installed, job.id, 'done');
    expect(out.restarted).toBe(job);
    expect(s.installed.forUnit(A)).toMatchObject({ id: job.id, type: 'start', state: 'waiting' });
    expect(out.log.map((l) => l.message)).toEqual(['Stopped a.service.']);
    expect(dispatch(s.graph, s.installed)).toEqual([job]);
  });

  test('a job timeout reports and triggers OnFailure=', () => {
    const s = new Simulation(graphOf({ [A]: { OnFailure: ['h.service'] }, 'h.service': {} }));
    s.request({ unit: A, type: 'start' });
    const out = finishJob(s.graph, s.installed, s.installed.forUnit(A)!.id, 'timeout');
    expect(out.log.map((l) => `${l.level} ${l.message}`)).toEqual([
      'error Timed out starting a.service.',
      "notice a.service: Job a.service/start failed with result 'timeout'.",
      'info a.service: Triggering OnFailure= dependencies.',
    ]);
    expect(out.triggered).toEqual([{ unit: 'h.service', mode: 'replace', triggeredBy: A }]);
  });

  test('replacing a queued job cancels it silently', () => {
    const graph = graphOf({ [A]: { After: [B] }, [B]: {} });
    const installed = new InstalledJobs();
    for (const [unit, type] of [[B, 'start'], [A, 'start']] as const) {
      const r = activate(graph, installed, { unit, type, mode: 'replace' });
      if (r.ok) applyPlan(graph, installed, r.value);
    }
    const r = activate(graph, installed, { unit: A, type: 'stop', mode: 'replace' });
    if (!r.ok) throw new Error(r.error.message);
    const applied = applyPlan(graph, installed, r.value);
    expect(applied.finished.map((f) => `${f.job.id} ${f.job.unit}/${f.job.type} ${f.result}`)).toEqual(['2 a.service/start canceled']);
    expect(installed.list().map((j) => `${j.id} ${j.unit}/${j.type}`)).toEqual(['1 b.service/start', '3 a.service/stop']);
    // A shutdown is ordered before a start-up: b's start now waits for a's stop.
    const [stop] = dispatch(graph, installed);
    expect(stop).toMatchObject({ unit: A, type: 'stop' });
    expect(dispatch(graph, installed)).toEqual([]);
    finishJob(graph, installed, stop!.id, 'done');
    expect(dispatch(graph, installed).map((j) => `${j.unit}/${j.type}`)).toEqual(['b.service/start']);
  });
});

describe('the run queue', () => {
  test('targets run before services, then by unit name', () => {
    const graph = graphOf({ 'z.target': { Wants: ['b.service', 'a.service', 'y.target'] }, 'a.service': {}, 'b.service': {}, 'y.target': {} });
    const installed = new InstalledJobs();
    const r = activate(graph, installed, { unit: 'z.target', type: 'start', mode: 'replace' });
    if (r.ok) applyPlan(graph, installed, r.value);
    expect(dispatch(graph, installed).map((j) => j.unit)).toEqual(['y.target', 'z.target', 'a.service', 'b.service']);
    expect(dispatch(graph, installed)).toEqual([]);
  });

  test('among queued jobs, the runnable ones run in priority order whatever blocks the others', () => {
    // d and b wait for c; the others may run: targets first, then by name.
    const graph = graphOf({
      'z.target': { Wants: ['d.service', 'c.service', 'b.service', 'a.service', 'y.target'] },
      'd.service': { After: ['c.service'] },
      'b.service': { After: ['c.service'] },
      'a.service': {},
      'c.service': {},
      'y.target': {},
    });
    const installed = new InstalledJobs();
    const r = activate(graph, installed, { unit: 'z.target', type: 'start', mode: 'replace' });
    if (r.ok) applyPlan(graph, installed, r.value);
    const first = dispatch(graph, installed);
    expect(first.map((j) => j.unit)).toEqual(['y.target', 'z.target', 'a.service', 'c.service']);
    expect(first.every((j) => j.state === 'running')).toBe(true);
    expect(installed.forUnit('b.service')?.state).toBe('waiting');
    finishJob(graph, installed, installed.forUnit('c.service')!.id, 'done');
    expect(dispatch(graph, installed).map((j) => j.unit)).toEqual(['b.service', 'd.service']);
  });

  test('a job queued twice runs once; one removed while queued, or whose unit has a new job, never runs', () => {
    const graph = graphOf({ [A]: {}, [B]: {}, [C]: {} });
    const installed = new InstalledJobs();
    const job = (id: number, unit: string) => ({ id, unit, type: 'start' as const, state: 'waiting' as const, irreversible: false, ignoreOrder: false });
    const [a, b, c, c2] = [job(1, A), job(2, B), job(3, C), job(4, C)];
    for (const j of [a, b, c]) installed.add(j);
    for (const j of [a, b, a, c]) installed.enqueue(j);
    installed.remove(b);
    installed.remove(c);
    installed.add(c2);
    installed.enqueue(c2);
    expect(dispatch(graph, installed)).toEqual([a, c2]);
    expect(dispatch(graph, installed)).toEqual([]);
  });

  test('queued jobs follow a rebuilt graph, and a unit no graph numbers is queued once', () => {
    const installed = new InstalledJobs();
    const job = (id: number, unit: string) => ({ id, unit, type: 'start' as const, state: 'waiting' as const, irreversible: false, ignoreOrder: false });
    const [a, x] = [job(1, A), job(2, 'x.service')];
    installed.add(a);
    installed.add(x);
    const first = graphOf({ [A]: {} });
    installed.byNumberIn(first);
    for (const j of [a, x, x, a]) installed.enqueue(j);
    // A graph numbering the units differently, where a waits for b's job.
    const rebuilt = graphOf({ [B]: {}, [A]: { After: [B] } });
    const b = job(3, B);
    installed.add(b);
    installed.enqueue(b);
    expect(dispatch(rebuilt, installed).map((j) => j.unit)).toEqual([B, 'x.service']);
    expect(a.state).toBe('waiting');
  });

  test('a rebuilt graph is followed: ordering comes from the graph the run queue is given', () => {
    // The same installed jobs, first under a graph where a waits for b, then under one where it waits for c
    // (which has no job) and the units are numbered differently.
    const ordered = graphOf({ [A]: { After: [B] }, [B]: {} });
    const installed = new InstalledJobs();
    installed.add({ id: 1, unit: B, type: 'start', state: 'running', irreversible: false, ignoreOrder: false });
    const job = { id: 2, unit: A, type: 'start' as const, state: 'waiting' as const, irreversible: false, ignoreOrder: false };
    installed.add(job);
    expect(isRunnable(ordered, installed, job)).toBe(false);
    expect(isRunnable(graphOf({ [B]: {}, [C]: {}, [A]: { After: [C] } }), installed, job)).toBe(true);
    expect(isRunnable(ordered, installed, job)).toBe(false);
    installed.remove(installed.forUnit(B)!);
    expect(isRunnable(ordered, installed, job)).toBe(true);
  });

  test('a job ignoring order runs at once', () => {
    const graph = graphOf({ [A]: { After: [B] }, [B]: {} });
    const installed = new InstalledJobs();
    installed.add({ id: 1, unit: B, type: 'start', state: 'running', irreversible: false, ignoreOrder: false });
    const job = { id: 2, unit: A, type: 'start' as const, state: 'waiting' as const, irreversible: false, ignoreOrder: false };
    installed.add(job);
    expect(isRunnable(graph, installed, job)).toBe(false);
    expect(isRunnable(graph, installed, { ...job, ignoreOrder: true })).toBe(true);
  });
});

describe('messages', () => {
  const svc: MessageSubject = { unit: A, type: 'service', desc: 'a.service - Alpha' };
  test.each([
    [svc, 'start', 'done', 'Started a.service - Alpha.'],
    [{ ...svc, oneshot: true }, 'start', 'done', 'Finished a.service - Alpha.'],
    [{ unit: 't.target', type: 'target', desc: 't.target' }, 'start', 'done', 'Reached target t.target.'],
    [{ unit: 't.target', type: 'target', desc: 't.target' }, 'stop', 'done', 'Stopped target t.target.'],
    [svc, 'start', 'failed', 'Failed to start a.service - Alpha.'],
    [svc, 'start', 'dependency', 'Dependency failed for a.service - Alpha.'],
    [svc, 'start', 'timeout', 'Timed out starting a.service - Alpha.'],
    [svc, 'start', 'assert', 'Assertion failed for a.service - Alpha.'],
    [svc, 'stop', 'done', 'Stopped a.service - Alpha.'],
    [svc, 'stop', 'timeout', 'Timed out stopping a.service - Alpha.'],
    [svc, 'restart', 'done', 'Stopped a.service - Alpha.'],
    [svc, 'reload', 'done', 'Reloaded a.service - Alpha.'],
    [svc, 'reload', 'failed', 'Reload failed for a.service - Alpha.'],
    [svc, 'verify-active', 'skipped', 'a.service - Alpha is inactive.'],
    [svc, 'start', 'canceled', undefined],
    [svc, 'nop', 'done', undefined],
  ] as const)('%o %s %s', (subject, type, result, message) => {
    expect(jobDoneMessage(subject, type, result)?.message).toBe(message);
  });

  test('a start skipped by a condition prints no done line; start lines', () => {
    expect(jobDoneMessage(svc, 'start', 'done', { conditionFailed: true })).toBeUndefined();
    expect([jobStartMessage(svc, 'start'), jobStartMessage(svc, 'stop'), jobStartMessage(svc, 'reload')]).toEqual([
      'Starting a.service - Alpha...',
      'Stopping a.service - Alpha...',
      'Reloading a.service - Alpha...',
    ]);
    expect(jobStartMessage({ unit: 't.target', type: 'target', desc: 't.target' }, 'start')).toBeUndefined();
  });

  test('a description is printed as written, "$" sequences included', () => {
    const odd: MessageSubject = { unit: A, type: 'service', desc: "a.service - costs $& and $' more" };
    expect(jobDoneMessage(odd, 'start', 'done')?.message).toBe("Started a.service - costs $& and $' more.");
    expect(jobStartMessage(odd, 'stop')).toBe("Stopping a.service - costs $& and $' more...");
  });
});
