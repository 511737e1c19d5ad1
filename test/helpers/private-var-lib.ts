// A private /var/lib for a daemon run as root, so that what it keeps there (Persistent= timer stamps under
// /var/lib/unitvisor/timers) lands on a tmpfs that vanishes with its mount namespace instead of on the host.
// Needs root (unshare --mount); a test using it skips elsewhere with one visible line.

export const CAN_UNSHARE = process.getuid?.() === 0;

/** Shell commands: a tmpfs on /var/lib, then `setup` (run inside the namespace, before the daemon). */
export const varLibSetup = (setup: string): string => `mount -t tmpfs tmpfs /var/lib && ${setup}`;

/** A launcher for startUp(): a new mount namespace, varLibSetup(setup), then exec of the daemon (same pid). */
export const privateVarLib = (setup: string): string[] => ['unshare', '--mount', 'sh', '-c', `${varLibSetup(setup)} && exec "$@"`, 'sh'];

/** A file of /var/lib as the process `pid` (in its own mount namespace) sees it. */
export const varLibOf = (pid: number, path: string): string => `/proc/${pid}/root/var/lib/${path}`;
