// The composition root of `unitvisor init` and `unitvisor up` (reads like tini's main()).
import { readdirSync } from 'node:fs';
import { isValidUnitName } from '../unit/unit-name.js';
import { join, resolve } from 'node:path';
import { hostSpecifierContext } from '../process/host-facts.js';
import { Supervisor } from '../api/supervisor.js';
import { createEventLog, type LogFormat } from './event-log.js';
import { OutputFlow } from '../process/output-flow.js';
import { JobsInProgress } from '../protocol/job-progress.js';
import { realClock } from '../common/clock.js';
import { listenControlSocket, type RequestHandler } from './control-socket.js';
import { handleRequest } from './handlers.js';
import type { HttpAddress } from '../http/address.js';
import { installSignalHandlers } from './signals.js';
import { collectWhenIdle, deferOptimizingCompiler, outputLogged, stopOptimizing, tuneDaemonHeap, unitsLoaded } from './heap.js';
import { userPath } from './user-path.js';
import { armInjectedFaults, readInjectedFaults } from './inject-fault.js';
import { resolveUnitPath, UNIT_PATH_ENV } from '../unit/search-path.js';
import { summarizeDiagnostics } from '../unit/diagnostic-summary.js';
import { VERSION } from '../api/version.js';

export interface DaemonOptions {
  readonly mode: 'init' | 'up';
  /** `up`: the directory of units to run. */
  readonly dir?: string;
  readonly unitPath: readonly string[];
  /** `init`: the unit to start (default.target). */
  readonly target?: string;
  readonly socket: string;
  readonly logFormat: LogFormat;
  readonly colour: boolean;
  readonly watch: boolean;
  readonly journalDir?: string;
  readonly debug: boolean;
  /** `init --force`: boot the default search path even when not PID 1 of a PID namespace. */
  readonly force?: boolean;
  /** `--http [HOST:]PORT`: serve /healthz, /readyz, /metrics, /api and the status page there. */
  readonly http?: HttpAddress;
  /** `--http-control`: the bearer token that lets HTTP clients run job verbs. */
  readonly httpControlToken?: string;
  /** stdout is a terminal with the text log: draw systemd's console status while jobs run. */
  readonly console?: boolean;
}

const REFUSE_HOST_BOOT = [
  "Refusing to boot systemd's unit search path: this process is not PID 1 of its own PID namespace.",
  'That would run sysinit.target on this host (systemd-tmpfiles-setup empties /tmp) and start a second copy',
  'of every enabled service. Run `unitvisor init` as the entrypoint of a container, boot a folder of units',
  'with --unit-path DIR (or `unitvisor up DIR`), or pass --force if this is really meant.',
].join('\n');

/** A daemon that cannot start: it says why on stderr and exits 1 at once. */
class DaemonStartError extends Error {}

/** `up DIR`: the folder must exist and hold unit files, else there is nothing to run. */
function checkUpDirectory(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DaemonStartError(code === 'ENOTDIR' ? `${dir} is not a directory.` : `Directory ${dir} does not exist.`);
  }
  if (!names.some(isValidUnitName)) throw new DaemonStartError(`No unit files in ${dir}.`);
}

/** Runs until shutdown; resolves with the process exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  try {
    return await run(options);
  } catch (error) {
    if (!(error instanceof DaemonStartError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

async function run(options: DaemonOptions): Promise<number> {
  // First of all: the heap's and the compiler's settings for the start's burst of work (heap.ts).
  tuneDaemonHeap();
  deferOptimizingCompiler();
  // A slow reader of stdout holds services' output pipes back rather than losing their lines.
  const outputFlow = new OutputFlow();
  const log = createEventLog({ format: options.logFormat, colour: options.colour, debug: options.debug, flow: outputFlow });
  const logBug = (error: unknown) =>
    log.write({ kind: 'log', time: Date.now(), level: 'error', msg: `Internal error (continuing): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });

  // 1. Claim the control socket before anything runs: a second daemon on it exits at once, with nothing started.
  const dir = options.mode === 'up' ? resolve(options.dir ?? '.') : undefined;
  if (dir) checkUpDirectory(dir);
  const systemPath = options.mode === 'init' && options.unitPath.length === 0 && process.env[UNIT_PATH_ENV] === undefined;
  if (systemPath && process.pid !== 1 && options.force !== true) throw new DaemonStartError(REFUSE_HOST_BOOT);
  let dispatch: RequestHandler | undefined;
  const early: Parameters<RequestHandler>[] = [];
  const control = await listenControlSocket(options.socket, (req, res) => (dispatch ? dispatch(req, res) : early.push([req, res])), logBug).catch((error: unknown) => {
    throw new DaemonStartError(error instanceof Error ? error.message : String(error));
  });

  // 2. From here on, the daemon never dies of its own bug while children run: log it and keep serving.
  const onUncaught = (error: unknown) => logBug(error);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);

  // 3. Load the units (systemd's search path and generators only as a container's PID 1, or forced) and
  //    start the process machinery (subreaper, reaper, notify socket).
  const unitPath = dir ? [dir, ...options.unitPath] : options.unitPath.length > 0 ? options.unitPath : resolveUnitPath({ env: process.env });
  const sv = await Supervisor.boot({
    unitPath,
    // As a container's PID 1: the notify socket where systemd has it, /run/systemd/notify (tmpfiles empties /tmp).
    ...(systemPath ? { generators: {}, standInForSystemd: true, runtimeDir: '/run/systemd' } : {}),
    ...(options.journalDir !== undefined ? { journalDir: options.journalDir } : {}),
    // up: the user's PATH (and the project's node_modules/.bin); init keeps systemd's fixed PATH.
    ...(dir ? { workingDirectory: dir, path: userPath(dir, process.env['PATH']) } : {}),
    debug: options.debug,
    // What systemd keeps under /var/lib/systemd (Persistent= timer stamps), for root; else the user's state dir.
    stateDirectory: join(hostSpecifierContext().stateDir, 'unitvisor'),
    outputFlow,
  });
  unitsLoaded();
  // On a terminal, the running jobs' status line sits below the log and is erased before each new log line.
  const progress = options.console ? new JobsInProgress(realClock, () => sv.listJobs(), (text) => log.raw(text), options.colour) : undefined;
  // After boot, a reload or a burst of restarts, the heap gives back that work's garbage once all is quiet.
  const collector = collectWhenIdle(500, 10_000);
  collector.busy();
  sv.on(
    (event) => {
      collector.busy();
      if (event.kind === 'log' || event.kind === 'output') progress?.clear();
      log.write(event);
      if (event.kind === 'job' && event.step === 'running') progress?.watch();
    },
    (block) => {
      collector.busy();
      progress?.clear();
      const bytes = block.bytes?.length ?? block.text.length;
      outputLogged(bytes);
      // Lines framed into reused memory leave nothing to collect; text (and the journal file's lines) does.
      if (!log.output(block) || options.journalDir !== undefined) collector.read(bytes);
    },
    // The event log frames or copies a block before it returns.
    true,
  );
  for (const line of summarizeDiagnostics(sv.diagnostics)) log.write({ kind: 'log', time: Date.now(), level: 'warning', msg: line });

  // 4. Shutdown: requested by a signal, `poweroff`/`exit CODE`, or a unit's SuccessAction=/FailureAction=.
  let requestedExit: number | undefined;
  let shutdownStarted = false;
  let finishShutdown: () => void = () => {};
  const shutdownRequested = new Promise<void>((resolve) => (finishShutdown = resolve));
  const requestShutdown = (code: number | undefined) => {
    if (requestedExit === undefined && code !== undefined) requestedExit = code;
    if (!shutdownStarted) {
      shutdownStarted = true;
      finishShutdown();
    }
  };
  sv.onExitRequest((code, force) => (force ? (requestShutdown(code), sv.forceShutdown()) : requestShutdown(code)));

  // 5. Serve the control socket (requests that came in while booting first), and the signals.
  const faults = readInjectedFaults(process.env); // test-only; nothing when UNITVISOR_INJECT_FAULT is unset
  dispatch = handleRequest(sv, { requestShutdown }, logBug, faults);
  for (const [req, res] of early.splice(0)) dispatch(req, res);
  const removeSignals = installSignalHandlers({
    shutdown: () => requestShutdown(undefined),
    forceShutdown: () => sv.forceShutdown(),
    reload: () => void sv.reload().catch(logBug),
    forward: (signal) => sv.signalMainProcesses(signal),
  });
  const say = (unit: string, msg: string) => log.write({ kind: 'log', time: Date.now(), level: 'info', msg, unit });
  const watcher = options.watch && dir ? await (await import('./watch.js')).startWatching(sv, dir, say, logBug) : undefined;
  // A port in use costs the endpoint, never the units: said once, loudly, and the daemon carries on.
  const http = options.http
    ? await (await import('../http/server.js')).startHttpEndpoint(sv, options.http, logBug, options.httpControlToken !== undefined ? { token: options.httpControlToken } : undefined).catch((error: unknown) => {
        log.write({ kind: 'log', time: Date.now(), level: 'error', msg: `Failed to listen on HTTP ${options.http?.host}:${options.http?.port}: ${error instanceof Error ? error.message : String(error)}` });
        return undefined;
      })
    : undefined;
  log.write({ kind: 'log', time: Date.now(), level: 'info', msg: `unitvisor ${VERSION} running in ${process.getuid?.() === 0 ? 'system' : 'user'} mode${process.pid === 1 ? ' as PID 1' : ''}, control socket ${options.socket}${http ? `, HTTP ${http.url}` : ''}.` });

  // 6. Start: the default target (init) or every unit of the directory (up).
  const initial = options.mode === 'up' ? sv.unitFileNames() : [options.target ?? 'default.target'];
  for (const unit of initial) sv.enqueue('start', unit);
  armInjectedFaults(faults);

  // 7. Wait for the shutdown request, then stop everything in reverse order.
  await shutdownRequested;
  stopOptimizing();
  await watcher?.close();
  const failedBeforeStop = sv.hasFailedUnits();
  // Slow stop jobs get their status line too ("Job web.service/stop running (5s / 1min 30s)").
  await sv.shutdown();
  collector.stop();
  progress?.stop();
  await http?.close();
  await control.close();
  removeSignals();
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  await log.drain();
  // The exit-code rule: an explicit `exit CODE` or exit action wins; else 1 if any unit failed, else 0.
  return requestedExit ?? (failedBeforeStop || sv.hasFailedUnits() ? 1 : 0);
}
