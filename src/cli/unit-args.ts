// Unit names from the command line as systemctl's expand_unit_names() makes them: each mangled
// ("a" → a.service, "/dev/sda" → dev-sda.device), globs expanded over the loaded units.
import type { Io, Options } from './command.js';
import { request } from './request.js';
import { EXIT_FAILURE } from '../protocol/exit-codes.js';
import type { ListUnitsResult } from '../protocol/results.js';
import { JOB_VERBS } from '../protocol/protocol.js';
import { mangleUnitName } from '../unit/unit-name-mangle.js';

const isGlob = (s: string): boolean => /[*?[]/.test(s);

/** The names a verb acts on, or the exit code when one cannot be a unit name. */
export async function expandUnitNames(verb: string, args: readonly string[], options: Options, io: Io, glob: boolean): Promise<{ ok: true; names: string[] } | { ok: false; code: number }> {
  const names: string[] = [];
  const globs: string[] = [];
  for (const arg of args) {
    const mangled = mangleUnitName(arg, glob);
    if (!mangled.ok) {
      io.err('Failed to mangle name: Invalid argument');
      if (glob) io.err('Failed to expand names: Invalid argument');
      return { ok: false, code: EXIT_FAILURE };
    }
    if (mangled.warning !== undefined && options.quiet !== true) io.err(mangled.warning);
    (glob && isGlob(mangled.name) ? globs : names).push(mangled.name);
  }
  if (globs.length === 0) return { ok: true, names };
  if ((JOB_VERBS as readonly string[]).includes(verb) && options.quiet !== true) {
    io.err(`Warning: unitvisor ${verb} called with a glob pattern.`);
    io.err(`Hint: unit globs expand to loaded units, so ${verb} will usually have no effect.`);
  }
  const loaded = await request<ListUnitsResult>(options, { verb: 'list-units', all: true, failed: false, patterns: globs }, io);
  if (!loaded.ok) return { ok: false, code: loaded.exitCode };
  return { ok: true, names: [...names, ...loaded.result.units.map((u) => u.id)] };
}
