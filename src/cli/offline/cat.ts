// `cat` without a daemon: each unit's fragment and drop-ins under "# path" headers, as `systemctl cat` prints them (systemctl(1)).
import { resolveUnitPath } from '../../unit/search-path.js';
import { findDropIns, findUnitFile } from '../../unit/unit-directory.js';
import type { OfflineResult } from './result.js';

export interface CatArgs {
  readonly unitPath: readonly string[];
  readonly names: readonly string[];
}

/** A blank line separates units and precedes each drop-in header; file texts are copied verbatim, as systemctl copies the bytes. */
export function runCat(args: CatArgs): OfflineResult {
  const unitPath = resolveUnitPath({ unitPath: args.unitPath, env: process.env });
  const blocks: string[] = [];
  const errors: string[] = [];
  for (const name of args.names) {
    const fragment = findUnitFile(name, unitPath);
    if (fragment === undefined) {
      errors.push(`No files found for ${name}.`);
      continue;
    }
    let block = `# ${fragment.path}\n${fragment.text}`;
    for (const dropIn of findDropIns(name, unitPath)) block += `\n# ${dropIn.path}\n${dropIn.text}`;
    blocks.push(block);
  }
  return { stdout: blocks.join('\n'), stderr: errors.map((e) => `${e}\n`).join(''), exitCode: errors.length > 0 ? 1 : 0 };
}
