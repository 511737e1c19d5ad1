// Seccomp filters loaded by the exec helper through libseccomp.so.2, seen from real services: a forbidden call
// kills the process with SIGSYS or fails with SystemCallErrorNumber=, socket(2) refuses a family not allowed, and
// MemoryDenyWriteExecute= refuses a writable and executable mapping (systemd.exec(5) "System Call Filtering").
import { afterEach, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { expectNoLeakedProcesses } from '../helpers/processes.js';
import { nativePaths } from '../../src/process/native.js';
import { messagesOf, shutdownSupervisors, supervise } from './supervise.js';

const available = spawnSync(nativePaths().execHelperPath, ['--seccomp-available']).status === 0;
if (!available) console.log('seccomp tests skipped: libseccomp.so.2 cannot be loaded here');

afterEach(async () => {
  await shutdownSupervisors();
  await expectNoLeakedProcesses();
});

/** Runs one oneshot; its output, and how its main process ended. */
async function run(...lines: string[]): Promise<{ output: string[]; code: string | undefined; status: string | undefined; result: string | undefined; messages: string[] }> {
  const { sv } = await supervise({ 's.service': ['[Service]', 'Type=oneshot', ...lines].join('\n') });
  await sv.start('s.service').catch(() => undefined);
  const show = sv.show('s.service');
  return { output: sv.output('s.service'), code: show['ExecMainCode'], status: show['ExecMainStatus'], result: show['Result'], messages: messagesOf(sv, 's.service') };
}

describe.skipIf(!available)('SystemCallFilter=', () => {
  // As systemd 252 runs it: Result=signal, ExecMainCode=2, ExecMainStatus=31, and these lines.
  test('a denied call kills the process with SIGSYS, as systemd does by default', async () => {
    const r = await run('SystemCallFilter=~uname', 'ExecStart=/usr/bin/uname');
    expect(r).toMatchObject({ code: '2', status: '31', result: 'signal', output: [] });
    expect(r.messages).toEqual(expect.arrayContaining(['s.service: Main process exited, code=killed, status=31/SYS', "s.service: Failed with result 'signal'."]));
  });

  // uname's complaint goes to standard output (2>&1): lines of stdout and stderr are read from two pipes, so
  // their order across the two is not kept.
  test('with SystemCallErrorNumber= the call fails with that errno and the program carries on', async () => {
    const r = await run('SystemCallFilter=~uname', 'SystemCallErrorNumber=EPERM', "ExecStart=/bin/sh -c '/usr/bin/uname 2>&1; echo after $?'");
    expect(r.output).toEqual(['/usr/bin/uname: cannot get system name: Operation not permitted', 'after 1']);
  });

  test('an allow list (@system-service) runs an ordinary program and kills one making a call outside it', async () => {
    expect((await run('SystemCallFilter=@system-service', "ExecStart=/bin/sh -c 'ls / >/dev/null && echo listed'")).output).toEqual(['listed']);
    expect(await run('SystemCallFilter=@system-service', 'ExecStart=/usr/sbin/chroot / /bin/true')).toMatchObject({ code: '2', status: '31' });
  });

  test('a User= service gets its filter too (no_new_privs, as systemd implies it), a "+" command none', async () => {
    const r = await run('User=nobody', 'SystemCallFilter=~uname', 'SystemCallErrorNumber=EACCES', "ExecStart=/bin/sh -c '/usr/bin/uname 2>&1; grep ^NoNewPrivs: /proc/self/status'", 'ExecStart=+/usr/bin/uname');
    expect(r.output).toEqual(['/usr/bin/uname: cannot get system name: Permission denied', 'NoNewPrivs:\t1', 'Linux']);
  });
});

describe.skipIf(!available)('RestrictAddressFamilies= and MemoryDenyWriteExecute=', () => {
  test('socket(2) of a family not allowed fails with EAFNOSUPPORT; an allowed one gets as far as connecting', async () => {
    const r = await run(
      'RestrictAddressFamilies=AF_UNIX AF_INET',
      "ExecStart=/bin/bash -c '(exec 3<>/dev/tcp/::1/9) 2>&1 | grep -o \"Address family not supported by protocol\" | head -n1; exit 0'",
      "ExecStart=/bin/bash -c '(exec 3<>/dev/tcp/127.0.0.1/9) 2>&1 | grep -o \"Connection refused\" | head -n1; exit 0'",
    );
    expect(r.output).toEqual(['Address family not supported by protocol', 'Connection refused']);
  });

  // mmap(NULL, 4096, PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) through perl's syscall(): 9 is x86-64's mmap.
  test.runIf(process.arch === 'x64')('a writable and executable mapping is refused with EPERM', async () => {
    const mmap = "ExecStart=/usr/bin/perl -e '$$r = syscall(9, 0, 4096, 6, 0x22, -1, 0); print $$r == -1 ? \"$$!\\n\" : \"mapped\\n\"'";
    expect((await run('MemoryDenyWriteExecute=yes', mmap)).output).toEqual(['Operation not permitted']);
    expect((await run(mmap)).output).toEqual(['mapped']);
  });
});
