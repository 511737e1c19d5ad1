// User=/Group=/SupplementaryGroups= → uid, gid, groups, and $USER/$LOGNAME/$HOME/$SHELL (systemd.exec(5) "Credentials", "Environment variables in spawned processes").
import { err, ok, type Result } from '../common/result.js';
import type { Native } from './native.js';

export interface Credentials {
  /** The user name ($USER, $LOGNAME): the passwd name, also when User= gave a numeric uid. */
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
  /** SupplementaryGroups= only; the user's own groups are added by initgroups() in the exec helper. */
  readonly supplementaryGids: readonly number[];
  /** undefined when systemd would not set $HOME ("/", empty or relative home). */
  readonly home: string | undefined;
  /** undefined when systemd would not set $SHELL (empty, relative or a nologin shell). */
  readonly shell: string | undefined;
}

/** Why credentials could not be resolved; `status` is the exit status systemd's child would report. */
export interface CredentialsError {
  readonly status: 'USER' | 'GROUP';
  readonly message: string;
}

export interface CredentialsRequest {
  readonly user: string | undefined;
  readonly group: string | undefined;
  readonly supplementaryGroups: readonly string[];
}

type Lookup = Pick<Native, 'getpwnam' | 'getgrnam'>;

const NOLOGIN = '/usr/sbin/nologin';

// systemd resolves root and nobody without NSS (synthesize_user_creds()), whatever /etc/passwd says.
const SYNTHESIZED: Readonly<Record<string, { user: string; uid: number; gid: number; home: string; shell: string }>> = {
  root: { user: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' },
  '0': { user: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/sh' },
  nobody: { user: 'nobody', uid: 65534, gid: 65534, home: '/', shell: NOLOGIN },
  '65534': { user: 'nobody', uid: 65534, gid: 65534, home: '/', shell: NOLOGIN },
};

// is_nologin_shell() in systemd's user-util.c.
const NOLOGIN_SHELLS = new Set([
  '/bin/nologin',
  '/sbin/nologin',
  '/usr/bin/nologin',
  '/usr/sbin/nologin',
  '/bin/false',
  '/usr/bin/false',
  '/bin/true',
  '/usr/bin/true',
]);

/** USER_CREDS_CLEAN: a home of "/" or "" and a nologin shell are not exported. */
const cleanHome = (home: string): string | undefined => (home === '' || home === '/' || !home.startsWith('/') ? undefined : home);
const cleanShell = (shell: string): string | undefined =>
  shell === '' || !shell.startsWith('/') || NOLOGIN_SHELLS.has(shell) ? undefined : shell;

/** Resolves User=/Group=/SupplementaryGroups=; undefined when no User= or Group= is set (run as the manager). */
export function resolveCredentials(request: CredentialsRequest, lookup: Lookup): Result<Credentials | undefined, CredentialsError> {
  if (request.user === undefined && request.group === undefined && request.supplementaryGroups.length === 0) return ok(undefined);
  const base = request.user === undefined ? currentUser(lookup) : lookupUser(request.user, lookup);
  if (base === undefined) return err({ status: 'USER', message: `Failed to determine user credentials: No such process` });
  let gid = base.gid;
  if (request.group !== undefined) {
    const group = lookupGroup(request.group, lookup);
    if (group === undefined) return err({ status: 'GROUP', message: `Failed to determine group credentials: No such process` });
    gid = group;
  }
  const supplementaryGids: number[] = [];
  for (const name of request.supplementaryGroups) {
    const group = lookupGroup(name, lookup);
    if (group === undefined) return err({ status: 'GROUP', message: `Failed to determine supplementary groups: No such process` });
    supplementaryGids.push(group);
  }
  const withUser = request.user !== undefined;
  return ok({
    user: base.user,
    uid: base.uid,
    gid,
    supplementaryGids,
    home: withUser ? cleanHome(base.home) : undefined,
    shell: withUser ? cleanShell(base.shell) : undefined,
  });
}

/** $USER, $LOGNAME, $HOME, $SHELL as systemd sets them for a unit with User= (and only then). */
export function credentialsEnvironment(credentials: Credentials | undefined, userSet: boolean): Record<string, string> {
  if (credentials === undefined || !userSet) return {};
  const environment: Record<string, string> = {};
  if (credentials.home !== undefined) environment.HOME = credentials.home;
  environment.LOGNAME = credentials.user;
  environment.USER = credentials.user;
  if (credentials.shell !== undefined) environment.SHELL = credentials.shell;
  return environment;
}

interface UserEntry {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
  readonly shell: string;
}

function lookupUser(name: string, lookup: Lookup): UserEntry | undefined {
  const synthesized = SYNTHESIZED[name];
  if (synthesized !== undefined) return synthesized;
  const entry = lookup.getpwnam(name);
  if (entry === null) return undefined;
  return { user: entry.name, uid: entry.uid, gid: entry.gid, home: entry.home, shell: entry.shell };
}

function currentUser(lookup: Lookup): UserEntry | undefined {
  const uid = process.getuid?.() ?? 0;
  return lookupUser(String(uid), lookup);
}

function lookupGroup(name: string, lookup: Lookup): number | undefined {
  if (name === 'root' || name === '0') return 0;
  if (name === 'nogroup' || name === '65534') return 65534;
  return lookup.getgrnam(name)?.gid;
}
