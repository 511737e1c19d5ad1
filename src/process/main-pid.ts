// Main PID of forking services: PIDFile= and GuessMainPID= (systemd.service(5); systemd's service_load_pid_file(), service_search_main_pid()).
import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { err, ok, type Result } from '../common/result.js';
import { isAlive, readProcStat } from './process-tree.js';
import { readBoundedSync, ReadError } from './bounded-read.js';

/** A PID file holds one short line; systemd reads it with read_one_line_file() (LONG_LINE_MAX). */
const PID_FILE_MAX = 1024 * 1024;

export interface PidFileContext {
  /** True if the pid is one of the unit's processes (unit-processes.ts). */
  readonly belongsToUnit: (pid: number) => boolean;
  readonly controlPid?: number | undefined;
  /** The supervisor's own pid; default: this process. */
  readonly managerPid?: number;
  /** The service sub-state named in "Can't open PID file ... (yet?) after start"; default "start". */
  readonly afterState?: string;
}

/** Why a PID file gave no main pid. `missing` means "not there (yet?)": systemd retries on later events. */
export interface PidFileError {
  readonly kind: 'missing' | 'invalid' | 'refused';
  /** systemd's log line, e.g. "New main PID 4242 does not exist or is a zombie." */
  readonly message: string;
  /** `missing`: why it could not be opened (strerror), for callers that compose the line themselves. */
  readonly reason?: string;
}

/**
 * Reads PIDFile= as systemd 252 does: one line holding a positive integer, naming a live process that is
 * neither the manager nor the control process. A pid outside the unit is accepted only if the file is
 * owned by root ("New main PID N does not belong to service, and PID file is not owned by root. Refusing.")
 * and reached through a safe path (see isUnsafeChain).
 */
export async function readPidFile(path: string, context: PidFileContext): Promise<Result<number, PidFileError>> {
  let text: string;
  let ownerUid: number;
  try {
    // Non-blocking and bounded: a FIFO or /dev/zero named by PIDFile= can neither freeze nor flood the supervisor.
    ({ text, ownerUid } = readBoundedSync(path, PID_FILE_MAX));
  } catch (error) {
    if (!(error instanceof ReadError)) throw error;
    const reason = error.message;
    return err({ kind: 'missing', reason, message: `Can't open PID file ${path} (yet?) after ${context.afterState ?? 'start'}: ${reason}` });
  }
  const pid = parsePid(firstLine(text));
  if (typeof pid === 'string') return err({ kind: 'invalid', message: `Failed to parse PID from file ${path}: ${pid}` });
  const refusal = unsuitableMainPid(pid, context);
  if (refusal !== undefined) return err({ kind: 'refused', message: refusal });
  if (!context.belongsToUnit(pid) && isUnsafeChain(path)) {
    return err({
      kind: 'refused',
      message: `Refusing to accept PID outside of service control group, acquired through unsafe symlink chain: ${path}`,
    });
  }
  if (!context.belongsToUnit(pid) && ownerUid !== 0) {
    return err({
      kind: 'refused',
      message: `New main PID ${pid} does not belong to service, and PID file is not owned by root. Refusing.`,
    });
  }
  return ok(pid);
}

/** service_is_suitable_main_pid(): the reason a pid cannot be the main pid, if any. */
export function unsuitableMainPid(pid: number, context: Pick<PidFileContext, 'controlPid' | 'managerPid'>): string | undefined {
  // systemd 252: "pid == getpid_cached() || pid == 1" (init is the manager's own, even when unitvisor is not PID 1).
  if (pid === 1 || pid === (context.managerPid ?? process.pid)) return `New main PID ${pid} is the manager, refusing.`;
  if (pid === context.controlPid) return `New main PID ${pid} is the control process, refusing.`;
  if (!isAlive(pid)) return `New main PID ${pid} does not exist or is a zombie.`;
  return undefined;
}

/**
 * GuessMainPID=yes: among the unit's live processes, the single one whose parent is the manager
 * (a forking service's daemon, re-parented to the subreaper); undefined if none or several.
 */
export function guessMainPid(unitPids: readonly number[], options: { controlPid?: number | undefined; managerPid?: number } = {}): number | undefined {
  const managerPid = options.managerPid ?? process.pid;
  const candidates = unitPids.filter((pid) => {
    if (pid === options.controlPid) return false;
    const stat = readProcStat(pid);
    return stat !== undefined && stat.ppid === managerPid && stat.state !== 'Z';
  });
  return candidates.length === 1 ? candidates[0] : undefined;
}

// read_one_line_file(): the first line, without its newline.
function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
}

// parse_pid(): an unsigned decimal (leading whitespace allowed, as strtoul does) within pid_t and > 0.
// The reason is strerror() of what systemd returns: EINVAL for garbage, ERANGE for "-5", "0" or too big.
function parsePid(text: string): number | string {
  const trimmed = text.replace(/^\s+/, '');
  if (trimmed.startsWith('-') && /^-\d+$/.test(trimmed)) return 'Numerical result out of range';
  const match = /^\+?(\d+)$/.exec(trimmed);
  if (match === null) return 'Invalid argument';
  const pid = Number(match[1]);
  return pid > 0 && pid <= 0x7fffffff ? pid : 'Numerical result out of range';
}

/**
 * chase_symlinks(CHASE_SAFE): walking the path, every step (directory, file or symlink, and the jump to "/"
 * of an absolute symlink) must stay with the same owner unless it leaves a root-owned one; otherwise an
 * unprivileged user could point the manager at a file of their choosing (unsafe_transition()).
 * Synchronous, as the PID file's own read: node:fs/promises would load, with its readline, for this alone.
 */
function isUnsafeChain(path: string): boolean {
  const rootUid = lstatSync('/').uid;
  let todo = path.split('/').filter((part) => part !== '' && part !== '.');
  let dir = '/';
  let previous = rootUid;
  const unsafe = (next: number): boolean => previous !== 0 && previous !== next;
  for (let hops = 0; todo.length > 0 && hops < 64; hops++) {
    const name = todo.shift() ?? '';
    const child = name === '..' ? dirname(dir) : join(dir, name);
    let st;
    try {
      st = lstatSync(child);
    } catch {
      return false; // Opening the file reports what is missing.
    }
    if (unsafe(st.uid)) return true;
    previous = st.uid;
    if (!st.isSymbolicLink()) {
      dir = child;
      continue;
    }
    const target = readlinkSync(child);
    if (target.startsWith('/')) {
      if (unsafe(rootUid)) return true;
      previous = rootUid;
      dir = '/';
    }
    todo = [...target.split('/').filter((part) => part !== '' && part !== '.'), ...todo];
  }
  return false;
}
