// Time as a port: pure layers take a Clock, so tests drive time with FakeClock.

/** Microseconds, as systemd counts time (usec_t). */
export type Usec = number;
export const USEC_PER_MSEC = 1_000;
export const USEC_PER_SEC = 1_000_000;
/** systemd's USEC_INFINITY ("infinity" in unit files). */
export const USEC_INFINITY: Usec = Number.POSITIVE_INFINITY;

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Monotonic time in microseconds. */
  now(): Usec;
  /** Wall-clock time in milliseconds since the epoch (for logs and "since" stamps). */
  wallNow(): number;
  /** Calls fn once after `afterUsec`; an infinite delay arms nothing. */
  setTimer(afterUsec: Usec, fn: () => void): TimerHandle;
}

const noTimer: TimerHandle = { cancel() {} };

/** setTimeout caps at 2^31-1 ms; longer delays are re-armed in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const realClock: Clock = {
  now: () => Number(process.hrtime.bigint() / 1000n),
  wallNow: () => Date.now(),
  setTimer(afterUsec, fn) {
    if (!Number.isFinite(afterUsec)) return noTimer;
    let handle: NodeJS.Timeout;
    const deadline = realClock.now() + afterUsec;
    const arm = () => {
      const remainingMs = Math.max(0, Math.ceil((deadline - realClock.now()) / 1000));
      handle = setTimeout(remainingMs > MAX_TIMEOUT_MS ? arm : fn, Math.min(remainingMs, MAX_TIMEOUT_MS));
    };
    arm();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** A clock that moves only when told to; timers fire in deadline order. */
export class FakeClock implements Clock {
  private current: Usec;
  private wallOffsetMs: number;
  private timers: { at: Usec; seq: number; fn: () => void; live: boolean }[] = [];
  private seq = 0;

  constructor(startUsec: Usec = 0, wallStartMs = 1_700_000_000_000) {
    this.current = startUsec;
    this.wallOffsetMs = wallStartMs - startUsec / 1000;
  }

  now(): Usec {
    return this.current;
  }

  wallNow(): number {
    return Math.floor(this.wallOffsetMs + this.current / 1000);
  }

  setTimer(afterUsec: Usec, fn: () => void): TimerHandle {
    if (!Number.isFinite(afterUsec)) return noTimer;
    const timer = { at: this.current + afterUsec, seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  /** Moves time forward, firing due timers in order (timers armed while firing included). */
  advance(usec: Usec): void {
    const target = this.current + usec;
    for (;;) {
      const due = this.timers
        .filter((t) => t.live && t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.current = Math.max(this.current, due.at);
      due.fn();
    }
    this.timers = this.timers.filter((t) => t.live);
    this.current = target;
  }

  pendingTimers(): number {
    return this.timers.filter((t) => t.live).length;
  }
}
