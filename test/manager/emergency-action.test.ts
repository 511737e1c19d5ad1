// SuccessAction=/FailureAction=/StartLimitAction=: systemd 252's log words and the exit code rule
// (unit_success_action_exit_status()/unit_failure_action_exit_status()).
import { describe, expect, test } from 'vitest';
import { actionExitStatus, decideEmergencyAction } from '../../src/manager/emergency-action.js';

describe('actionExitStatus', () => {
  const exited = (status: number) => ({ pid: 12, exitWallMs: 1000, code: 1, status });
  test.each([
    ['the configured status wins', 7, exited(3), 7],
    ["else the main process's exit status", undefined, exited(3), 3],
    ['255 when the main process was killed by a signal', undefined, { pid: 12, exitWallMs: 1000, code: 2, status: 9 }, 255],
    ['255 when it dumped core', undefined, { pid: 12, exitWallMs: 1000, code: 3, status: 11 }, 255],
    ['nothing when there was no main process', undefined, { pid: 0, exitWallMs: 0, code: 0, status: 0 }, undefined],
    ['nothing when the main process has not exited', undefined, { pid: 12, exitWallMs: 0, code: 0, status: 0 }, undefined],
    ['nothing for a unit without processes (a target)', undefined, undefined, undefined],
  ])('%s', (_name, configured, main, expected) => {
    expect(actionExitStatus(configured, main)).toBe(expected);
  });
});

describe('decideEmergencyAction', () => {
  test.each([
    ['exit', false, { message: 'Exiting: unit app.service succeeded', level: 'debug', exitCode: 4, force: false }],
    ['exit-force', false, { message: 'Exiting immediately: unit app.service succeeded', level: 'debug', exitCode: 4, force: true }],
    ['poweroff', false, { message: 'Powering off: unit app.service succeeded', level: 'debug', exitCode: undefined, force: false }],
    ['reboot-force', true, { message: 'Forcibly rebooting: unit app.service succeeded', level: 'warning', exitCode: undefined, force: true }],
    ['halt-immediate', true, { message: 'Halting immediately: unit app.service succeeded', level: 'warning', exitCode: undefined, force: true }],
  ] as const)('%s (warn=%s)', (action, warn, expected) => {
    expect(decideEmergencyAction(action, 'unit app.service succeeded', warn, 4)).toEqual(expected);
  });
});
