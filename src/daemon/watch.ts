// `up --watch`: a changed, added or removed unit file or EnvironmentFile= triggers daemon-reload
// and restarts just the affected units (chokidar events, debounced: a write may fire before the file is whole);
// the files units run are watched by source-watch.ts.
import { watch, type FSWatcher } from 'chokidar';
import { basename, dirname, resolve } from 'node:path';
import type { Supervisor } from '../api/supervisor.js';
import { isValidUnitName } from '../unit/unit-name.js';
import { startSourceWatch } from './source-watch.js';

const DEBOUNCE_MS = 100;

export interface Watcher {
  close(): Promise<void>;
}

/**
 * What a unit directory holds that matters to the manager: unit files, `NAME.d/` drop-in folders and
 * their `.conf` files, `.wants/` and `.requires/` folders. Anything else (data a service writes next to
 * its unit file, node_modules) is never walked and triggers no reload.
 */
function isUnitPath(path: string): boolean {
  const name = basename(path);
  const parent = basename(dirname(path));
  if (/\.(d|wants|requires)$/.test(name) && isValidUnitName(name.replace(/\.(d|wants|requires)$/, ''))) return true;
  if (parent.endsWith('.d')) return name.endsWith('.conf');
  return isValidUnitName(name);
}

/** Resolves once the watcher is ready, so that a change made right after startup is not missed. */
export async function startWatching(sv: Supervisor, dir: string, say: (unit: string, msg: string) => void, onBug: (error: unknown) => void): Promise<Watcher> {
  const changedPaths = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const root = resolve(dir);
  const sources = await startSourceWatch(sv, root, say, onBug);
  let environmentFiles = new Set(sv.environmentFilePaths().map((p) => resolve(p)));
  const ignored = (path: string) => {
    const full = resolve(path);
    return full !== root && !environmentFiles.has(full) && !isUnitPath(full);
  };
  const watcher: FSWatcher = watch([root, ...environmentFiles], { ignoreInitial: true, awaitWriteFinish: false, depth: 2, ignored });

  const apply = async () => {
    const paths = [...changedPaths];
    changedPaths.clear();
    const report = await sv.reload();
    const envUsers = sv.unitsUsingEnvironmentFiles(paths);
    const affected = new Set([...report.changed, ...envUsers]);
    for (const unit of affected) {
      if (sv.activeState(unit) !== 'inactive') sv.enqueue('restart', unit);
    }
    for (const unit of report.added) sv.enqueue('start', unit);
    for (const unit of report.removed) sv.enqueue('stop', unit);
    // New EnvironmentFile= paths of changed units are watched from now on.
    environmentFiles = new Set(sv.environmentFilePaths().map((p) => resolve(p)));
    watcher.add([...environmentFiles]);
    sources.refresh();
  };

  const schedule = (path: string) => {
    changedPaths.add(resolve(path));
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(apply).catch(onBug);
    }, DEBOUNCE_MS);
  };
  watcher.on('add', schedule).on('change', schedule).on('unlink', schedule).on('error', onBug);
  await new Promise<void>((ready) => watcher.once('ready', () => ready()));
  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
      await running;
      await sources.close();
    },
  };
}
