// notify-socket.ts: the manager's $NOTIFY_SOCKET receives sd_notify(3) datagrams with the sender's pid.
import { randomBytes } from 'node:crypto';
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { execa } from 'execa';
import { loadNative } from '../../src/process/native.js';
import { notifySocketPath, openNotifySocket, type NotifyMessage, type NotifySocket } from '../../src/process/notify-socket.js';
import { spawnExec } from '../../src/process/spawn.js';
import { blockLines } from '../../src/protocol/output-block.js';
import { defaultExecContext } from '../../src/unit/settings/defaults.js';
import { expectNoLeakedProcesses, ownerEnvironment } from '../helpers/processes.js';
import { bin } from '../helpers/use-tmp-units.js';
import { tempDir } from '../helpers/temp-files.js';

const native = loadNative();
const sockets: NotifySocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});
afterEach(expectNoLeakedProcesses);

function listen(path: string): { socket: NotifySocket; messages: NotifyMessage[] } {
  const messages: NotifyMessage[] = [];
  const opened = openNotifySocket(path, (message) => messages.push(message), native);
  if (!opened.ok) throw new Error(opened.error.message);
  sockets.push(opened.value);
  return { socket: opened.value, messages };
}

// Like /run: every user may traverse it to reach the socket.
function runtimeDir(): string {
  const dir = tempDir('unitvisor-run-');
  chmodSync(dir, 0o755);
  return join(dir, 'unitvisor');
}

describe('openNotifySocket', () => {
  test('a datagram from a service arrives with its pid; the socket is writable by every user (0777)', async () => {
    const path = notifySocketPath(runtimeDir());
    const { socket, messages } = listen(path);
    expect(socket.path).toBe(path);
    expect(statSync(path).mode & 0o777).toBe(0o777);
    const child = execa(process.execPath, [bin('notify-ready'), '--exit', 'READY=1', 'STATUS=Serving'], { env: { NOTIFY_SOCKET: path } });
    await child;
    await expect.poll(() => messages).toEqual([{ pid: child.pid, uid: process.getuid?.(), gid: process.getgid?.(), text: 'READY=1\nSTATUS=Serving' }]);
  });

  test("systemd-notify sends on its caller's behalf, then waits on a BARRIER=1 fd that we close", async () => {
    const path = notifySocketPath(runtimeDir());
    const { messages } = listen(path);
    // systemd-notify exits only after the barrier's fd was closed by the receiver.
    const child = execa(process.execPath, [bin('notify-ready'), '--via', 'systemd-notify', '--exit', 'READY=1'], {
      env: { NOTIFY_SOCKET: path, PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeout: 10_000,
    });
    expect((await child).exitCode).toBe(0);
    await expect.poll(() => messages.map((m) => m.text)).toEqual(['READY=1', 'BARRIER=1']);
    // As root, systemd-notify claims its parent's pid (the service's process), so NotifyAccess=main works.
    expect(messages[0]?.pid).toBe(child.pid);
  });

  test('a service spawned through the exec helper notifies with the pid spawnExec returned', async () => {
    const path = notifySocketPath(runtimeDir());
    const { messages } = listen(path);
    const argv = [process.execPath, bin('notify-ready'), 'READY=1', 'MAINPID=1234'];
    const output: string[] = [];
    const spawned = spawnExec({
      command: { path: process.execPath, argv, ignoreFailure: false, noEnvExpand: false, fullPrivileges: false, privilegesMode: 'normal', file: 'n.service', line: 1 },
      argv,
      environment: { NOTIFY_SOCKET: path, ...ownerEnvironment() },
      onOutput: (_stream, block) => output.push(...blockLines(block.text)),
      exec: { ...defaultExecContext(), user: 'nobody' },
    });
    if (!spawned.ok) throw new Error(spawned.error.message);
    const { pid } = spawned.value;
    // Sent as User=nobody: the 0777 socket accepts it, and the kernel vouches for pid and uid.
    await expect.poll(() => messages).toEqual([{ pid, uid: 65534, gid: 65534, text: 'READY=1\nMAINPID=1234' }]);
    expect(output).toEqual([]);
    process.kill(pid, 'SIGTERM');
    expect(await spawned.value.exited).toMatchObject({ code: 'killed', status: 15 });
  });

  test('an abstract socket ("@name") leaves no file behind', async () => {
    const path = `@unitvisor-test-${randomBytes(6).toString('hex')}`;
    const { messages } = listen(path);
    native.sendNotify(path, 'WATCHDOG=1');
    await expect.poll(() => messages.map((m) => m.text)).toEqual(['WATCHDOG=1']);
    expect(messages[0]?.pid).toBe(process.pid);
  });

  test('a path longer than sockaddr_un allows is an error value', () => {
    const path = `/tmp/${'x'.repeat(120)}/notify`;
    const opened = openNotifySocket(path, () => undefined, native);
    expect(opened.ok).toBe(false);
    expect(!opened.ok && opened.error.message).toMatch(/^Notify socket path is too long/);
  });

  test('after close() nothing is received and the path can be bound again', async () => {
    const path = notifySocketPath(runtimeDir());
    const first = listen(path);
    first.socket.close();
    const second = listen(path);
    native.sendNotify(path, 'READY=1');
    await expect.poll(() => second.messages.length).toBe(1);
    expect(first.messages).toEqual([]);
  });
});
