// The merge table of job types, collapse and redundancy, with test-job-type.c's properties over all triples.
import { describe, test, expect } from 'vitest';
import { ACTIVE_STATES } from '../../src/unit/active-state.js';
import {
  collapse,
  isConflicting,
  isMergeable,
  isRedundant,
  isSuperset,
  lookupMerge,
  mergeAndCollapse,
  MERGING_JOB_TYPES,
  type MergingJobType,
} from '../../src/job/job-type.js';

const T = MERGING_JOB_TYPES;
const pairs = T.flatMap((a) => T.map((b) => [a, b] as const));
const triples = pairs.flatMap(([a, b]) => T.map((c) => [a, b, c] as const));

describe('merge table (job_merging_table)', () => {
  test.each([
    ['start', 'verify-active', 'start'],
    ['start', 'stop', null],
    ['verify-active', 'stop', null],
    ['start', 'reload', 'reload-or-start'],
    ['verify-active', 'reload', 'reload'],
    ['stop', 'reload', null],
    ['start', 'restart', 'restart'],
    ['verify-active', 'restart', 'restart'],
    ['stop', 'restart', null],
    ['reload', 'restart', 'restart'],
  ] as const)('%s + %s = %s', (a, b, merged) => {
    expect(lookupMerge(a, b)).toBe(merged);
    expect(lookupMerge(b, a)).toBe(merged);
  });

  test.each(T.map((t) => [t]))('%s merges with itself into itself', (t) => {
    expect(lookupMerge(t, t)).toBe(t);
    expect(isSuperset(t, t)).toBe(true);
  });

  test.each(pairs)('%s + %s is symmetric', (a, b) => {
    expect(lookupMerge(a, b)).toBe(lookupMerge(b, a));
    expect(isConflicting(a, b)).toBe(!isMergeable(a, b));
  });

  // test-job-type.c, for every unit state the collapse depends on.
  describe.each(ACTIVE_STATES.map((s) => [s]))('properties over all triples, unit %s', (state) => {
    const merge = (a: MergingJobType, b: MergingJobType) => mergeAndCollapse(a, b, state);
    test.each(triples)('%s, %s, %s', (a, b, c) => {
      const ab = merge(a, b);
      expect(ab !== null).toBe(isMergeable(a, b));
      if (ab === null) return;
      // Transitivity of mergeability.
      expect(!isMergeable(a, b) || !isMergeable(b, c) || isMergeable(a, c)).toBe(true);
      // A merged job merges with whatever its parts merged with.
      expect(!isMergeable(a, c) || isMergeable(ab, c)).toBe(true);
      expect(!isMergeable(b, c) || isMergeable(ab, c)).toBe(true);
      // If the merge conflicts with c, so does a part.
      expect(isMergeable(ab, c) || !isMergeable(a, c) || !isMergeable(b, c)).toBe(true);
      const bc = merge(b, c);
      if (bc === null) return;
      // Associativity.
      const abC = merge(ab, c);
      expect(abC).not.toBeNull();
      expect(merge(bc, a)).toBe(abC);
      expect(merge(a, bc)).toBe(abC);
    });
  });
});

describe('collapse (job_type_collapse)', () => {
  test.each([
    ['try-restart', 'active', 'restart'],
    ['try-restart', 'activating', 'restart'],
    ['try-restart', 'reloading', 'restart'],
    ['try-restart', 'inactive', 'nop'],
    ['try-restart', 'failed', 'nop'],
    ['try-restart', 'deactivating', 'nop'],
    ['try-reload', 'active', 'reload'],
    ['try-reload', 'reloading', 'reload'],
    ['try-reload', 'activating', 'nop'],
    ['try-reload', 'inactive', 'nop'],
    ['reload-or-start', 'active', 'reload'],
    ['reload-or-start', 'activating', 'start'],
    ['reload-or-start', 'inactive', 'start'],
    ['start', 'inactive', 'start'],
    ['stop', 'active', 'stop'],
  ] as const)('%s on a unit %s is %s', (t, state, out) => {
    expect(collapse(t, state)).toBe(out);
  });
});

describe('redundancy (job_type_is_redundant)', () => {
  const cases = [
    ['start', ['active', 'reloading']],
    ['verify-active', ['active', 'reloading']],
    ['stop', ['inactive', 'failed']],
    ['reload', ['reloading']],
    ['restart', []],
    ['nop', [...ACTIVE_STATES]],
  ] as const;
  test.each(cases.flatMap(([t, redundantIn]) => ACTIVE_STATES.map((s) => [t, s, (redundantIn as readonly string[]).includes(s)] as const)))(
    '%s when unit is %s: redundant=%s',
    (t, s, redundant) => {
      expect(isRedundant(t, s)).toBe(redundant);
    },
  );
});
