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
  /** Every pipe being read, and when it ends. */
  private readonly live = new Map<PausableStream, Promise<void>>();
  private readonly paused = new Set<PausableStream>();
  /** Pipes read regardless of pressure: their process exited, so what is left in them is bounded. */
  private readonly unthrottled = new Set<PausableStream>();

  /** A sink that reports its pressure. */
  sink(): Pressure {
    const me = Symbol('sink');
    return (full) => {
      if (full) this.full.add(me);
      else if (this.full.delete(me) && this.full.size === 0) this.resumeAll();
    };
  }

  /** True while no sink is above its mark. */
  get open(): boolean {
    return this.full.size === 0;
  }

  /** A pipe being read until `done`. */
  attach(stream: PausableStream, done: Promise<void>): void {
    this.live.set(stream, done);
    void done.then(() => {
      this.live.delete(stream);
      this.paused.delete(stream);
      this.unthrottled.delete(stream);
    });
  }

  /** Called after each chunk read from `stream`: stops reading it while a sink is full. */
  chunkRead(stream: PausableStream): void {
    if (this.full.size === 0 || this.unthrottled.has(stream)) return;
    this.paused.add(stream);
    stream.pause();
  }

  /** Reads `stream` regardless of pressure (its writer exited: at most a pipe's worth is left), or no longer. */
  unthrottle(stream: PausableStream, on: boolean): void {
    if (!on) {
      this.unthrottled.delete(stream);
      if (!this.open && this.live.has(stream)) this.chunkRead(stream);
      return;
    }
    if (!this.live.has(stream)) return;
    this.unthrottled.add(stream);
    if (this.paused.delete(stream)) stream.resume();
  }

  /**
   * At shutdown, once every process was killed: reads every pipe out to its end regardless of pressure,
   * so that no line is lost; waits at most `limitMs` for a pipe some stranger still holds open.
   */
  async readOut(limitMs: number): Promise<void> {
    const ends = [...this.live.keys()].map((stream) => (this.unthrottle(stream, true), this.live.get(stream)));
    if (ends.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(ends), new Promise<void>((done) => (timer = setTimeout(done, limitMs)))]);
    clearTimeout(timer);
  }

  private resumeAll(): void {
    const streams = [...this.paused];
    this.paused.clear();
    for (const stream of streams) stream.resume();
  }
}
