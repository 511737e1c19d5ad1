// The network probes of [X-Readiness]/[X-HealthCheck]: one HTTP GET or one TCP connect, bounded by
// a timeout, never blocking, and leaving no socket open whatever the outcome.
import { connect } from 'node:net';

/** One attempt's verdict; `detail` says why it failed, in a few words ("HTTP 503", "Connection refused"). */
export interface ProbeAttempt {
  readonly passed: boolean;
  readonly detail: string;
}

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ENOTFOUND: 'Host not found',
  EAI_AGAIN: 'Host not found',
};

const describeError = (e: Error & { code?: string }): string => (e.code !== undefined ? (ERRNO_TEXT[e.code] ?? e.code) : e.message);
const timedOut = (timeoutMs: number): ProbeAttempt => ({ passed: false, detail: `timed out after ${timeoutMs} ms` });

/**
 * GET `url`: any 2xx passes (the body is read and dropped, so the connection closes cleanly). An https
 * server's certificate is not verified, as the kubelet's probes do not: a health check asks whether the
 * server answers, and a local server's certificate is often self-signed or names another host.
 */
export async function httpGet(url: string, headers: readonly (readonly [string, string])[], timeoutMs: number): Promise<ProbeAttempt> {
  const target = new URL(url);
  // node:http and node:https (and with it TLS) load at the first HTTP probe: a daemon with none never holds them.
  const { request: send } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve) => {
    let settled = false;
    const settle = (attempt: ProbeAttempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(attempt);
    };
    const req = send(target, { method: 'GET', headers: Object.fromEntries(headers), agent: false, rejectUnauthorized: false }, (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      res.once('end', () => settle(status >= 200 && status < 300 ? { passed: true, detail: `HTTP ${status}` } : { passed: false, detail: `HTTP ${status}` }));
      res.once('error', (e) => settle({ passed: false, detail: describeError(e) }));
    });
    const timer = setTimeout(() => settle(timedOut(timeoutMs)), timeoutMs);
    req.once('error', (e) => settle({ passed: false, detail: describeError(e) }));
    req.end();
  });
}

/** Connect to host:port; a completed handshake passes and is closed at once. */
export function tcpConnect(host: string, port: number, timeoutMs: number): Promise<ProbeAttempt> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host, port });
    const settle = (attempt: ProbeAttempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(attempt);
    };
    const timer = setTimeout(() => settle(timedOut(timeoutMs)), timeoutMs);
    socket.once('connect', () => settle({ passed: true, detail: 'connected' }));
    socket.once('error', (e) => settle({ passed: false, detail: describeError(e) }));
  });
}
