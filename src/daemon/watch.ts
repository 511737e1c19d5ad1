// `up --watch`: a changed, added or removed unit file or EnvironmentFile= triggers daemon-reload
// and restarts just the affected units (chokidar events, debounced: a write may fire before the file is whole).
import { watch, type FSWatcher } from 'chokidar';
import { resolve } from 'node:path';
import type { Supervisor } from '../api/supervisor.js';

const DEBOUNCE_MS = 100;

export interface Watcher {
  close(): Promise<void>;
}

export function startWatching(sv: Supervisor, dir: string, onBug: (error: unknown) => void): Watcher {
  const changedPaths = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const watcher: FSWatcher = watch([dir, ...sv.environmentFilePaths()], { ignoreInitial: true, awaitWriteFinish: false });

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
    watcher.add(sv.environmentFilePaths());
  };

  const schedule = (path: string) => {
    changedPaths.add(resolve(path));
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(apply).catch(onBug);
    }, DEBOUNCE_MS);
  };
  watcher.on('add', schedule).on('change', schedule).on('unlink', schedule).on('error', onBug);
  return {
    close: async () => {
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}
