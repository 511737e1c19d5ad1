// What a supervisor that died without stopping its units left behind (kill -9 of `unitvisor up`, a test
// runner killed by its timeout). PR_SET_PDEATHSIG takes the main and control processes; what forked away
// from them is found here: every supervisor records the prefix of its INVOCATION_IDs in a state file, and
// the next one to boot kills the processes that still carry the prefix of a supervisor that is gone.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPids, readEnvironVariable, readProcStat } from './process-tree.js';

/** Random bytes from the kernel, read 512 at a time (a start of 500 services costs 8 reads, not 500 opens). */
const pool = Buffer.alloc(512);
let used = pool.length;

/** 8 random bytes as hex: node:crypto would load OpenSSL (a megabyte of memory) for them. */
function random64(): string {
  if (used === pool.length) {
    const fd = openSync('/dev/urandom', 'r');
    try {
      readSync(fd, pool);
    } finally {
      closeSync(fd);
    }
    used = 0;
  }
  used += 8;
  return pool.toString('hex', used - 8, used);
}

/** This process's supervisors' INVOCATION_IDs begin with it: 64 random bits, the other 64 per activation. */
const PREFIX = random64();

/** A fresh 128-bit INVOCATION_ID of this process's supervisors. */
export const newInvocationId = (): string => PREFIX + random64();

interface StateRecord {
  readonly pid: number;
  /** /proc/PID/stat starttime: a reused pid is another process. */
  readonly startTime: number;
  /** Liveness can be judged only within one PID namespace. */
  readonly pidNamespace: string;
  readonly prefix: string;
}

export interface Leftover {
  readonly supervisorPid: number;
  readonly pid: number;
  readonly comm: string;
}

/** Where the state files live: /run/unitvisor/supervisors for root, else under $XDG_RUNTIME_DIR or the temp dir. */
export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const uid = process.getuid?.() ?? 0;
  if (uid === 0) return '/run/unitvisor/supervisors';
  return env['XDG_RUNTIME_DIR'] ? join(env['XDG_RUNTIME_DIR'], 'unitvisor', 'supervisors') : join(tmpdir(), `unitvisor-${uid}`, 'supervisors');
}

const pidNamespace = (): string => readlinkSync('/proc/self/ns/pid');

function self(): StateRecord {
  return { pid: process.pid, startTime: readProcStat(process.pid)?.startTime ?? 0, pidNamespace: pidNamespace(), prefix: PREFIX };
}

function readRecord(path: string): StateRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<StateRecord>;
    if (typeof value.pid !== 'number' || typeof value.startTime !== 'number' || typeof value.pidNamespace !== 'string' || typeof value.prefix !== 'string' || !/^[0-9a-f]{16}$/.test(value.prefix)) return undefined;
    return value as StateRecord;
  } catch {
    return undefined;
  }
}

/** Removes `path`; false if another supervisor removed it first. */
function claim(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Kills (SIGKILL) the processes of every recorded supervisor of this PID namespace that is gone, removes
 * its record, and records this process. Returns what it killed. Supervisors may boot at once (test files
 * run in parallel): removing a gone one's record is the claim on its processes, so that exactly one of
 * them sweeps it, and a record is written whole under its name (a rename), so that none reads one half
 * written and takes it for garbage.
 */
export function sweepLeftovers(dir: string = stateDirectory()): Leftover[] {
  const me = self();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const gone: StateRecord[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    const record = readRecord(path);
    if (record && (record.pidNamespace !== me.pidNamespace || record.prefix === me.prefix)) continue;
    if (record && readProcStat(record.pid)?.startTime === record.startTime) continue;
    if (claim(path) && record) gone.push(record);
  }
  const killed: Leftover[] = [];
  if (gone.length > 0) {
    for (const pid of listPids()) {
      if (pid === process.pid) continue;
      const invocation = readEnvironVariable(pid, 'INVOCATION_ID');
      const owner = invocation !== undefined ? gone.find((r) => invocation.startsWith(r.prefix)) : undefined;
      if (!owner) continue;
      const comm = readProcStat(pid)?.comm ?? '?';
      try {
        process.kill(pid, 'SIGKILL');
        killed.push({ supervisorPid: owner.pid, pid, comm });
      } catch {
        // exited meanwhile
      }
    }
  }
  const path = join(dir, `${me.pid}.json`);
  writeFileSync(`${path}.new`, JSON.stringify(me), { mode: 0o600 });
  renameSync(`${path}.new`, path);
  return killed;
}
