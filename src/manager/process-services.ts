// What every unit kind shares: the clock, the notify socket, the manager's environment, the routing
// of exits the reaper hears (adopted pids) to their unit, and where persistent state lives.
import type { Clock } from '../common/clock.js';
import type { WaitStatus } from '../process/native.js';
import type { DirectoryRoots } from '../service/exec-directories.js';
import type { UnitProcesses } from '../process/unit-processes.js';
import type { OutputFlow } from '../process/output-flow.js';

export interface ProcessServices {
  readonly clock: Clock;
  /** $NOTIFY_SOCKET for services that get it. */
  readonly notifySocketPath: string;
  /** The manager's own environment: PassEnvironment= takes from it; PATH and LANG pass on. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** The PATH services get and bare command names are looked up in (systemd's fixed one, or the user's in `up`). */
  readonly path: string;
  /** `up DIR`: units without WorkingDirectory= run in DIR. */
  readonly defaultWorkingDirectory: string | undefined;
  /** Where RuntimeDirectory= & co. are made (/run, /var/lib, ... for the system manager). */
  readonly directoryRoots: DirectoryRoots;
  /** Holds services' output pipes back while the event log or the journal file is full. */
  readonly outputFlow: OutputFlow;
  /** Reports the exit of `pid` (a process the manager did not spawn) to `onExit`, once. */
  watchAdopted(pid: number, onExit: (status: WaitStatus) => void): void;
  unwatchAdopted(pid: number): void;
  /** The process tracking of one unit (cgroup or process tree, as the host allows). */
  unitProcesses(unit: string): UnitProcesses;
  /** Whether the job queue is empty (Type=idle waits for it). */
  queueIsIdle(): boolean;
  /** Where state outlives the manager (Persistent= timer stamps); undefined: nothing is kept. */
  readonly stateDirectory: string | undefined;
  /** When the manager started, on both clocks (µs): OnBootSec=/OnStartupSec= count from it. */
  readonly started: { readonly realtime: number; readonly monotonic: number };
}
