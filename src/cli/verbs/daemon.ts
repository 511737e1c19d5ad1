// init and up: the daemon modes, loaded only when one of them runs.
import type { Io, Options } from '../command.js';
import { parseHttpAddress } from '../../http/address.js';
import { EXIT_USAGE } from '../../protocol/exit-codes.js';
import { socketOf } from '../request.js';
import { logStyle } from '../../daemon/log-style.js';
import type { LogFormat } from '../../daemon/event-log.js';
import { runDaemon } from '../../daemon/main.js';

export async function daemon(mode: 'init' | 'up', dir: string | undefined, o: Options, io: Io): Promise<number> {
  const http = typeof o['http'] === 'string' ? parseHttpAddress(o['http']) : undefined;
  if (typeof o['http'] === 'string' && !http) {
    io.err(`Invalid HTTP address '${o['http']}': expected [HOST:]PORT.`);
    return EXIT_USAGE;
  }
  const style = logStyle(o['logFormat'] as LogFormat | undefined, process.stdout.isTTY === true, process.env);
  return runDaemon({
    mode,
    ...(dir !== undefined ? { dir } : {}),
    unitPath: o.unitPath ?? [],
    target: String(o['target'] ?? 'default.target'),
    socket: socketOf(o),
    logFormat: style.format,
    colour: style.colour,
    console: style.format === 'text' && process.stdout.isTTY === true,
    watch: o['watch'] === true,
    ...(typeof o['journalDir'] === 'string' ? { journalDir: o['journalDir'] } : {}),
    debug: o['debug'] === true,
    force: o['force'] === true,
    ...(http ? { http } : {}),
  });
}
