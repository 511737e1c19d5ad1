// `up --watch`, for the code units run: a change to a file an ExecStart= command runs (inside the project)
// or to a file matching the unit's [X-Watch] Paths= (and no Ignore=) restarts that unit, and with it the
// units PartOf= it (the restart job carries them, as systemctl restart does). A burst of writes is one
// restart (debounced); a failed unit is started again, as nodemon does after a crash.
import { watch, type FSWatcher } from 'chokidar';
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import type { Supervisor } from '../api/supervisor.js';
import { compileGlob, type Glob } from '../common/path-glob.js';

const DEBOUNCE_MS = 100;
/** Never walked, whatever the globs say (as nodemon and chokidar users expect). */
const ALWAYS_IGNORED = /(^|\/)(node_modules|\.git)(\/|$)/;

interface UnitWatch {
  readonly unit: string;
  readonly scripts: ReadonlySet<string>;
  readonly include: readonly Glob[];
  readonly ignore: readonly Glob[];
}

export interface SourceWatcher {
  /** Takes the units' current files and globs (after a reload). */
  refresh(): void;
  close(): Promise<void>;
}

const isFile = (path: string): boolean => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

function unitWatches(sv: Supervisor, root: string): UnitWatch[] {
  return sv.watchSpecs().map((spec) => ({
    unit: spec.unit,
    scripts: new Set(spec.scripts.filter((p) => p.startsWith(`${root}/`) && isFile(p))),
    include: spec.include.map(compileGlob),
    ignore: spec.ignore.map(compileGlob),
  }));
}

const watches = (w: UnitWatch, path: string): boolean =>
  w.scripts.has(path) || (w.include.some((g) => g.matches(path)) && !w.ignore.some((g) => g.matches(path)));

const targetsOf = (units: readonly UnitWatch[]): Set<string> => new Set(units.flatMap((w) => [...w.scripts, ...w.include.map((g) => g.base)]));

export async function startSourceWatch(sv: Supervisor, root: string, say: (unit: string, msg: string) => void, onBug: (error: unknown) => void): Promise<SourceWatcher> {
  let units = unitWatches(sv, root);
  let targets = targetsOf(units);
  const changed = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;

  const ignored = (path: string, stats?: { isDirectory(): boolean }): boolean => {
    if (ALWAYS_IGNORED.test(path)) return true;
    if (targets.has(path) || stats === undefined) return false;
    return stats.isDirectory() ? !units.some((w) => w.include.some((g) => g.mayContain(path))) : !units.some((w) => watches(w, path));
  };
  const watcher: FSWatcher = watch([...targets], { ignoreInitial: true, ignored });

  const apply = () => {
    for (const [unit, path] of changed) {
      const state = sv.activeState(unit);
      const what = `${unit}: ${relative(root, path)} changed`;
      if (state === 'failed') {
        say(unit, `${what}, starting it again.`);
        sv.resetFailed(unit);
        sv.enqueue('start', unit);
      } else if (state !== 'inactive' && state !== 'deactivating') {
        say(unit, `${what}, restarting.`);
        sv.enqueue('restart', unit);
      }
    }
    changed.clear();
  };
  const onChange = (path: string) => {
    for (const w of units) if (watches(w, path) && !changed.has(w.unit)) changed.set(w.unit, path);
    if (changed.size === 0) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        apply();
      } catch (error) {
        onBug(error);
      }
    }, DEBOUNCE_MS);
  };
  watcher.on('add', onChange).on('change', onChange).on('unlink', onChange).on('error', onBug);
  // chokidar says 'ready' only once it has something to watch.
  if (targets.size > 0) await new Promise<void>((ready) => watcher.once('ready', () => ready()));

  return {
    refresh() {
      units = unitWatches(sv, root);
      const next = targetsOf(units);
      watcher.unwatch([...targets].filter((t) => !next.has(t)));
      watcher.add([...next].filter((t) => !targets.has(t)));
      targets = next;
    },
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
