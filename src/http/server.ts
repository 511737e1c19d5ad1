// The optional HTTP endpoint (`--http`): /healthz, /readyz, /metrics, /api/units[/NAME], /api/events and
// the status page. Read-only unless `--http-control` gave it a token (control.ts). Every answer is built from one snapshot.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Supervisor } from '../api/supervisor.js';
import { formatHealth, health, ready } from '../analyze/health.js';
import { formatMetrics } from '../analyze/metrics.js';
import { formatPlot } from '../analyze/plot.js';
import type { HttpAddress } from './address.js';
import type { SystemSnapshot } from '../protocol/analysis.js';
import { serveEvents } from './event-stream.js';
import { statusPage } from './status-page.js';
import { serveControl } from './control.js';

export interface HttpEndpoint {
  /** The address it listens on (the real port when 0 was asked for). */
  readonly url: string;
  close(): Promise<void>;
}

const TEXT = 'text/plain; charset=utf-8';
/** How long one snapshot answers (a state change is seen by the next scrape at the latest this much later). */
const SNAPSHOT_TTL_MS = 100;
const METRICS = 'text/plain; version=0.0.4; charset=utf-8';

/** `control`: the bearer token that unlocks POST /api/units/NAME/VERB (`--http-control`); without it the endpoint is read-only. */
export async function startHttpEndpoint(sv: Supervisor, address: HttpAddress, onBug: (error: unknown) => void, control?: { readonly token: string }): Promise<HttpEndpoint> {
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  // Many scrapers at once share one snapshot: scraping must not cost the units their supervisor's time.
  let cached: { at: number; snapshot: SystemSnapshot } | undefined;
  const snapshot = () => {
    const now = Date.now();
    if (!cached || now - cached.at > SNAPSHOT_TTL_MS) cached = { at: now, snapshot: sv.snapshot() };
    return cached.snapshot;
  };
  const failed = (res: ServerResponse, error: unknown) => {
    onBug(error);
    if (!res.headersSent) send(res, 500, TEXT, 'Internal error\n');
    else res.destroy();
  };
  const server = createServer((req, res) => {
    try {
      if (control && req.method === 'POST') {
        const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
          json(res, status, body);
        };
        serveControl(sv, control.token, req, reply).catch((error: unknown) => failed(res, error));
        return;
      }
      route(sv, snapshot, lag, req, res);
    } catch (error) {
      failed(res, error);
    }
  });
  // A slow or silent client cannot hold a connection open for long.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_error, socket) => socket.destroy());
  await listen(server, address);
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : address.port;
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        lag.disable();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, address: HttpAddress): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, 'application/json', `${JSON.stringify(value)}\n`);

function route(sv: Supervisor, current: () => SystemSnapshot, lag: IntervalHistogram, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, TEXT, 'Method Not Allowed: this endpoint is read-only (control actions need --http-control and a token).\n');
  }
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/api/events') return serveEvents(sv, req, res);
  const snapshot = current();
  switch (path) {
    case '/':
      return send(res, 200, 'text/html; charset=utf-8', statusPage());
    case '/healthz': {
      const h = health(snapshot);
      return send(res, h.healthy ? 200 : 503, TEXT, formatHealth(h));
    }
    case '/readyz': {
      const ok = ready(snapshot);
      return send(res, ok ? 200 : 503, TEXT, ok ? 'ready\n' : `${snapshot.state}\n`);
    }
    case '/metrics': {
      const body = formatMetrics(snapshot, {
        residentBytes: process.memoryUsage.rss(),
        eventLoopLagSeconds: (Number.isNaN(lag.mean) ? 0 : lag.mean) / 1e9,
        eventLoopLagMaxSeconds: lag.max / 1e9,
        startTimeSeconds: Math.round(sv.bootTime / 1000),
      });
      lag.reset();
      return send(res, 200, METRICS, body);
    }
    case '/api/units':
      return json(res, 200, { state: snapshot.state, units: snapshot.units, jobs: snapshot.jobs });
    case '/plot.svg':
      return send(res, 200, 'image/svg+xml', formatPlot(snapshot));
  }
  const unit = /^\/api\/units\/([^/]+)$/.exec(path);
  if (unit) {
    let name: string;
    try {
      name = decodeURIComponent(unit[1] as string);
    } catch {
      return send(res, 400, TEXT, 'Bad Request: malformed unit name.\n');
    }
    const found = snapshot.units.find((u) => u.id === name);
    return found ? json(res, 200, found) : json(res, 404, { error: `Unit ${name} not loaded.` });
  }
  send(res, 404, TEXT, 'Not Found\n');
}
