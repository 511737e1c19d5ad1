// The daemon's own heap: at rest it holds its live objects, not what its last burst of work (boot, a
// reload, a wave of restarts) left behind. Node has no API for any part below; all are V8 flags (and one
// malloc setting) set at run time for the daemon's process only (the in-process API runs inside someone
// else's program and keeps their settings). Measured in the README (M1, M4, M5).
import { setFlagsFromString } from 'node:v8';
import { loadNative } from '../process/native.js';

/**
 * The young generation stays at its initial size (two 1 MiB semi-spaces). V8 doubles it, up to 16 MiB
 * each, whenever a burst promotes much (loading 500 units does), and a daemon at rest never gives it
 * back: 30 MiB of RSS at 500 services. Called first when the daemon starts (its code is one module, loaded
 * by then): loading the units is the first burst.
 *
 * V8's memory reducer stays unarmed (dist/bin.cjs sees to it before the daemon's code loads); the daemon's
 * own idle collection below does its work. Incremental marking is off too: for a heap of a few MiB one
 * whole collection costs less CPU than marking in steps.
 */
export function tuneDaemonHeap(): void {
  setFlagsFromString('--semi-space-growth-factor=1 --no-incremental-marking');
  // And malloc's: a long-lived large buffer takes no pages until it is written (heap-release.inc.c).
  loadNative().mapLargeBlocks();
}

let optimizingDeferred = false;
/** Services' output logged while optimizing waits. */
let outputBytes = 0;

/**
 * V8's optimizing compiler (TurboFan) waits until the start is over: the first idle collection below, or
 * ten delays of work without a pause, or 16 MiB of services' output (a flood from the start on otherwise
 * ran in baseline code for five seconds). Loading the units makes the parser hot, starting them makes the
 * spawn path hot, but all that runs once: optimizing it costs a compiler thread's CPU while the start runs
 * and, for good, about 4 MiB of RSS (the pages of the compiler's own code that it runs, and the code it
 * makes). Sparkplug, the baseline compiler, waits until the units are loaded (unitsLoaded()).
 */
export function deferOptimizingCompiler(): void {
  setFlagsFromString('--no-turbofan --no-sparkplug');
  optimizingDeferred = true;
  outputBytes = 0;
}

/**
 * Sparkplug compiles from here on. What loading ran often (the unit files' parser, once per line) then has
 * no baseline code, and the collection at rest drops its bytecode; what the start runs often after it (the
 * service machine, the jobs, the event log) gets baseline code, which the collection keeps with its
 * bytecode: the stop runs it again for every unit. Compiled again from its source, it cost the stop of 100
 * services about 20 ms (about 470 functions).
 */
export function unitsLoaded(): void {
  setFlagsFromString('--sparkplug');
}

const BUSY_CHECKS_BEFORE_OPTIMIZING = 10;
/** Services' output after which the optimizing compiler starts, start or not: a flood runs the same path on and on. */
const OUTPUT_BYTES_BEFORE_OPTIMIZING = 16 * 1024 * 1024;

/** `bytes` of services' output were logged (see deferOptimizingCompiler). */
export function outputLogged(bytes: number): void {
  if (!optimizingDeferred) return;
  outputBytes += bytes;
  if (outputBytes >= OUTPUT_BYTES_BEFORE_OPTIMIZING) optimizeFromNowOn();
}

/** What runs after the start (restarts, output, stops) is worth optimizing. */
function optimizeFromNowOn(): void {
  if (!optimizingDeferred) return;
  optimizingDeferred = false;
  setFlagsFromString('--turbofan');
}

/**
 * From the shutdown on, code is no longer optimized (nor is it later, when a deferral above ends): stopping
 * runs each unit's stop path once and the process then exits, so an optimizing compile (on V8's background
 * threads, which share the cores with the services' exits) never pays for itself. Measured in the README (M5).
 */
export function stopOptimizing(): void {
  optimizingDeferred = false;
  setFlagsFromString('--no-turbofan');
}

export interface IdleCollector {
  /** Work happened: collect once it has been quiet for the delay. */
  busy(): void;
  /**
   * `bytes` of services' output left buffers outside the heap (text encoded for a log; lines framed
   * natively into reused memory leave none). The heap itself hardly grows meanwhile, so V8 leaves them to
   * its external-memory limit, 64 MiB later: a full collection of the small heap every READ_COLLECT_BYTES
   * costs less.
   */
  read(bytes: number): void;
  stop(): void;
}

/**
 * One full collection: V8's %CollectGarbage, what --expose-gc's `gc()` calls (which it gives only to a
 * context made after it: node:vm's, 300 KiB of RSS). Natives syntax stays allowed, since a function whose
 * bytecode was flushed is compiled again from its source; valid JavaScript parses as before.
 */
function fullCollection(): () => void {
  setFlagsFromString('--allow-natives-syntax');
  return new Function('%CollectGarbage(null)') as () => void;
}

/**
 * The collection at rest: V8's LowMemoryNotification() (through the addon, heap-release.inc.c), full,
 * compacting collections (two, more while weak callbacks free more) that also give back what a collection
 * alone keeps: the young generation's second semi-space (1 MiB) and the pages V8 pools for reuse. Where
 * node does not export it, one full collection.
 */
function restCollection(full: () => void): () => void {
  const native = loadNative();
  return () => {
    if (!native.lowMemoryNotification()) full();
  };
}

/** Monotonic milliseconds, without the `performance` global: its first use loads perf_hooks (200 KiB of RSS). */
const uptimeMs = (): number => process.uptime() * 1000;

/** Output read between two collections during a flood. */
const READ_COLLECT_BYTES = 16 * 1024 * 1024;

/**
 * Once a burst of work is over and nothing happened for `quietMs` (to twice that), the collection at rest
 * above gives the burst's garbage back to the system: what V8's memory reducer does for an idle
 * browser tab, and never starts on its own in a daemon whose idle loop allocates nothing. Collections are
 * at least `spacingMs` apart, so that a service restarting every second does not cost one each time.
 * Nothing is armed while idle.
 */
export function collectWhenIdle(quietMs: number, spacingMs: number): IdleCollector {
  const gc = fullCollection();
  const collectAtRest = restCollection(gc);
  let read = 0;
  let timer: NodeJS.Timeout | undefined;
  // Set by work while the timer runs; looked at when it fires, so that an event costs no timer call (the
  // log of a service printing fast is an event per line).
  let stirred = false;
  let lastCollection = -Infinity;
  // Checks that found work going on (see deferOptimizingCompiler).
  let busyChecks = 0;
  const check = () => {
    if (stirred) {
      // A service printing without pause keeps the daemon busy for good: optimize after a while anyway.
      if (++busyChecks === BUSY_CHECKS_BEFORE_OPTIMIZING) optimizeFromNowOn();
      stirred = false;
      timer?.refresh();
      return;
    }
    const early = lastCollection + spacingMs - uptimeMs();
    if (early > 0) {
      timer = setTimeout(check, Math.max(early, quietMs)).unref();
      return;
    }
    timer = undefined;
    // Compacting moves the survivors together, so that the pages they leave empty go back to the system.
    // The bytecode of every function not running and without baseline code goes too (V8 drops it only after
    // five collections without a call, and a daemon at rest makes none): what the start ran once (loading
    // modules and units) is 300 KiB of bytecode; what runs again is compiled again from its source, once.
    // What has baseline code keeps it (see unitsLoaded()).
    setFlagsFromString('--compact-on-every-full-gc --stress-flush-code');
    collectAtRest();
    setFlagsFromString('--no-compact-on-every-full-gc --no-stress-flush-code');
    lastCollection = uptimeMs();
    optimizeFromNowOn();
  };
  return {
    busy() {
      if (timer !== undefined) stirred = true;
      else timer = setTimeout(check, quietMs).unref();
    },
    read(bytes) {
      read += bytes;
      if (read < READ_COLLECT_BYTES) return;
      read = 0;
      gc();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      stirred = false;
    },
  };
}
