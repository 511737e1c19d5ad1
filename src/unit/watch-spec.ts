// What `up --watch` watches for one service besides its unit file: the files its ExecStart= commands run
// (the executable given by path, and the files named as arguments: `node server.mjs`, `sh run.sh`)
// and its [X-Watch] Paths=/Ignore= globs, all made absolute against the unit's working directory.
import { isAbsolute, resolve } from 'node:path';
import type { ServiceSection } from './model.js';

export interface WatchSpec {
  readonly unit: string;
  /** Files the commands may run (every argument that could be a path); the watcher keeps those that exist inside the project. */
  readonly scripts: readonly string[];
  readonly include: readonly string[];
  readonly ignore: readonly string[];
}

/** A word that may name a file: not an option, no variable left to expand. */
const mayBeFile = (word: string): boolean => word !== '' && !word.startsWith('-') && !word.includes('$');

export function watchSpecOf(unit: string, service: ServiceSection, workingDirectory: string): WatchSpec {
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(workingDirectory, p));
  const scripts = service.execStart.flatMap((command) => {
    const executable = command.path.includes('/') ? [absolute(command.path)] : [];
    return [...executable, ...command.argv.slice(1).filter(mayBeFile).map(absolute)];
  });
  return { unit, scripts: [...new Set(scripts)], include: service.watchPaths.map(absolute), ignore: service.watchIgnore.map(absolute) };
}
