// The composition root of `unitvisor init` and `unitvisor up` (reads like tini's main()).
import { resolve } from 'node:path';
import { Supervisor } from '../api/supervisor.js';
import { createEventLog, type LogFormat } from './event-log.js';
import { listenControlSocket } from './control-socket.js';
import { handleRequest } from './handlers.js';
import { installSignalHandlers } from './signals.js';
import { startWatching } from './watch.js';
import { armInjectedFaults, readInjectedFaults } from './inject-fault.js';
import { resolveUnitPath } from '../unit/search-path.js';
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
}

/** Runs until shutdown; resolves with the process exit code. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const log = createEventLog({ format: options.logFormat, colour: options.colour, debug: options.debug });
  const logBug = (error: unknown) =>
    log.write({ kind: 'log', time: Date.now(), level: 'error', msg: `Internal error (continuing): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` });

  // 1. The daemon never dies of its own bug while children run: log it and keep serving.
  const onUncaught = (error: unknown) => logBug(error);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);

  // 2. Load the units and start the process machinery (subreaper, reaper, notify socket).
  const dir = options.mode === 'up' ? resolve(options.dir ?? '.') : undefined;
  const unitPath = dir ? [dir, ...options.unitPath] : options.unitPath.length > 0 ? options.unitPath : resolveUnitPath({ env: process.env });
  const sv = await Supervisor.boot({
    unitPath,
    ...(options.journalDir !== undefined ? { journalDir: options.journalDir } : {}),
    ...(dir ? { workingDirectory: dir } : {}),
    debug: options.debug,
  });
  sv.on((event) => log.write(event));
  for (const line of sv.diagnostics) log.write({ kind: 'log', time: Date.now(), level: 'warning', msg: line });

  // 3. Shutdown: requested by a signal, `poweroff`/`exit CODE`, or a unit's SuccessAction=/FailureAction=.
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

  // 4. The control socket and the signals.
  const faults = readInjectedFaults(process.env); // test-only; nothing when UNITVISOR_INJECT_FAULT is unset
  const control = await listenControlSocket(options.socket, handleRequest(sv, { requestShutdown }, logBug, faults), logBug);
  const removeSignals = installSignalHandlers({
    shutdown: () => requestShutdown(undefined),
    forceShutdown: () => sv.forceShutdown(),
    reload: () => void sv.reload().catch(logBug),
    forward: (signal) => sv.signalMainProcesses(signal),
  });
  const watcher = options.watch && dir ? await startWatching(sv, dir, logBug) : undefined;
  log.write({ kind: 'log', time: Date.now(), level: 'info', msg: `unitvisor ${VERSION} running in ${process.getuid?.() === 0 ? 'system' : 'user'} mode${process.pid === 1 ? ' as PID 1' : ''}, control socket ${options.socket}.` });

  // 5. Start: the default target (init) or every unit of the directory (up).
  const initial = options.mode === 'up' ? sv.unitFileNames() : [options.target ?? 'default.target'];
  for (const unit of initial) sv.enqueue('start', unit);
  armInjectedFaults(faults);

  // 6. Wait for the shutdown request, then stop everything in reverse order.
  await shutdownRequested;
  await watcher?.close();
  const failedBeforeStop = sv.hasFailedUnits();
  await sv.shutdown();
  await control.close();
  removeSignals();
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  log.flush();
  // The exit-code rule: an explicit `exit CODE` or exit action wins; else 1 if any unit failed, else 0.
  return requestedExit ?? (failedBeforeStop || sv.hasFailedUnits() ? 1 : 0);
}
