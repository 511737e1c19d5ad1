// Job types: the merge table, collapse and redundancy per class of unit state, and test-job-type.c's
// algebraic properties (transitivity, merged jobs merge like their parts, associativity) per class.
// Every expectation is written out here; nothing is derived from the module under test.
import { describe, expect, test } from 'vitest';
import { ACTIVE_STATES, type ActiveState } from '../../src/unit/active-state.js';
import {
  collapse,
  isConflicting,
  isMergeable,
  isRedundant,
  isSuperset,
  lookupMerge,
  mergeAndCollapse,
  type JobType,
  type MergingJobType,
  type TransactionJobType,
} from '../../src/job/job-type.js';

const MERGING: readonly MergingJobType[] = ['start', 'verify-active', 'stop', 'reload', 'restart'];

/** unit.h's classes as the collapse rules see them. */
const CLASSES = {
  'up (active, reloading)': ['active', 'reloading'],
  'activating': ['activating'],
  'down (inactive, failed, deactivating)': ['inactive', 'failed', 'deactivating'],
} as const satisfies Record<string, readonly ActiveState[]>;
type ClassName = keyof typeof CLASSES;

/** job_merging_table, both halves: row merged with column; '-' is a conflict. */
const MERGE: Record<MergingJobType, Record<MergingJobType, JobType | '-'>> = {
  start: { start: 'start', 'verify-active': 'start', stop: '-', reload: 'reload-or-start', restart: 'restart' },
  'verify-active': { start: 'start', 'verify-active': 'verify-active', stop: '-', reload: 'reload', restart: 'restart' },
  stop: { start: '-', 'verify-active': '-', stop: 'stop', reload: '-', restart: '-' },
  reload: { start: 'reload-or-start', 'verify-active': 'reload', stop: '-', reload: 'reload', restart: 'restart' },
  restart: { start: 'restart', 'verify-active': 'restart', stop: '-', reload: 'restart', restart: 'restart' },
};

/** job_type_collapse for the three conditional types, per class. */
const COLLAPSE: Record<ClassName, Record<'try-restart' | 'try-reload' | 'reload-or-start', TransactionJobType>> = {
  'up (active, reloading)': { 'try-restart': 'restart', 'try-reload': 'reload', 'reload-or-start': 'reload' },
  activating: { 'try-restart': 'restart', 'try-reload': 'nop', 'reload-or-start': 'start' },
  'down (inactive, failed, deactivating)': { 'try-restart': 'nop', 'try-reload': 'nop', 'reload-or-start': 'start' },
};

/** job_type_is_redundant: the states in which each type has nothing left to do. */
const REDUNDANT_IN: Record<TransactionJobType, readonly ActiveState[]> = {
  start: ['active', 'reloading'],
  'verify-active': ['active', 'reloading'],
  stop: ['inactive', 'failed'],
  reload: ['reloading'],
  restart: [],
  nop: ['active', 'reloading', 'inactive', 'failed', 'activating', 'deactivating'],
};

const pairs = MERGING.flatMap((a) => MERGING.map((b) => [a, b] as const));

test('the classes partition the unit states', () => {
  expect(Object.values(CLASSES).flat().sort()).toEqual([...ACTIVE_STATES].sort());
});

test('merge table (job_merging_table), both orders, with conflicts and supersets', () => {
  const table = (f: (a: MergingJobType, b: MergingJobType) => unknown) =>
    Object.fromEntries(MERGING.map((a) => [a, Object.fromEntries(MERGING.map((b) => [b, f(a, b)]))]));
  expect(table((a, b) => lookupMerge(a, b) ?? '-')).toEqual(MERGE);
  expect(table((a, b) => isConflicting(a, b))).toEqual(table((a, b) => MERGE[a][b] === '-'));
  expect(table((a, b) => isMergeable(a, b))).toEqual(table((a, b) => MERGE[a][b] !== '-'));
  expect(table((a, b) => isSuperset(a, b))).toEqual(table((a, b) => MERGE[a][b] === a));
});

describe.each(Object.keys(CLASSES) as ClassName[])('a unit that is %s', (name) => {
  const states: readonly ActiveState[] = CLASSES[name];

  test('conditional types collapse by the class; the others stay what they are', () => {
    for (const state of states) {
      for (const [t, out] of Object.entries(COLLAPSE[name])) expect(collapse(t as JobType, state), `${t} on ${state}`).toBe(out);
      for (const t of [...MERGING, 'nop'] as const) expect(collapse(t, state), `${t} on ${state}`).toBe(t);
    }
  });

  test('merging two jobs gives the table entry, collapsed by the class', () => {
    for (const state of states) {
      for (const [a, b] of pairs) {
        const cell = MERGE[a][b];
        const expected = cell === '-' ? null : cell === 'reload-or-start' ? COLLAPSE[name]['reload-or-start'] : cell;
        expect(mergeAndCollapse(a, b, state), `${a} + ${b} on ${state}`).toBe(expected);
      }
    }
  });

  // test-job-type.c, for each state of the class.
  test('transitivity, merged jobs merge like their parts, associativity', () => {
    for (const state of states) {
      const merge = (a: MergingJobType, b: MergingJobType) => mergeAndCollapse(a, b, state);
      for (const [a, b] of pairs) {
        const ab = merge(a, b);
        if (ab === null) continue;
        for (const c of MERGING) {
          const where = `${a}, ${b}, ${c} on ${state}`;
          expect(!isMergeable(b, c) || isMergeable(a, c) || !isMergeable(a, b), where).toBe(true);
          expect(!isMergeable(a, c) || isMergeable(ab, c), where).toBe(true);
          expect(!isMergeable(b, c) || isMergeable(ab, c), where).toBe(true);
          expect(isMergeable(ab, c) || !isMergeable(a, c) || !isMergeable(b, c), where).toBe(true);
          const bc = merge(b, c);
          if (bc === null) continue;
          const abC = merge(ab, c);
          expect(abC, where).not.toBeNull();
          expect(merge(bc, a), where).toBe(abC);
          expect(merge(a, bc), where).toBe(abC);
        }
      }
    }
  });

  test('redundancy (job_type_is_redundant)', () => {
    for (const state of states) {
      for (const [t, redundantIn] of Object.entries(REDUNDANT_IN)) {
        expect(isRedundant(t as TransactionJobType, state), `${t} on ${state}`).toBe(redundantIn.includes(state));
      }
    }
  });
});
