// Test-only fault injection, to prove that a bug in the daemon is logged and survived. Read once at
// start from UNITVISOR_INJECT_FAULT; unset (always, in production) it does nothing at all.
//
//   UNITVISOR_INJECT_FAULT=verb:list-jobs    that control verb throws inside its handler
//   UNITVISOR_INJECT_FAULT=timer:200         a timer callback throws 200 ms after start (uncaughtException)
//   UNITVISOR_INJECT_FAULT=rejection:200     a promise rejects unhandled 200 ms after start (unhandledRejection)
// Several, comma-separated: `verb:status,timer:100`.

export const INJECT_FAULT_VARIABLE = 'UNITVISOR_INJECT_FAULT';

export interface InjectedFaults {
  readonly verb?: string;
  readonly timerMs?: number;
  readonly rejectionMs?: number;
}

export class InjectedFault extends Error {
  readonly code = 'ERR_UNITVISOR_INJECTED_FAULT';
}

export function readInjectedFaults(env: Readonly<Record<string, string | undefined>>): InjectedFaults {
  const faults: { verb?: string; timerMs?: number; rejectionMs?: number } = {};
  for (const item of (env[INJECT_FAULT_VARIABLE] ?? '').split(',')) {
    const [kind, value = ''] = item.split(':', 2);
    if (kind === 'verb' && value !== '') faults.verb = value;
    if (kind === 'timer') faults.timerMs = Number(value) || 0;
    if (kind === 'rejection') faults.rejectionMs = Number(value) || 0;
  }
  return faults;
}

/** Throws the injected fault when `verb` is the one named. */
export function throwIfInjectedVerb(faults: InjectedFaults, verb: string): void {
  if (faults.verb === verb) throw new InjectedFault(`Injected fault in the ${verb} handler`);
}

/** Arms the timer and rejection faults; they never keep the process alive. */
export function armInjectedFaults(faults: InjectedFaults): void {
  if (faults.timerMs !== undefined) {
    setTimeout(() => {
      throw new InjectedFault('Injected fault in a timer callback');
    }, faults.timerMs).unref();
  }
  if (faults.rejectionMs !== undefined) {
    setTimeout(() => void Promise.reject(new InjectedFault('Injected fault in a promise')), faults.rejectionMs).unref();
  }
}
