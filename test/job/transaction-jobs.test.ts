// A transaction's jobs per unit: newest first, units in the order they joined, by number or, unnumbered, by name.
import { describe, test, expect } from 'vitest';
import { UnitJobs } from '../../src/job/transaction-jobs.js';
import type { TrJob } from '../../src/job/transaction-builder.js';
import type { TransactionJobType } from '../../src/job/job-type.js';

let nextId = 1;
const job = (unit: string, number: number, type: TransactionJobType = 'start'): TrJob => ({
  id: nextId++,
  unit,
  number,
  type,
  matters: false,
  ignoreOrder: false,
  irreversible: false,
  index: nextId - 1,
  parents: 0,
  deleted: false,
  inTransaction: true,
  mark: undefined,
});

const units = (jobs: UnitJobs): [string, TrJob[]][] => {
  const out: [string, TrJob[]][] = [];
  jobs.forEach((list, unit) => out.push([unit, [...list]]));
  return out;
};

describe('UnitJobs', () => {
  test('a unit lists its newest job first; units come in the order they joined', () => {
    const jobs = new UnitJobs();
    const [a1, b, a2] = [job('a.service', 3), job('b.service', 1), job('a.service', 3, 'stop')];
    [a1, b, a2].forEach((j) => jobs.add(j));
    expect(units(jobs)).toEqual([['a.service', [a2, a1]], ['b.service', [b]]]);
    expect(jobs.of('a.service', 3)).toEqual([a2, a1]);
  });

  test('a unit whose jobs are all removed leaves, and joins again at the end', () => {
    const jobs = new UnitJobs();
    const [a, b] = [job('a.service', 0), job('b.service', 1)];
    jobs.add(a);
    jobs.add(b);
    jobs.remove(a);
    jobs.remove(a); // removing twice changes nothing
    expect(jobs.of('a.service', 0)).toBeUndefined();
    expect(units(jobs)).toEqual([['b.service', [b]]]);
    const again = job('a.service', 0, 'stop');
    jobs.add(again);
    expect(units(jobs)).toEqual([['b.service', [b]], ['a.service', [again]]]);
  });

  test('keepOnly leaves one job in the unit\'s place', () => {
    const jobs = new UnitJobs();
    const [a1, b, a2] = [job('a.service', 0), job('b.service', 1), job('a.service', 0, 'stop')];
    [a1, b, a2].forEach((j) => jobs.add(j));
    jobs.keepOnly(a1);
    expect(units(jobs)).toEqual([['a.service', [a1]], ['b.service', [b]]]);
  });

  test('a unit the graph does not number is found by name', () => {
    const jobs = new UnitJobs();
    const gone = job('gone.service', -1, 'stop');
    jobs.add(gone);
    expect(jobs.of('gone.service', -1)).toEqual([gone]);
    expect(jobs.of('other.service', -1)).toBeUndefined();
    jobs.remove(gone);
    expect(units(jobs)).toEqual([]);
  });
});
