// When a timer elapses next (timer.c timer_enter_waiting()) and when it actually wakes within its
// AccuracySec= window (sd-event's sleep_between()): pure functions of the timer's values and clocks.
import type { TimerValue } from '../../unit/model.js';
import { nextElapse } from '../../unit/values/calendar-next.js';

const MINUTE = 60_000_000;

/** A point in time on both clocks, µs; 0 = never. */
export interface DualTimestamp {
  readonly realtime: number;
  readonly monotonic: number;
}

export interface ScheduleInput {
  readonly values: readonly TimerValue[];
  /** One-time values (OnActiveSec= and friends) that already fired. */
  readonly disabled: ReadonlySet<number>;
  readonly now: DualTimestamp;
  readonly lastTrigger: DualTimestamp;
  /** The timer is already active: OnActiveSec= counts from its activation, not from now. */
  readonly activatedAt: DualTimestamp | undefined;
  /** When the manager started: OnBootSec= and OnStartupSec= count from it, and a missed calendar run is due then. */
  readonly managerStart: DualTimestamp;
  /** The triggered unit's last inactive exit / enter, monotonic µs (0 = never). */
  readonly triggerInactiveExit: number;
  readonly triggerInactiveEnter: number;
}

export interface Schedule {
  /** Per value: its next elapse (monotonic µs for OnXxxSec=, realtime µs for OnCalendar=), or undefined. */
  readonly perValue: readonly (number | undefined)[];
  /** Values that fired once and never will again. */
  readonly nowDisabled: readonly number[];
  readonly nextMonotonic: number | undefined;
  readonly nextRealtime: number | undefined;
  /** OnUnitActiveSec=/OnUnitInactiveSec= keep the timer around after it elapsed. */
  readonly leaveAround: boolean;
}

/** The starting point of a monotonic value, or undefined when it has none yet. */
function monotonicBase(v: Extract<TimerValue, { usec: number }>, input: ScheduleInput): number | undefined {
  switch (v.base) {
    case 'OnActiveSec':
      return input.activatedAt?.monotonic ?? input.now.monotonic;
    // In a container systemd counts OnBootSec= from its own start too; unitvisor always does.
    case 'OnBootSec':
    case 'OnStartupSec':
      return input.managerStart.monotonic;
    case 'OnUnitActiveSec': {
      const base = Math.max(input.triggerInactiveExit, input.lastTrigger.monotonic);
      return base > 0 ? base : undefined;
    }
    case 'OnUnitInactiveSec': {
      const base = Math.max(input.triggerInactiveEnter, input.lastTrigger.monotonic);
      return base > 0 ? base : undefined;
    }
  }
}

/** timer_enter_waiting()'s loop over the values. */
export function computeSchedule(input: ScheduleInput): Schedule {
  const perValue: (number | undefined)[] = [];
  const nowDisabled: number[] = [];
  let nextMonotonic: number | undefined;
  let nextRealtime: number | undefined;
  let leaveAround = false;
  input.values.forEach((v, i) => {
    perValue.push(undefined);
    if (input.disabled.has(i)) return;
    if (v.base === 'OnCalendar') {
      // Relative to the last trigger if known, else to the timer's activation.
      const from = input.lastTrigger.realtime > 0 ? input.lastTrigger.realtime : (input.activatedAt?.realtime ?? input.now.realtime);
      let next = nextElapse(v.calendar, from);
      if (next === undefined) return;
      // A run missed while the manager was down is due when it started.
      next = Math.max(next, input.managerStart.realtime);
      perValue[i] = next;
      nextRealtime = Math.min(nextRealtime ?? next, next);
      return;
    }
    if (v.base === 'OnUnitActiveSec' || v.base === 'OnUnitInactiveSec') leaveAround = true;
    const base = monotonicBase(v, input);
    if (base === undefined) return;
    const next = base + v.usec;
    const oneTime = v.base === 'OnActiveSec' || v.base === 'OnBootSec' || v.base === 'OnStartupSec';
    const triggered = input.lastTrigger.realtime > 0 || input.lastTrigger.monotonic > 0;
    if (triggered && oneTime && next < input.now.monotonic) {
      nowDisabled.push(i);
      return;
    }
    perValue[i] = next;
    nextMonotonic = Math.min(nextMonotonic ?? next, next);
  });
  return { perValue, nowDisabled, nextMonotonic, nextRealtime, leaveAround };
}

/**
 * sleep_between(): the latest time in [a, b] on a boundary shared by every timer of the system
 * (each minute, else 10 s, 1 s, 250 ms, shifted by `perturb`), so that wake-ups coalesce.
 */
export function sleepBetween(a: number, b: number, perturb: number): number {
  if (b <= a + 1) return a;
  for (const step of [MINUTE, 10_000_000, 1_000_000, 250_000]) {
    let c = Math.floor(b / step) * step + (perturb % step);
    if (c >= b) {
      if (c < step) return b;
      c -= step;
    }
    if (c >= a) return c;
  }
  return b;
}

/** A stable 64-bit-ish hash of the text (FNV-1a), for FixedRandomDelay= and the per-host perturbation. */
export function stableHash(text: string): number {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return Number(h % 2n ** 52n);
}
