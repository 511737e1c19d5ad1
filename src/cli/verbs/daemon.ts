// init and up: the daemon modes, loaded only when one of them runs.
import type { Options } from '../command.js';
import { socketOf } from '../request.js';
import { runDaemon } from '../../daemon/main.js';

export function daemon(mode: 'init' | 'up', dir: string | undefined, o: Options): Promise<number> {
  const tty = process.stdout.isTTY === true;
  const format = (o['logFormat'] as 'json' | 'text' | undefined) ?? (tty ? 'text' : 'json');
  return runDaemon({
    mode,
    ...(dir !== undefined ? { dir } : {}),
    unitPath: o.unitPath ?? [],
    target: String(o['target'] ?? 'default.target'),
    socket: socketOf(o),
    logFormat: format,
    colour: tty && format === 'text' && !process.env['NO_COLOR'],
    watch: o['watch'] === true,
    ...(typeof o['journalDir'] === 'string' ? { journalDir: o['journalDir'] } : {}),
    debug: o['debug'] === true,
  });
}
