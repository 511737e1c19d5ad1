// Service sub-states, results and their unit-level ActiveState, as systemd 252's service.c (systemd.service(5)).
import type { ActiveState } from '../unit/active-state.js';

/**
 * systemd 252's SERVICE_* states, minus "cleaning" (only reachable through `systemctl clean`,
 * which unitvisor does not offer; its ActiveState "maintenance" does not exist here).
 */
export const SERVICE_SUB_STATES = [
  'dead',
  'condition',
  'start-pre',
  'start',
  'start-post',
  'running',
  'exited',
  'reload',
  'stop',
  'stop-watchdog',
  'stop-sigterm',
  'stop-sigkill',
  'stop-post',
  'final-watchdog',
  'final-sigterm',
  'final-sigkill',
  'failed',
  'auto-restart',
] as const;
export type ServiceSubState = (typeof SERVICE_SUB_STATES)[number];

/** Where a forking service's PIDFile= stands: being read once, or awaited until it appears. */
export type PidFileWait = 'read' | 'demand';

/** Each sub-state with only its own data; per-run bookkeeping lives in ServiceRuntime. */
export type ServiceState =
  | { readonly sub: 'dead' }
  | { readonly sub: 'condition' }
  | { readonly sub: 'start-pre' }
  | { readonly sub: 'start'; readonly pidFile?: PidFileWait }
  | { readonly sub: 'start-post'; readonly pidFile?: PidFileWait }
  | { readonly sub: 'running' }
  | { readonly sub: 'exited' }
  /** byNotify: entered through RELOADING=1 rather than ExecReload=. */
  | { readonly sub: 'reload'; readonly byNotify: boolean }
  | { readonly sub: 'stop' }
  | { readonly sub: 'stop-watchdog' }
  | { readonly sub: 'stop-sigterm' }
  | { readonly sub: 'stop-sigkill' }
  | { readonly sub: 'stop-post' }
  | { readonly sub: 'final-watchdog' }
  | { readonly sub: 'final-sigterm' }
  | { readonly sub: 'final-sigkill' }
  | { readonly sub: 'failed' }
  | { readonly sub: 'auto-restart' };

/** service.c's state_translation_table. */
const ACTIVE_STATE_OF: Readonly<Record<ServiceSubState, ActiveState>> = {
  dead: 'inactive',
  condition: 'activating',
  'start-pre': 'activating',
  start: 'activating',
  'start-post': 'activating',
  running: 'active',
  exited: 'active',
  reload: 'reloading',
  stop: 'deactivating',
  'stop-watchdog': 'deactivating',
  'stop-sigterm': 'deactivating',
  'stop-sigkill': 'deactivating',
  'stop-post': 'deactivating',
  'final-watchdog': 'deactivating',
  'final-sigterm': 'deactivating',
  'final-sigkill': 'deactivating',
  failed: 'failed',
  'auto-restart': 'activating',
};

export const activeStateOf = (sub: ServiceSubState): ActiveState => ACTIVE_STATE_OF[sub];

/** service_result_table: the tokens of Result= (note systemd spells the skip result "exec-condition"). */
export const SERVICE_RESULTS = [
  'success',
  'resources',
  'protocol',
  'timeout',
  'exit-code',
  'signal',
  'core-dump',
  'watchdog',
  'start-limit-hit',
  'oom-kill',
  'exec-condition',
] as const;
export type ServiceResult = (typeof SERVICE_RESULTS)[number];

/** How a process ended (sigchld_code_to_string): CLD_EXITED, CLD_KILLED, CLD_DUMPED. */
export type ExitCode = 'exited' | 'killed' | 'dumped';

/** The numbers `systemctl show` prints as ExecMainCode= (CLD_* from waitid(2)). */
export const EXIT_CODE_NUMBER: Readonly<Record<ExitCode, number>> = { exited: 1, killed: 2, dumped: 3 };
