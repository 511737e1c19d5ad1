// Control-socket verbs → Supervisor calls: one small function per verb.
import { hostname } from 'node:os';
import type { Supervisor } from '../api/supervisor.js';
import type { Request, RequestOf, Reply } from '../protocol/protocol.js';
import type { Responder } from './control-socket.js';
import { throwIfInjectedVerb, type InjectedFaults } from './inject-fault.js';
import type { DryRunResult, SystemStateResult, JobVerbResult, ListJobsResult, ListUnitsResult, LogsResult, ShowResult, StatesResult, StatusResult, TreeResult, UnitPathsResult } from '../protocol/results.js';

export interface DaemonControl {
  /** poweroff / exit CODE: begin the orderly shutdown. */
  requestShutdown(exitCode: number | undefined): void;
}

type Handler<V extends Request['verb']> = (sv: Supervisor, req: RequestOf<V>, res: Responder, control: DaemonControl) => void | Promise<void>;

const reply = (res: Responder, result: unknown) => {
  res.send({ ok: true, result });
  res.end();
};

const jobVerb: Handler<'start' | 'stop' | 'restart' | 'try-restart' | 'reload' | 'reload-or-restart' | 'try-reload-or-restart'> = async (sv, req, res) => {
  // systemctl enqueues one transaction per unit, in argument order (one D-Bus call each, answered before
  // the next is sent), and then waits for them all. systemd's run queue runs between two calls, so a job
  // of the first unit may already be running when the second is queued (seeds/001: `stop a b`).
  const pending: ReturnType<Supervisor['enqueue']>[] = [];
  for (const unit of req.units) {
    if (pending.length > 0) await new Promise((next) => setImmediate(next));
    pending.push(sv.enqueue(req.verb, unit));
  }
  const outcomes = req.noBlock ? pending.map((p) => p.queued) : await Promise.all(pending.map((p) => p.finished));
  reply(res, { outcomes } satisfies JobVerbResult);
};

const status: Handler<'status'> = (sv, req, res) => {
  const names = req.units.length > 0 ? req.units : sv.listUnits({ all: false, failed: false, patterns: [] }).map((u) => u.id);
  const units = names.map((name) => {
    const info = sv.status(name);
    return info && info.loadState !== 'not-found'
      ? { found: true as const, info, journal: sv.logs([info.id], 10) }
      : { found: false as const, name };
  });
  reply(res, { units, hostname: hostname(), daemonPid: process.pid, nowMs: Date.now() } satisfies StatusResult);
};

const show: Handler<'show'> = (sv, req, res) => {
  reply(res, { units: req.units.map((name) => sv.statusOrStub(name)) } satisfies ShowResult);
};

const states: Handler<'is-active' | 'is-failed'> = (sv, req, res) => {
  reply(res, { states: req.units.map((unit) => ({ unit, activeState: sv.status(unit)?.activeState ?? 'inactive' })) } satisfies StatesResult);
};

const resetFailed: Handler<'reset-failed'> = (sv, req, res) => {
  const missing = req.units.find((u) => sv.status(u) === undefined);
  if (missing) {
    res.send({ ok: false, code: 'unit-not-found', message: `Failed to reset failed state of unit ${missing}: Unit ${missing} not loaded.` });
    res.end();
    return;
  }
  sv.resetFailed(...req.units);
  reply(res, {});
};

const kill: Handler<'kill'> = (sv, req, res) => {
  for (const unit of req.units) {
    const error = sv.kill(unit, req.signal, req.whom);
    if (error) {
      res.send({ ok: false, code: 'unit-not-found', message: `Failed to kill unit ${unit}: ${error}` });
      res.end();
      return;
    }
  }
  reply(res, {});
};

const logs: Handler<'logs'> = (sv, req, res) => {
  const base = { hostname: hostname(), daemonPid: process.pid };
  const units = req.units.map((u) => sv.status(u)?.id ?? u);
  res.send({ ok: true, result: { ...base, entries: sv.logs(units, req.lines) } satisfies LogsResult });
  if (!req.follow) {
    res.end();
    return;
  }
  const stop = sv.on((event) => {
    if ((event.kind === 'log' || event.kind === 'output') && (units.length === 0 || (event.unit !== undefined && units.includes(event.unit)))) {
      res.send({ ok: true, result: { ...base, entries: [event] } satisfies LogsResult });
    }
  });
  res.onClose(stop);
};

const HANDLERS: { [V in Request['verb']]: Handler<V> } = {
  start: jobVerb,
  stop: jobVerb,
  restart: jobVerb,
  'try-restart': jobVerb,
  reload: jobVerb,
  'reload-or-restart': jobVerb,
  'try-reload-or-restart': jobVerb,
  status,
  show,
  'is-active': states,
  'is-failed': states,
  'reset-failed': resetFailed,
  'list-units': (sv, req, res) => reply(res, { units: sv.listUnits(req) } satisfies ListUnitsResult),
  'list-jobs': (sv, _req, res) => reply(res, { jobs: sv.listJobs() } satisfies ListJobsResult),
  'list-dependencies': (sv, req, res) => reply(res, { tree: sv.dependencyTree(req.unit, req) } satisfies TreeResult),
  kill,
  logs,
  'is-system-running': (sv, _req, res) => reply(res, { state: sv.systemState() } satisfies SystemStateResult),
  snapshot: (sv, _req, res) => reply(res, sv.snapshot()),
  'unit-paths': (sv, _req, res) => reply(res, { unitPath: sv.unitPath } satisfies UnitPathsResult),
  why: (sv, req, res) => reply(res, { ...sv.why(req.unit), hostname: hostname(), daemonPid: process.pid }),
  'dry-run': (sv, req, res) => reply(res, { reports: req.units.map((unit) => ({ unit, ...sv.dryRun(req.job, unit) })) } satisfies DryRunResult),
  'daemon-reload': async (sv, _req, res) => {
    await sv.reload();
    reply(res, {});
  },
  poweroff: (_sv, _req, res, control) => {
    reply(res, {});
    control.requestShutdown(undefined);
  },
  exit: (_sv, req, res, control) => {
    reply(res, {});
    control.requestShutdown(req.code ?? 0);
  },
};

/** Dispatches one request; a bug in a handler becomes an error reply, never a dead daemon. */
export function handleRequest(sv: Supervisor, control: DaemonControl, onBug: (error: unknown) => void, faults: InjectedFaults = {}) {
  return (req: Request, res: Responder): void => {
    const fail = (error: unknown) => {
      onBug(error);
      const message: Reply = { ok: false, code: 'internal', message: `Internal error: ${String(error)}` };
      res.send(message);
      res.end();
    };
    try {
      throwIfInjectedVerb(faults, req.verb);
      const handler = HANDLERS[req.verb] as Handler<Request['verb']>;
      const done = handler(sv, req, res, control);
      if (done instanceof Promise) done.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
