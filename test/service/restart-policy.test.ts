// Restart=: the 7×5 table of systemd.service(5), cell by cell, and Prevent/Force exit statuses.
import { describe, expect, test } from 'vitest';
import { EXIT_CAUSES, RESTART_TABLE, exitCauseOf, shouldRestart } from '../../src/service/restart-policy.js';
import type { ServiceResult } from '../../src/service/service-state.js';
import { RESTART_MODES, type RestartMode } from '../../src/unit/model.js';

const none = { statuses: [], signals: [] };

// systemd.service(5) Table 2, written independently as X marks per row (clean, exit-code, signal, timeout, watchdog).
const MAN_PAGE: Record<RestartMode, string> = {
  no: '.....',
  always: 'XXXXX',
  'on-success': 'X....',
  'on-failure': '.XXXX',
  'on-abnormal': '..XXX',
  'on-abort': '..X..',
  'on-watchdog': '....X',
};

/** A Result producing each column. */
const RESULT_OF_CAUSE = {
  clean: 'success',
  'unclean-exit-code': 'exit-code',
  'unclean-signal': 'signal',
  timeout: 'timeout',
  watchdog: 'watchdog',
} as const;

const cells = RESTART_MODES.flatMap((mode) =>
  EXIT_CAUSES.map((cause, i) => ({ mode, cause, expected: MAN_PAGE[mode][i] === 'X' })),
);

describe('Restart= table', () => {
  test('has 35 cells', () => expect(cells).toHaveLength(35));

  test.each(cells)('Restart=$mode on $cause → $expected', ({ mode, cause, expected }) => {
    expect(RESTART_TABLE[mode][cause]).toBe(expected);
    const result = RESULT_OF_CAUSE[cause];
    const exit = result === 'exit-code' ? { code: 'exited' as const, status: 1 } : result === 'signal' ? { code: 'killed' as const, status: 9 } : undefined;
    expect(shouldRestart(mode, result, exit, none, none)).toBe(expected);
  });

  test.each<[ServiceResult, string]>([
    ['core-dump', 'unclean-signal'],
    ['resources', 'timeout'],
    ['protocol', 'timeout'],
    ['oom-kill', 'timeout'],
    ['exec-condition', 'skipped'],
  ])('Result=%s counts as %s', (result, cause) => expect(exitCauseOf(result)).toBe(cause));

  test('a skipped ExecCondition= never restarts, not even with Restart=always', () => {
    expect(shouldRestart('always', 'exec-condition', { code: 'exited', status: 1 }, none, none)).toBe(false);
  });
});

describe('RestartPreventExitStatus= / RestartForceExitStatus=', () => {
  test.each([
    ['prevent wins over the table', 'on-failure', 'exit-code', { code: 'exited', status: 3 }, { statuses: [3], signals: [] }, none, false],
    ['prevent matches signals', 'always', 'signal', { code: 'killed', status: 15 }, { statuses: [], signals: [15] }, none, false],
    ['prevent does not match another status', 'on-failure', 'exit-code', { code: 'exited', status: 4 }, { statuses: [3], signals: [] }, none, true],
    ['force restarts a clean exit', 'on-failure', 'success', { code: 'exited', status: 0 }, none, { statuses: [0], signals: [] }, true],
    ['force restarts with Restart=no', 'no', 'exit-code', { code: 'exited', status: 42 }, none, { statuses: [42], signals: [] }, true],
    ['force matches core dumps by signal', 'no', 'core-dump', { code: 'dumped', status: 6 }, none, { statuses: [], signals: [6] }, true],
    ['prevent beats force', 'always', 'exit-code', { code: 'exited', status: 7 }, { statuses: [7], signals: [] }, { statuses: [7], signals: [] }, false],
    ['no main exit: sets do not apply', 'no', 'timeout', undefined, none, { statuses: [0], signals: [] }, false],
  ] as const)('%s', (_name, mode, result, exit, prevent, force, expected) => {
    expect(shouldRestart(mode, result, exit, prevent, force)).toBe(expected);
  });
});
