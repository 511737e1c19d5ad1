// The offline verbs (no daemon): verify, cat, enable/disable, is-enabled, list-unit-files, show --offline.
export { runVerify, type VerifyArgs } from './verify.js';
export { runReport, type ReportArgs } from './setting-report.js';
export { runCat, type CatArgs } from './cat.js';
export { runEnable, NO_INSTALL_CONFIG_TEXT, type EnableArgs } from './enable.js';
export { runIsEnabled, type IsEnabledArgs } from './is-enabled.js';
export { showOffline, type ShowOfflineArgs } from './show-offline.js';
export { listUnitFiles, type ListUnitFilesArgs, type UnitFileRow } from './list-unit-files.js';
export type { OfflineResult } from './result.js';
