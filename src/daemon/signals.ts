// What the daemon does on each signal, as a container runtime or a terminal sends them.
// PID 1 must handle SIGTERM/SIGINT itself: the kernel drops unhandled signals to PID 1.

export interface SignalActions {
  /** First SIGTERM/SIGINT: stop every unit in reverse dependency order, then exit. */
  shutdown(signal: NodeJS.Signals): void;
  /** A second SIGTERM/SIGINT during shutdown: kill everything now. */
  forceShutdown(signal: NodeJS.Signals): void;
  /** SIGHUP: daemon-reload, as systemd does. */
  reload(): void;
  /** SIGUSR1/SIGUSR2: handed on to the main process of every running service. */
  forward(signal: NodeJS.Signals): void;
}

/** The documented table: signal → action. Anything not listed keeps Node's default (SIGPIPE, SIGWINCH: ignored). */
export const SIGNAL_TABLE: Readonly<Record<string, 'shutdown' | 'reload' | 'forward'>> = {
  SIGTERM: 'shutdown',
  SIGINT: 'shutdown',
  SIGHUP: 'reload',
  SIGUSR1: 'forward',
  SIGUSR2: 'forward',
};

/** Installs the handlers; returns a function that removes them. */
export function installSignalHandlers(actions: SignalActions): () => void {
  let shuttingDown = false;
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const [name, action] of Object.entries(SIGNAL_TABLE)) {
    const signal = name as NodeJS.Signals;
    const handler = () => {
      if (action === 'reload') return actions.reload();
      if (action === 'forward') return actions.forward(signal);
      if (shuttingDown) return actions.forceShutdown(signal);
      shuttingDown = true;
      actions.shutdown(signal);
    };
    handlers.set(signal, handler);
    process.on(signal, handler);
  }
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}
