// Seccomp settings → the exec helper's options (systemd.exec(5) "System Call Filtering"); the helper loads the
// filters through libseccomp, last before execve(). "+" commands run without them, as systemd runs them.
import type { ExecContext } from '../unit/model.js';

export function seccompOptions(exec: ExecContext, fullPrivileges: boolean): string[] {
  if (fullPrivileges) return [];
  const args: string[] = [];
  const filter = exec.syscallFilter;
  if (filter !== undefined) {
    const action = exec.syscallErrorNumber === 'kill' ? 'kill' : String(exec.syscallErrorNumber);
    const calls = [...filter.calls].map(([name, errno]) => (errno === undefined || filter.allowList ? name : `${name}:${errno}`));
    args.push('--syscall-filter', `${filter.allowList ? 'allow' : 'deny'}:${action}:${calls.join(',')}`);
  }
  const families = exec.addressFamilies;
  if (families !== undefined) args.push('--address-families', `${families.allowList ? 'allow' : 'deny'}:${families.families.join(',')}`);
  if (exec.memoryDenyWriteExecute) args.push('--memory-deny-write-execute');
  return args;
}
