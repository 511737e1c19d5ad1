// The offline verbs (no daemon): verify, cat, enable/disable, is-enabled, show --offline.
export { runVerify, type VerifyArgs } from './verify.js';
export { runReport, type ReportArgs } from './setting-report.js';
export { runCat, type CatArgs } from './cat.js';
export { runEnable, NO_INSTALL_CONFIG_TEXT, type EnableArgs } from './enable.js';
export { runIsEnabled, type IsEnabledArgs } from './is-enabled.js';
export { showOffline, type ShowOfflineArgs } from './show-offline.js';
export type { OfflineResult } from './result.js';
