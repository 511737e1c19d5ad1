// ratelimit_below() as StartLimitIntervalSec=/StartLimitBurst= use it (systemd.unit(5)).
import { describe, expect, test } from 'vitest';
import { USEC_PER_SEC } from '../../src/common/clock.js';
import { initialStartLimit, testStartLimit, type StartLimitState } from '../../src/service/start-limit.js';

function run(config: { intervalUsec: number; burst: number }, times: number[]): boolean[] {
  let state: StartLimitState = initialStartLimit();
  return times.map((t) => {
    const r = testStartLimit(config, state, t * USEC_PER_SEC);
    state = r.state;
    return r.allowed;
  });
}

describe('start rate limit (ratelimit_below)', () => {
  test('burst 5 in 10s: the sixth start inside the window is refused', () => {
    expect(run({ intervalUsec: 10 * USEC_PER_SEC, burst: 5 }, [0, 1, 2, 3, 4, 5, 6])).toEqual([true, true, true, true, true, false, false]);
  });

  test('the window starts at the first start and reopens after the interval', () => {
    expect(run({ intervalUsec: 10 * USEC_PER_SEC, burst: 2 }, [0, 1, 2, 10, 10.5, 11])).toEqual([true, true, false, false, true, true]);
  });

  test.each([
    ['interval 0', { intervalUsec: 0, burst: 1 }],
    ['burst 0', { intervalUsec: 10 * USEC_PER_SEC, burst: 0 }],
  ])('%s disables the limit', (_n, config) => {
    expect(run(config, [0, 0, 0, 0, 0, 0, 0, 0])).toEqual(Array(8).fill(true));
  });
});
