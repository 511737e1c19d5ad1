// cat, verify and show --offline read unit files where the running daemon loads them (`up ./units`
// loads ./units), as systemctl cat asks the manager; with no daemon, the default search path.
import { call, ConnectError } from './client.js';
import type { Options } from './command.js';
import { socketOf } from './request.js';
import { UNIT_PATH_ENV } from '../unit/search-path.js';
import type { UnitPathsResult } from '../protocol/results.js';

/** --unit-path when given; else the daemon's unit path when one answers; else [] (the default search path). */
export async function unitPathOf(options: Options): Promise<readonly string[]> {
  if ((options.unitPath ?? []).length > 0) return options.unitPath ?? [];
  if (process.env[UNIT_PATH_ENV] !== undefined) return [];
  try {
    const reply = await call(socketOf(options), { verb: 'unit-paths' });
    return reply.ok ? (reply.result as UnitPathsResult).unitPath : [];
  } catch (error) {
    if (error instanceof ConnectError) return [];
    throw error;
  }
}
