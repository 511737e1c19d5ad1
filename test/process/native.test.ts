// The native addon against the real kernel: prctl(2) subreaper, waitpid(2), the sd_notify(3) socket with the
// real systemd-notify(1) client, and NSS lookups (getpwnam(3), getgrnam(3), getgrouplist(3)).
import { describe, test, expect, onTestFinished } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync, statSync, existsSync, accessSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNative, type FdWatch, type NotifyDatagram } from '../../src/process/native.js';
import { bin } from '../helpers/use-tmp-units.js';

const native = loadNative();

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'unitvisor-native-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Listens at `path` and collects every datagram; closed when the test ends. */
function collect(path: string): NotifyDatagram[] {
  const messages: NotifyDatagram[] = [];
  const handle = native.listenNotify(path, (msg) => messages.push(msg));
  onTestFinished(() => handle.close());
  return messages;
}

/** Runs a command to completion; resolves with its pid, exit code and stdout. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ pid: number; code: number | null; stdout: string }> {
  const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ pid: child.pid ?? 0, code, stdout }));
  });
}

describe('loadNative', () => {
  test('finds the addon and the exec helper built by npm ci', () => {
    expect(native).toBe(loadNative());
    expect(native.execHelperPath).toMatch(/native\/(build\/Release\/unitvisor-exec|prebuilds\/linux-\w+\/unitvisor-exec\.(glibc|musl))$/);
    expect(() => accessSync(native.execHelperPath, constants.X_OK)).not.toThrow();
  });
});

describe('child subreaper and waitpidNoHang', () => {
  test('a subreaper adopts orphaned grandchildren and reaps them with their exit status', async () => {
    // In a separate node process: the test runner itself must never become a subreaper.
    expect(native.isChildSubreaper()).toBe(false);
    const { code, stdout } = await run(process.execPath, [bin('subreaper-probe')]);
    const report = JSON.parse(stdout) as {
      pid: number; before: boolean; after: boolean; orphans: number[]; ppids: number[]; reaped: unknown[];
    };
    expect(code).toBe(0);
    expect(report.before).toBe(false);
    expect(report.after).toBe(true);
    expect(report.ppids).toEqual([report.pid, report.pid]);
    expect(report.reaped).toHaveLength(2);
    expect(report.reaped).toContainEqual({ pid: report.orphans[0], code: 'exited', status: 7 });
    expect(report.reaped).toContainEqual({ pid: report.orphans[1], code: 'killed', status: 15 });
    for (const pid of report.orphans) expect(existsSync(`/proc/${pid}`)).toBe(false);
  });

  test('returns null for a running child and throws ECHILD for a process that is not our child', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    expect(native.waitpidNoHang(child.pid ?? 0)).toBeNull();
    child.kill('SIGKILL');
    // libuv, not us, reaps the children Node spawned: its exit status stays intact.
    await expect(exited).resolves.toBe('SIGKILL');
    expect(() => native.waitpidNoHang(process.ppid)).toThrow(expect.objectContaining({ code: 'ECHILD', syscall: 'waitpid' }));
  });

  test.each([0, -1])('refuses pid %i, which would wait for any child and steal libuv statuses', (pid) => {
    expect(() => native.waitpidNoHang(pid)).toThrow(TypeError);
  });
});

describe('notify socket', () => {
  test('receives systemd-notify --ready --status with the sender credentials, and the barrier returns at once', async () => {
    const path = join(tempDir(), 'notify');
    const messages = collect(path);
    // systemd-notify pretends to be its parent (the shell), then sends BARRIER=1 with a pipe fd and waits
    // (up to 5 s) for the fd to be closed by the receiver.
    const sh = await run('sh', ['-c', 'systemd-notify --ready --status="up and running"; echo rc=$?'], { ...process.env, NOTIFY_SOCKET: path });
    // systemd-notify fails ("Failed to invoke barrier") if the fd is not closed within its 5 s: rc=0 proves it was.
    expect(sh.stdout).toBe('rc=0\n');
    await expect.poll(() => messages.length).toBe(2);
    expect(messages[0]).toEqual({ pid: sh.pid, uid: process.getuid?.(), gid: process.getgid?.(), text: 'READY=1\nSTATUS=up and running', fdsClosed: 0 });
    expect(messages[1]).toMatchObject({ text: 'BARRIER=1', fdsClosed: 1 });
  });

  test('systemd-notify --pid= sends MAINPID=', async () => {
    const path = join(tempDir(), 'notify');
    const messages = collect(path);
    const sh = await run('systemd-notify', ['--pid=4242', 'EXTEND_TIMEOUT_USEC=1000000'], { ...process.env, NOTIFY_SOCKET: path });
    expect(sh.code).toBe(0);
    await expect.poll(() => messages.map((m) => m.text)).toEqual(['MAINPID=4242\nEXTEND_TIMEOUT_USEC=1000000', 'BARRIER=1']);
  });

  test('abstract socket names ("@name") work with systemd-notify', async () => {
    const name = `@unitvisor-test-${process.pid}-${Date.now()}`;
    const messages = collect(name);
    const sh = await run('systemd-notify', ['--ready'], { ...process.env, NOTIFY_SOCKET: name });
    expect(sh.code).toBe(0);
    await expect.poll(() => messages.map((m) => m.text)).toEqual(['READY=1', 'BARRIER=1']);
  });

  test('a filesystem socket is world-writable like /run/systemd/notify and is removed by close()', () => {
    const path = join(tempDir(), 'notify');
    const handle = native.listenNotify(path, () => undefined);
    expect(handle.path).toBe(path);
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o777);
    handle.close();
    handle.close();
    expect(existsSync(path)).toBe(false);
  });

  test('a stale socket file is replaced', async () => {
    const path = join(tempDir(), 'notify');
    native.listenNotify(path, () => undefined).close();
    const first = native.listenNotify(path, () => undefined);
    const messages = collect(path); // binds over the first one's file, as systemd does after a restart
    native.sendNotify(path, 'READY=1');
    await expect.poll(() => messages.length).toBe(1);
    first.close(); // must not remove the newer listener's socket file
    native.sendNotify(path, 'STATUS=still here');
    await expect.poll(() => messages.map((m) => m.text)).toEqual(['READY=1', 'STATUS=still here']);
  });

  test('every fd passed with SCM_RIGHTS is closed at once', async () => {
    const dir = tempDir();
    const path = join(dir, 'notify');
    const messages = collect(path);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const readEnd = openSync(join(dir, 'fifo'), constants.O_RDONLY | constants.O_NONBLOCK);
    const writeEnd = openSync(join(dir, 'fifo'), constants.O_WRONLY);
    onTestFinished(() => closeSync(readEnd));
    native.sendNotify(path, 'FDSTORE=1', writeEnd);
    closeSync(writeEnd);
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toMatchObject({ text: 'FDSTORE=1', fdsClosed: 1, pid: process.pid });
    // With no writer left anywhere, the FIFO reads end-of-file instead of EAGAIN.
    expect(readSync(readEnd, Buffer.alloc(8))).toBe(0);
  });

  test('drops what systemd drops: payloads over 4096 bytes and embedded NULs; delivers the rest in order', async () => {
    const path = join(tempDir(), 'notify');
    const messages = collect(path);
    native.sendNotify(path, `STATUS=${'x'.repeat(5000)}`);
    native.sendNotify(path, 'STATUS=a\0b');
    native.sendNotify(path, `STATUS=${'y'.repeat(4089)}`); // exactly 4096 bytes
    native.sendNotify(path, 'READY=1\n');
    await expect.poll(() => messages.length).toBe(2);
    expect(messages.map((m) => m.text.length)).toEqual([4096, 8]);
  });

  test('a callback can close the socket; later datagrams are not delivered', async () => {
    const path = join(tempDir(), 'notify');
    const seen: string[] = [];
    const handle = native.listenNotify(path, (msg) => {
      seen.push(msg.text);
      handle.close();
    });
    native.sendNotify(path, 'A=1');
    native.sendNotify(path, 'B=2');
    await expect.poll(() => seen).toEqual(['A=1']);
    expect(existsSync(path)).toBe(false);
  });

  test.each([
    ['a missing directory', '/nonexistent-dir/notify', 'ENOENT'],
    ['a path too long for sun_path', `/tmp/${'x'.repeat(120)}`, 'ENAMETOOLONG'],
  ])('listening at %s throws an Error with .code', (_what, path, code) => {
    expect(() => native.listenNotify(path, () => undefined)).toThrow(expect.objectContaining({ code }));
  });

  test('sending to a socket nobody listens on throws ECONNREFUSED or ENOENT', () => {
    expect(() => native.sendNotify(join(tempDir(), 'none'), 'READY=1')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => native.sendNotify(`@unitvisor-nobody-${process.pid}`, 'READY=1')).toThrow(expect.objectContaining({ code: 'ECONNREFUSED' }));
  });
});

describe('user and group database', () => {
  test.each([
    ['root', { name: 'root', uid: 0, gid: 0, home: '/root' }],
    ['0', { name: 'root', uid: 0, gid: 0, home: '/root' }],
    ['nobody', { name: 'nobody', uid: 65534, gid: 65534 }],
    ['65534', { name: 'nobody', uid: 65534 }],
  ])('getpwnam(%s)', (name, expected) => {
    expect(native.getpwnam(name)).toMatchObject(expected);
    expect(typeof native.getpwnam(name)?.shell).toBe('string');
  });

  test.each(['no-such-user-xyz', '4000000', '4294967295', '65535'])('getpwnam(%s) is null', (name) => {
    expect(native.getpwnam(name)).toBeNull();
  });

  test.each([
    ['root', { name: 'root', gid: 0 }],
    ['0', { name: 'root', gid: 0 }],
    ['nogroup', { name: 'nogroup', gid: 65534 }],
    ['no-such-group-xyz', null],
  ])('getgrnam(%s)', (name, expected) => {
    expect(native.getgrnam(name)).toEqual(expected);
  });

  test('getgrouplist matches id(1)', () => {
    const groups = native.getgrouplist('root', 0);
    const fromId = execFileSync('id', ['-G', 'root'], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
    expect([...groups].sort((a, b) => a - b)).toEqual([...new Set(fromId)].sort((a, b) => a - b));
    expect(native.getgrouplist('nobody', 65534)).toContain(65534);
  });
});

describe('readiness watch (watchReadable)', () => {
  test('calls back once per start() when the fd is readable; two watches share one set of methods; close() ends it', async () => {
    const dir = tempDir();
    const fds = ['a', 'b'].map((name) => native.openFifo(join(dir, name), 0o600));
    onTestFinished(() => fds.forEach((fd) => closeSync(fd)));
    let calls = 0;
    const readable = new Promise<void>((resolve) => {
      const first = native.watchReadable(fds[0]!, () => {
        calls++;
        first.close();
        resolve();
      });
      first.start();
    });
    const second = native.watchReadable(fds[1]!, () => {});
    onTestFinished(() => second.close());
    writeSync(fds[0]!, 'x');
    await readable;
    expect(calls).toBe(1);
    // Every service's process has a watch on its pidfd: its methods are not made anew for each.
    const other = native.watchReadable(fds[0]!, () => {});
    other.close();
    expect(other.start).toBe(second.start);
    expect(other.close).toBe(second.close);
    expect(() => second.start.call({})).toThrow(TypeError);
  });

  test('a start() from the callback watches on, a stop() after it ends that; the fd stays readable throughout', async () => {
    const dir = tempDir();
    const [fd, other] = ['a', 'b'].map((name) => native.openFifo(join(dir, name), 0o600)) as [number, number];
    onTestFinished(() => [fd, other].forEach((f) => closeSync(f)));
    // Never drained: level-triggered, each started watch fires on every turn of the loop.
    writeSync(fd, 'x');
    writeSync(other, 'x');
    let calls = 0;
    const thrice = new Promise<void>((resolve) => {
      const watch: FdWatch = native.watchReadable(fd, () => {
        if (++calls < 3) return watch.start();
        watch.start();
        watch.stop();
        onTestFinished(() => watch.close());
        resolve();
      });
      watch.start();
    });
    await thrice;
    // The other fd's watch fires on two later turns of the loop: the stopped one, as readable, would too.
    let turns = 0;
    await new Promise<void>((resolve) => {
      const watch: FdWatch = native.watchReadable(other, () => {
        if (++turns < 2) return watch.start();
        watch.close();
        resolve();
      });
      watch.start();
    });
    expect(calls).toBe(3);
  });
});
