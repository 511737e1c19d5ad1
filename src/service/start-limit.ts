// StartLimitIntervalSec=/StartLimitBurst= (systemd.unit(5)), as systemd's ratelimit_below() on the unit's start_ratelimit.
import type { Usec } from '../common/clock.js';

export interface StartLimitConfig {
  readonly intervalUsec: Usec;
  readonly burst: number;
}

/** RateLimit's begin/num; `begin` undefined means no window is open. */
export interface StartLimitState {
  readonly begin: Usec | undefined;
  readonly count: number;
}

export const initialStartLimit = (): StartLimitState => ({ begin: undefined, count: 0 });

/** ratelimit_reset(), as `reset-failed` does. */
export const resetStartLimit = initialStartLimit;

/**
 * ratelimit_below(): a window opens at the first start and lasts intervalUsec; up to `burst`
 * starts pass inside it. Interval 0 or burst 0 disables the limit. Every attempt is counted,
 * refused ones too, as systemd does.
 */
export function testStartLimit(
  config: StartLimitConfig,
  state: StartLimitState,
  now: Usec,
): { readonly allowed: boolean; readonly state: StartLimitState } {
  if (config.intervalUsec <= 0 || config.burst <= 0) return { allowed: true, state };
  if (state.begin === undefined || now - state.begin > config.intervalUsec) {
    return { allowed: true, state: { begin: now, count: 1 } };
  }
  const count = state.count + 1;
  return { allowed: count <= config.burst, state: { begin: state.begin, count } };
}
