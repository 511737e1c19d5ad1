// /api/events: server-sent events of unit state changes (`event: state`) and journal lines
// (`event: journal`, journald's fields). A client that does not keep up is dropped, never buffered without bound.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import type { Supervisor } from '../api/supervisor.js';
import { journalFields } from '../protocol/journal-fields.js';

/** What one client may have unsent before it is dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export function serveEvents(sv: Supervisor, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
  res.write(': unitvisor events\n\n');
  const origin = { hostname: hostname(), daemonPid: process.pid };
  const send = (event: string, data: unknown) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      stop();
      res.destroy();
      return;
    }
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const stop = sv.on((event) => {
    if (event.kind === 'state') send('state', { unit: event.unit, time: event.time, old: event.old, new: event.new, oldSub: event.oldSub, sub: event.sub, result: event.result });
    else if (event.kind === 'log' || event.kind === 'output') send('journal', journalFields(event, origin));
  });
  req.on('close', stop);
  res.on('close', stop);
}
