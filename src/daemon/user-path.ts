// `up` runs units with the user's PATH, as `npm run` runs scripts: the project's node_modules/.bin
// folders (DIR's, then each parent's) first, then the PATH `up` was started with (nvm, volta, ...).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_PATH } from '../service/environment.js';

export function userPath(dir: string, inherited: string | undefined): string {
  const bins: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    const bin = join(at, 'node_modules', '.bin');
    if (existsSync(bin)) bins.push(bin);
    if (dirname(at) === at) break;
  }
  return [...bins, inherited ?? DEFAULT_PATH].join(':');
}
