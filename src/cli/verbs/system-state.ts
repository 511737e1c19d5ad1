// is-system-running: the manager's state and systemctl's exit code (0 only for `running`), usable as a
// Docker HEALTHCHECK; `offline` when no daemon answers, as systemctl says without a manager.
import type { Io, Options } from '../command.js';
import { ConnectError } from '../client.js';
import { request } from '../request.js';
import { EXIT_FAILURE, EXIT_SUCCESS } from '../../protocol/exit-codes.js';
import type { SystemStateResult } from '../../protocol/results.js';

export async function isSystemRunning(options: Options, io: Io): Promise<number> {
  let state: string;
  try {
    const res = await request<SystemStateResult>(options, { verb: 'is-system-running' }, io);
    if (!res.ok) return res.exitCode;
    state = res.result.state;
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    state = 'offline';
  }
  if (options.quiet !== true) io.out(state);
  return state === 'running' ? EXIT_SUCCESS : EXIT_FAILURE;
}
