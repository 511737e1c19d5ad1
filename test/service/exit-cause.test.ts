// classifyExit(): systemd's is_clean_exit() and SuccessExitStatus= (systemd.service(5)).
import { describe, expect, test } from 'vitest';
import { classifyExit, type ExitCleanMode, type ProcessExit } from '../../src/service/exit-cause.js';
import type { ServiceResult } from '../../src/service/service-state.js';
import type { ExitStatusSet } from '../../src/unit/model.js';

const none: ExitStatusSet = { statuses: [], signals: [] };
const success: ExitStatusSet = { statuses: [42], signals: [10] };

describe('classifyExit (is_clean_exit)', () => {
  test.each<[string, ProcessExit, ExitCleanMode, ExitStatusSet, ServiceResult]>([
    ['exit 0', { code: 'exited', status: 0 }, 'daemon', none, 'success'],
    ['exit 1', { code: 'exited', status: 1 }, 'daemon', none, 'exit-code'],
    ['exit 42 listed in SuccessExitStatus=', { code: 'exited', status: 42 }, 'daemon', success, 'success'],
    ['SIGTERM for a daemon', { code: 'killed', status: 15 }, 'daemon', none, 'success'],
    ['SIGHUP for a daemon', { code: 'killed', status: 1 }, 'daemon', none, 'success'],
    ['SIGINT for a daemon', { code: 'killed', status: 2 }, 'daemon', none, 'success'],
    ['SIGPIPE for a daemon', { code: 'killed', status: 13 }, 'daemon', none, 'success'],
    ['SIGTERM for a command (oneshot/control)', { code: 'killed', status: 15 }, 'command', none, 'signal'],
    ['SIGKILL', { code: 'killed', status: 9 }, 'daemon', none, 'signal'],
    ['SIGUSR1 listed in SuccessExitStatus=', { code: 'killed', status: 10 }, 'command', success, 'success'],
    ['core dump', { code: 'dumped', status: 6 }, 'daemon', none, 'core-dump'],
    ['core dump of a listed signal is still a core dump', { code: 'dumped', status: 10 }, 'daemon', success, 'core-dump'],
  ])('%s', (_name, exit, mode, set, expected) => expect(classifyExit(exit, mode, set)).toBe(expected));
});
