// init and up: the daemon modes, loaded only when one of them runs.
import { readFileSync } from 'node:fs';
import type { Io, Options } from '../command.js';
import { parseHttpAddress } from '../../http/address.js';
import { EXIT_USAGE } from '../../protocol/exit-codes.js';
import { socketOf } from '../request.js';
import { logStyle } from '../../daemon/log-style.js';
import type { LogFormat } from '../../daemon/event-log.js';

export async function daemon(mode: 'init' | 'up', dir: string | undefined, o: Options, io: Io): Promise<number> {
  const http = typeof o['http'] === 'string' ? parseHttpAddress(o['http']) : undefined;
  if (typeof o['http'] === 'string' && !http) {
    io.err(`Invalid HTTP address '${o['http']}': expected [HOST:]PORT.`);
    return EXIT_USAGE;
  }
  const control = o['httpControl'] === true ? controlToken(o, io) : undefined;
  if (control === null) return EXIT_USAGE;
  if (control !== undefined && !http) {
    io.err('--http-control needs --http [HOST:]PORT.');
    return EXIT_USAGE;
  }
  const style = logStyle(o['logFormat'] as LogFormat | undefined, process.stdout.isTTY === true, process.env);
  const { runDaemon } = await import('../../daemon/main.js');
  const code = await runDaemon({
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
    ...(control !== undefined ? { httpControlToken: control } : {}),
  });
  // Everything is stopped, closed and written (the event log drained, the journal file closed). Left to end
  // by itself, Node would first free V8's heap, which takes longer than stopping a hundred services.
  const pending = [process.stdout, process.stderr].filter((stream) => stream.writableLength > 0 && !stream.destroyed);
  await Promise.all(pending.map((stream) => new Promise((done) => stream.once('error', done).write('', done))));
  process.exit(code);
}

/** The --http-control token: from --http-token-file, else $UNITVISOR_HTTP_TOKEN; null (after saying why) when there is none. */
function controlToken(o: Options, io: Io): string | null {
  const file = o['httpTokenFile'];
  let token = process.env['UNITVISOR_HTTP_TOKEN'];
  if (typeof file === 'string') {
    try {
      token = readFileSync(file, 'utf8');
    } catch (error) {
      io.err(`Failed to read the HTTP control token from ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
      return null;
    }
  }
  token = token?.trim();
  if (!token) {
    io.err('--http-control needs a token: set UNITVISOR_HTTP_TOKEN or pass --http-token-file FILE.');
    return null;
  }
  return token;
}
