// Where a bare command name (ExecStart=vite) is found: the exec helper looks it up in the service's
// $PATH as execvp() would; this tells the manager the same answer, so that `status` can say when a
// command came from the user's PATH (`up`) rather than from systemd's fixed one.
import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PATH } from '../service/environment.js';

const SYSTEMD_DIRS = new Set(DEFAULT_PATH.split(':'));

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable regular file named `name` in the directories of `path`, as the exec helper finds it. */
export function locateCommand(name: string, path: string): string | undefined {
  for (const dir of path.split(':')) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The file a bare command name runs when it was found through `userPath` in a directory systemd's fixed
 * PATH does not have (so the same unit would fail with 203/EXEC under systemd); undefined otherwise.
 */
export function foundOnUserPath(command: string, servicePath: string | undefined, userPath: string): string | undefined {
  if (command.includes('/') || servicePath !== userPath || userPath === DEFAULT_PATH) return undefined;
  const found = locateCommand(command, userPath);
  if (found === undefined) return undefined;
  return SYSTEMD_DIRS.has(found.slice(0, found.lastIndexOf('/'))) ? undefined : found;
}
