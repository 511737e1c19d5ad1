// The single typed binding of the native addon (native/unitvisor.c): waitpid(2), prctl(2) PR_SET_CHILD_SUBREAPER, sd_notify(3) socket, getpwnam(3), socket units' fds, posix_spawn(3), inotify(7).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readPidListInJs } from './kernel-file.js';

/** One reaped child. `status` is the exit code for 'exited', else the signal number. */
export interface WaitStatus { readonly pid: number; readonly code: 'exited' | 'killed' | 'dumped'; readonly status: number }
/** One sd_notify datagram with the sender's kernel-supplied credentials (SCM_CREDENTIALS). */
export interface NotifyDatagram { readonly pid: number; readonly uid: number; readonly gid: number; readonly text: string; readonly fdsClosed: number }
export interface NotifySocketHandle { readonly path: string; close(): void }
export interface Passwd { readonly name: string; readonly uid: number; readonly gid: number; readonly home: string; readonly shell: string }
export interface Group { readonly name: string; readonly gid: number }

/** Readiness of a listening fd; the callback runs once per start(). close() leaves the fd open. */
export interface FdWatch { start(): void; stop(): void; close(): void; /** It no longer keeps the process alive. */ unref(): void }
/** One accepted connection: its fd, systemd's instance name part, and the peer as status prints it. */
export interface AcceptedConnection { readonly fd: number; readonly instance: string; readonly peer: string }

export interface Native {
  /** prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0) (default on); throws an Error with .code (e.g. 'EPERM') on failure. */
  setChildSubreaper(on?: boolean): void;
  isChildSubreaper(): boolean;
  /** waitpid(pid, WNOHANG) for ONE pid; null while it runs; throws an Error with code 'ECHILD' if it is not our child. */
  waitpidNoHang(pid: number): WaitStatus | null;
  /** waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT): the pid of some exited child, left unreaped; 0 if none. */
  peekZombie(): number;
  /** AF_UNIX SOCK_DGRAM bound at `path` ("@name" = abstract), SO_PASSCRED on; `onMessage` runs from the event loop
   *  (uv_poll on the fd, no timers) once per datagram; every fd passed with SCM_RIGHTS is closed at once, which is
   *  what `systemd-notify` (BARRIER=1) waits for. A filesystem path is unlinked first and made mode 0777, so that
   *  services running under another User= can still notify (systemd does the same for its notify socket). */
  listenNotify(path: string, onMessage: (msg: NotifyDatagram) => void): NotifySocketHandle;
  /** Sends one datagram to `path` ("@name" = abstract), optionally passing the file descriptor `fd`. */
  sendNotify(path: string, text: string, fd?: number): void;
  /** getpwnam(3); a string of digits is looked up as a uid (getpwuid), like systemd's get_user_creds(). */
  getpwnam(name: string): Passwd | null;
  /** getgrnam(3); a string of digits is looked up as a gid (getgrgid). */
  getgrnam(name: string): Group | null;
  /** getgrouplist(3): every group of `user`, `gid` included. */
  getgrouplist(user: string, gid: number): number[];
  /** socket(), bind(), chmod() for paths, listen(); a non-blocking close-on-exec fd. Throws an Error with .code (EADDRINUSE...). */
  openListenSocket(type: string, family: 'inet' | 'inet6' | 'unix', where: string, port: number, backlog: number, flags: number, v6only: -1 | 0 | 1, mode: number): number;
  /** mkfifo(3) (an existing FIFO is reused) opened read-write and non-blocking. */
  openFifo(path: string, mode: number): number;
  watchReadable(fd: number, onReadable: () => void): FdWatch;
  /** accept4(2); null when no connection is waiting. */
  acceptConnection(fd: number, nr: number): AcceptedConnection | null;
  /** posix_spawn(3) (a vfork, not a fork) with setsid(), chdir("/"), default signals; `slots[i]` is the child's fd i:
   *  a parent fd, -1 (/dev/null) or -2 (a new pipe whose read end is `pipes[i]`). `pidfd` is -1 where pidfd_open() is refused. */
  spawnProcess(path: string, args: readonly string[], env: readonly string[], slots: readonly number[]): SpawnedByAddon;
  /** What the pipe or socket `fd` holds (F_SETPIPE_SZ, SO_SNDBUF) raised to at least `bytes`, best effort: the size after, or -errno. */
  growWriteBuffer(fd: number, bytes: number): number;
  /** One writev(2) of `buffers` (the first 64) to the non-blocking `fd`: the bytes written (a short write leaves the rest), or -errno (-EAGAIN while it is full). */
  writeBuffers(fd: number, buffers: readonly Buffer[]): number;
  /** One read(2) of the non-blocking pipe `fd` into `target`: the bytes read, 0 at its end, or -errno (-EAGAIN while it is empty). */
  readPipe(fd: number, target: Buffer): number;
  /** How many "\n" `data` holds, or -1 when it holds a NUL (which ends a line too: its lines are then not its bytes as they are). */
  countLines(data: Buffer): number;
  /** Where the last `lines` lines of `data` (lines each ended by "\n") begin; 0 when it holds no more. */
  lastLinesStart(data: Buffer, lines: number): number;
  /**
   * Each of the `lines` lines of `data` (lines each ended by "\n", as countLines() counted them) as `before` +
   * line + `after`, into `target` (at least that long); the bytes written, or -1 when a byte is not plain
   * ASCII (`json`: one JSON escapes; else one journalctl does not print as it is) or `data` does not end a
   * line. Throws a RangeError when `lines` is not their count or `target` is too small.
   */
  frameLines(data: Buffer, lines: number, before: Buffer, after: Buffer, json: boolean, target: Buffer): number;
  /** V8's Isolate::LowMemoryNotification() for this process's heap, then malloc_trim(0) (glibc); false, having not collected, where node does not export it. */
  lowMemoryNotification(): boolean;
  /** mallopt(M_MMAP_THRESHOLD, 128 KiB) (glibc): large blocks are mappings of their own from now on. */
  mapLargeBlocks(): void;
  /** The decimal numbers of a kernel file (cgroup.procs, /proc/PID/task/TID/children) read in one call; null when it cannot be read. */
  readPidList(path: string): number[] | null;
  /** inotify_init1(IN_NONBLOCK | IN_CLOEXEC); throws an Error with .code on failure. */
  inotifyOpen(): number;
  /** inotify_add_watch(2): the watch descriptor, or -errno. */
  inotifyAddWatch(fd: number, path: string, mask: number): number;
  /** inotify_rm_watch(2); a watch already gone is no error. */
  inotifyRmWatch(fd: number, wd: number): void;
  /** Absolute path of the exec helper executable built next to the addon. */
  readonly execHelperPath: string;
}

/** A child started by spawnProcess(); unreaped until waitpidNoHang(pid) says it exited. */
export interface SpawnedByAddon { readonly pid: number; readonly pidfd: number; readonly pipes: readonly number[] }

/** The functions the C addon exports (unitvisor.c: Init). */
interface RawAddon {
  setChildSubreaper(on: boolean): void;
  isChildSubreaper(): boolean;
  waitpidNoHang(pid: number): WaitStatus | null;
  peekZombie(): number;
  listenNotify(path: string, onMessage: (msg: NotifyDatagram) => void): { close(): void };
  sendNotify(path: string, text: string, fd: number): void;
  getpwnam(name: string): Passwd | null;
  getgrnam(name: string): Group | null;
  getgrouplist(user: string, gid: number): number[];
  openListenSocket: Native['openListenSocket'];
  openFifo: Native['openFifo'];
  watchReadable: Native['watchReadable'];
  acceptConnection: Native['acceptConnection'];
  spawnProcess: Native['spawnProcess'];
  growWriteBuffer: Native['growWriteBuffer'];
  writeBuffers: Native['writeBuffers'];
  readPipe: Native['readPipe'];
  countLines: Native['countLines'];
  lastLinesStart: Native['lastLinesStart'];
  frameLines: Native['frameLines'];
  inotifyOpen: Native['inotifyOpen'];
  inotifyAddWatch: Native['inotifyAddWatch'];
  inotifyRmWatch: Native['inotifyRmWatch'];
  /** Absent from an addon built before it (a checkout updated without `npm install`): nothing is done then. */
  lowMemoryNotification?: Native['lowMemoryNotification'];
  /** Absent likewise: nothing is done then. */
  mapLargeBlocks?: Native['mapLargeBlocks'];
  /** Absent likewise: the file is then read from JavaScript. */
  readPidList?: Native['readPidList'];
}

// src/process/ and dist/process/ both sit two levels below the package root.
const nativeDir = resolve(import.meta.dirname, '..', '..', 'native');

interface NodeGypBuild {
  resolve(dir: string): string;
}

/**
 * Where the addon and its exec helper are: a source build (native/build/Release, made by node-gyp) when
 * there is one, else the prebuilt pair for this platform, architecture and libc (native/prebuilds/,
 * chosen by node-gyp-build). Throws when neither exists.
 */
export function nativePaths(): { addonPath: string; execHelperPath: string } {
  const require = createRequire(import.meta.filename);
  const addonPath = (require('node-gyp-build') as NodeGypBuild).resolve(nativeDir);
  const libc = /\.(glibc|musl)\.node$/.exec(addonPath)?.[1];
  return { addonPath, execHelperPath: join(dirname(addonPath), libc ? `unitvisor-exec.${libc}` : 'unitvisor-exec') };
}

let loaded: Native | undefined;

/** Loads the addon once; throws a clear Error if it is neither built nor prebuilt for this system. */
export function loadNative(): Native {
  if (loaded !== undefined) return loaded;
  let paths: { addonPath: string; execHelperPath: string };
  try {
    paths = nativePaths();
  } catch (error) {
    throw new Error(`unitvisor native addon is not built for this system: run npm rebuild unitvisor (${(error as Error).message.trim()})`);
  }
  if (!existsSync(paths.execHelperPath)) throw new Error(`unitvisor native addon is not built: run npm rebuild unitvisor (missing ${paths.execHelperPath})`);
  const raw = createRequire(import.meta.filename)(paths.addonPath) as RawAddon;
  loaded = bind(raw, paths.execHelperPath);
  return loaded;
}

function bind(raw: RawAddon, execHelperPath: string): Native {
  return {
    setChildSubreaper: (on = true) => raw.setChildSubreaper(on),
    isChildSubreaper: () => raw.isChildSubreaper(),
    waitpidNoHang: (pid) => raw.waitpidNoHang(pid),
    peekZombie: () => raw.peekZombie(),
    listenNotify(path, onMessage) {
      const socket = raw.listenNotify(path, onMessage);
      return { path, close: () => socket.close() };
    },
    sendNotify: (path, text, fd) => raw.sendNotify(path, text, fd ?? -1),
    getpwnam: (name) => raw.getpwnam(name),
    getgrnam: (name) => raw.getgrnam(name),
    getgrouplist: (user, gid) => raw.getgrouplist(user, gid),
    openListenSocket: (...args) => raw.openListenSocket(...args),
    openFifo: (path, mode) => raw.openFifo(path, mode),
    watchReadable: (fd, onReadable) => raw.watchReadable(fd, onReadable),
    acceptConnection: (fd, nr) => raw.acceptConnection(fd, nr),
    spawnProcess: (path, args, env, slots) => raw.spawnProcess(path, args, env, slots),
    growWriteBuffer: raw.growWriteBuffer,
    writeBuffers: raw.writeBuffers,
    readPipe: raw.readPipe,
    countLines: raw.countLines,
    lastLinesStart: raw.lastLinesStart,
    frameLines: raw.frameLines,
    inotifyOpen: raw.inotifyOpen,
    inotifyAddWatch: raw.inotifyAddWatch,
    inotifyRmWatch: raw.inotifyRmWatch,
    lowMemoryNotification: () => raw.lowMemoryNotification?.() ?? false,
    mapLargeBlocks: () => raw.mapLargeBlocks?.(),
    readPidList: raw.readPidList ?? readPidListInJs,
    execHelperPath,
  };
}
