// Memory the event log frames services' output into, reused once written: a flood otherwise allocates
// twice its size in buffers that only a full collection gives back, which is RSS and CPU the supervisor
// does not have to spend.

/** Framed output in reused memory: `data` is valid until `release()`, called once it was written. */
export interface ArenaSlice {
  readonly data: Buffer;
  release(): void;
}

interface Page {
  readonly buffer: Buffer;
  used: number;
  /** Slices handed out and not yet released. */
  live: number;
}

/** A page's size: a block's framed lines (a read of up to 256 KiB of short lines, about 550 KiB framed) twice over or more. */
export const PAGE_BYTES = 2 * 1024 * 1024;
/** Free pages kept for reuse: the event log holds about 1 MiB (its high-water mark) and a block before pipes wait. */
const FREE_PAGES = 2;

export class OutputArena {
  private current: Page = newPage();
  private readonly free: Page[] = [];

  /** `size` bytes for one write; a slice of a page, or memory of its own when larger than half a page. */
  take(size: number): ArenaSlice {
    if (size > PAGE_BYTES / 2) return { data: Buffer.allocUnsafe(size), release: () => undefined };
    if (this.current.used + size > PAGE_BYTES) {
      const full = this.current;
      this.current = this.free.pop() ?? newPage();
      if (full.live === 0) this.keep(full);
    }
    const page = this.current;
    const data = page.buffer.subarray(page.used, page.used + size);
    page.used += size;
    page.live++;
    return {
      data,
      release: () => {
        if (--page.live > 0) return;
        // A page with nothing in flight is filled again from its start.
        if (page === this.current) page.used = 0;
        else this.keep(page);
      },
    };
  }

  private keep(page: Page): void {
    page.used = 0;
    if (this.free.length < FREE_PAGES) this.free.push(page);
  }
}

const newPage = (): Page => ({ buffer: Buffer.allocUnsafeSlow(PAGE_BYTES), used: 0, live: 0 });
