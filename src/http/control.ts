// `--http-control`: job verbs over HTTP (POST /api/units/NAME/VERB), for a platform that has no shell in
// the container. Only with a bearer token: without it, or with another, nothing is done (401).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Supervisor } from '../api/supervisor.js';
import { JOB_VERBS, type JobVerb } from '../protocol/protocol.js';
import type { JobOutcome } from '../protocol/results.js';

const PATH = /^\/api\/units\/([^/]+)\/([a-z-]+)$/;

/** Compares digests, so neither the token's length nor its first differing byte shows in the timing. */
function sameToken(given: string, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

function bearer(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** An HTTP status for how the job went: 200 done (or nothing to do, or queued), 404 no such unit, 409 failed or refused. */
function statusOf(outcome: JobOutcome): number {
  if (outcome.kind === 'refused') return outcome.code === 'unit-not-found' ? 404 : 409;
  if (outcome.kind === 'finished' && outcome.result !== 'done') return 409;
  return 200;
}

/**
 * Answers a POST. `?no-block` returns once the job is queued; otherwise the answer comes when the job
 * is done, as `unitvisor start` waits. The body is the job's outcome as the control socket reports it.
 */
export async function serveControl(sv: Supervisor, token: string, req: IncomingMessage, reply: (status: number, body: unknown, headers?: Record<string, string>) => void): Promise<void> {
  req.resume();
  const given = bearer(req);
  if (given === undefined || !sameToken(given, token)) {
    return reply(401, { error: 'A control request needs the bearer token the daemon was given (Authorization: Bearer TOKEN).' }, { 'www-authenticate': 'Bearer realm="unitvisor"' });
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const m = PATH.exec(url.pathname);
  const verb = m?.[2];
  if (!m || !JOB_VERBS.includes(verb as JobVerb)) return reply(404, { error: `No control action here: POST /api/units/NAME/{${JOB_VERBS.join(',')}}.` });
  let unit: string;
  try {
    unit = decodeURIComponent(m[1] as string);
  } catch {
    return reply(400, { error: 'Malformed unit name.' });
  }
  const job = sv.enqueue(verb as JobVerb, unit);
  const outcome = url.searchParams.has('no-block') ? job.queued : await job.finished;
  reply(statusOf(outcome), outcome);
}
