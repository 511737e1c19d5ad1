// Backpressure from where services' output goes (the event log on stdout, the journal file) to the pipes it
// comes from: while a sink is above its high-water mark, the pipes are not read, so a service's write()
// blocks on its full pipe, as under journald, instead of lines piling up in memory or being dropped.

/** A pipe being read (a PipeReader, or any Readable): paused while a sink is full. */
export interface PausableStream {
  pause(): unknown;
  resume(): unknown;
}

/** One sink's say: whether it holds more than it wants to (the pipes wait while any does). */
export type Pressure = (full: boolean) => void;

export class OutputFlow {
  private readonly full = new Set<symbol>();
  /** Sinks that hold the most they may: then even the pipes of exited processes wait. */
  private readonly capped = new Set<symbol>();
  /** Every pipe being read, and when it ends. */
  private readonly live = new Map<PausableStream, Promise<void>>();
  private readonly paused = new Set<PausableStream>();
  /** Pipes whose process exited: what is left in them is bounded, so they are read past the high-water mark. */
  private readonly unthrottled = new Set<PausableStream>();
  /** Pipes read out at shutdown, whatever the sinks hold. */
  private readonly forced = new Set<PausableStream>();

  /** A sink that reports its pressure. */
  sink(): Pressure {
    const me = Symbol('sink');
    return (full) => {
      if (full) this.full.add(me);
      else if (this.full.delete(me) && this.full.size === 0) this.resumeAll();
    };
  }

  /**
   * A sink that reports whether it holds the most it may (beyond it, it would drop lines): the pipes of exited
   * processes then wait too, at once, keeping the rest of their lines until it has room again.
   */
  limit(): Pressure {
    const me = Symbol('limit');
    return (capped) => {
      if (!capped) {
        if (this.capped.delete(me) && this.capped.size === 0) this.resumeAll();
      } else if (!this.capped.has(me)) {
        this.capped.add(me);
        this.pauseAll();
      }
    };
  }

  /**
   * A sink that holds bytes for a slower writer, told how many wait: past `highWater` the pipes wait (read on
   * below a quarter of it), past `most` those of exited processes too (until no more than half of it waits).
   */
  level(highWater: number, most: number): (waiting: number) => void {
    const pressure = this.sink();
    const limit = this.limit();
    let full = false;
    let capped = false;
    return (waiting) => {
      if (!full && waiting > highWater) pressure((full = true));
      else if (full && waiting < highWater / 4) pressure((full = false));
      if (!capped && waiting > most) limit((capped = true));
      else if (capped && waiting <= most / 2) limit((capped = false));
    };
  }

  /** True while no sink is above its mark. */
  private get open(): boolean {
    return this.full.size === 0 && this.capped.size === 0;
  }

  /** A pipe being read until `done`. */
  attach(stream: PausableStream, done: Promise<void>): void {
    this.live.set(stream, done);
    void done.then(() => {
      this.live.delete(stream);
      this.paused.delete(stream);
      this.unthrottled.delete(stream);
      this.forced.delete(stream);
    });
  }

  /** Called after each chunk read from `stream`: stops reading it while it may not be read. */
  chunkRead(stream: PausableStream): void {
    if (this.open || this.mayRead(stream)) return;
    this.paused.add(stream);
    stream.pause();
  }

  /** Reads `stream` past the high-water mark (its writer exited: at most a pipe's worth is left), or no longer. */
  unthrottle(stream: PausableStream, on: boolean): void {
    if (!this.live.has(stream)) return;
    if (on) this.unthrottled.add(stream);
    else this.unthrottled.delete(stream);
    if (!this.mayRead(stream)) this.chunkRead(stream);
    else if (this.paused.delete(stream)) stream.resume();
  }

  /**
   * At shutdown, once every process was killed: reads every pipe out to its end regardless of pressure,
   * so that no line is lost; waits at most `limitMs` for a pipe some stranger still holds open.
   */
  async readOut(limitMs: number): Promise<void> {
    const ends = [...this.live.keys()].map((stream) => {
      this.forced.add(stream);
      if (this.paused.delete(stream)) stream.resume();
      return this.live.get(stream);
    });
    if (ends.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(ends), new Promise<void>((done) => (timer = setTimeout(done, limitMs)))]);
    clearTimeout(timer);
  }

  /** Whether `stream` waits for a sink to have room. */
  holds(stream: PausableStream): boolean {
    return this.paused.has(stream);
  }

  private mayRead(stream: PausableStream): boolean {
    if (this.forced.has(stream)) return true;
    return this.capped.size === 0 && (this.full.size === 0 || this.unthrottled.has(stream));
  }

  /** A sink reached its most: every pipe still read stops now, not after its next chunk, which might not fit. */
  private pauseAll(): void {
    for (const stream of this.live.keys()) if (!this.paused.has(stream) && !this.mayRead(stream)) this.chunkRead(stream);
  }

  private resumeAll(): void {
    for (const stream of [...this.paused]) {
      if (!this.mayRead(stream)) continue;
      this.paused.delete(stream);
      stream.resume();
    }
  }
}
