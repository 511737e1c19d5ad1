// The package entry: `import { Supervisor } from 'unitvisor'`.
export { Supervisor, JobFailedError } from './supervisor.js';
export type { BootOptions, DirectoryRoots, EnqueueResult, WaitForOptions, ActiveState, JobOutcome, JobInfo, ManagerEvent, JournalEntry, ReloadReport, TreeNode, UnitInfo } from './supervisor.js';
export { notify } from './sd-notify.js';
