// is-active / is-failed: one state per line; exit 0 when any unit is in the asked state.
import type { Io, Options } from '../command.js';
import { request } from '../request.js';
import { EXIT_FAILURE, EXIT_PROGRAM_NOT_RUNNING, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { StatesResult } from '../../protocol/results.js';

export async function isState(verb: 'is-active' | 'is-failed', units: string[], options: Options, io: Io): Promise<number> {
  const res = await request<StatesResult>(options, { verb, units }, io);
  if (!res.ok) return res.exitCode;
  const good = verb === 'is-active' ? ['active', 'reloading'] : ['failed'];
  let found = false;
  for (const { activeState } of res.result.states) {
    if (!options.quiet) io.out(activeState);
    if (good.includes(activeState)) found = true;
  }
  return found ? EXIT_SUCCESS : verb === 'is-active' ? EXIT_PROGRAM_NOT_RUNNING : EXIT_FAILURE;
}
