// Sandbox → the exec helper's options (systemd.exec(5) "Sandboxing"); the helper builds the mount namespace.
import type { ExecContext, SandboxPath } from '../unit/model.js';

export interface PrivateTmp {
  readonly tmp: string;
  readonly varTmp: string;
}

/** Whether the unit asks for a mount namespace at all. */
export const wantsSandbox = (exec: ExecContext): boolean =>
  exec.privateTmp ||
  exec.privateDevices ||
  exec.protectSystem !== 'no' ||
  exec.protectHome !== 'no' ||
  exec.readWritePaths.length + exec.readOnlyPaths.length + exec.inaccessiblePaths.length > 0 ||
  exec.protectKernelTunables ||
  exec.protectControlGroups;

const pathArg = (p: SandboxPath): string => `${p.optional ? '-' : ''}${p.path}`;

/**
 * Options for the unit's sandbox; none for "+" commands (systemd skips namespacing for them). The unit's
 * RuntimeDirectory= & co. stay writable, as systemd adds them to ReadWritePaths=.
 */
export function sandboxOptions(exec: ExecContext, privileged: boolean, directories: readonly string[], privateTmp: PrivateTmp | undefined): string[] {
  if (privileged || !wantsSandbox(exec)) return [];
  const args: string[] = [];
  if (privateTmp !== undefined) args.push('--private-tmp', `${privateTmp.tmp}:${privateTmp.varTmp}`);
  if (exec.privateDevices) args.push('--private-devices');
  if (exec.protectSystem !== 'no') args.push('--protect-system', exec.protectSystem);
  if (exec.protectHome !== 'no') args.push('--protect-home', exec.protectHome);
  for (const p of exec.readOnlyPaths) args.push('--read-only', pathArg(p));
  for (const p of [...exec.readWritePaths, ...directories.map((path) => ({ path, optional: true }))]) args.push('--read-write', pathArg(p));
  for (const p of exec.inaccessiblePaths) args.push('--inaccessible', pathArg(p));
  if (exec.protectKernelTunables) args.push('--protect-kernel-tunables');
  if (exec.protectControlGroups) args.push('--protect-control-groups');
  return args;
}
