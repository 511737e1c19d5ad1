// The package entry: `import { Supervisor } from 'unitvisor'`.
export { Supervisor, JobFailedError } from './supervisor.js';
export { withSupervisor, LeakedProcessError } from './fixture.js';
export type { BootOptions, DirectoryRoots, EnqueueResult, WaitForOptions, ActiveState, JobOutcome, JobInfo, ManagerEvent, JournalEntry, ReloadReport, TreeNode, UnitInfo } from './supervisor.js';
export type { OutputBlock } from '../protocol/output-block.js';
export { notify } from './sd-notify.js';
export { OutputFlow } from '../process/output-flow.js';
// Time as a port: pass a FakeClock to Supervisor.boot() and timers, timeouts and restarts move only when you advance it.
export { FakeClock, realClock } from '../common/clock.js';
export type { Clock } from '../common/clock.js';
