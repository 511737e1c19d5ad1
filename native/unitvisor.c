/* Node-API addon: what Node cannot do itself — waitpid(2) one pid, prctl(2) PR_SET_CHILD_SUBREAPER,
 * the sd_notify(3) AF_UNIX datagram socket with SCM_CREDENTIALS, getpwnam(3)/getgrnam(3)/getgrouplist(3), and the
 * listening sockets of socket units (created, watched, accepted on), posix_spawn(3) of the exec helper, and inotify(7) for cgroup.events.
 * Only node_api.h (ABI-stable across Node 20, 22, 24) and libuv's uv_poll for the socket; V8's one call for giving
 * the heap back at rest is looked up at run time (heap-release.inc.c). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <malloc.h>
#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

/* systemd's limits for notify messages (src/core/manager.c): a datagram bigger than PIPE_BUF
 * is ignored as truncated, and at most 768 fds are accepted per message. */
#define NOTIFY_BUFFER_MAX 4096
#define NOTIFY_FD_MAX 768
#define NOTIFY_RCVBUF_SIZE (8 * 1024 * 1024)

#define NAPI_OK(call)                                   \
  do {                                                  \
    if ((call) != napi_ok) return NULL;                 \
  } while (0)

/* ---- errors: Error objects shaped like Node's system errors (.code, .errno, .syscall) ---- */

static const char *errno_name(int err) {
  switch (err) {
    case EPERM: return "EPERM";             case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";             case EINTR: return "EINTR";
    case EIO: return "EIO";                 case EBADF: return "EBADF";
    case ECHILD: return "ECHILD";           case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";           case EACCES: return "EACCES";
    case EEXIST: return "EEXIST";           case ENOTDIR: return "ENOTDIR";
    case EINVAL: return "EINVAL";           case EMFILE: return "EMFILE";
    case ENAMETOOLONG: return "ENAMETOOLONG"; case EADDRINUSE: return "EADDRINUSE";
    case ECONNREFUSED: return "ECONNREFUSED"; case ENOTSOCK: return "ENOTSOCK";
    case EMSGSIZE: return "EMSGSIZE";       case ENOBUFS: return "ENOBUFS";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL"; case ERANGE: return "ERANGE";
    case EROFS: return "EROFS";             case ENOSPC: return "ENOSPC";
    case EAFNOSUPPORT: return "EAFNOSUPPORT"; case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    default: return "UNKNOWN";
  }
}

static napi_value throw_errno(napi_env env, int err, const char *syscall, const char *path) {
  char message[512];
  if (path != NULL)
    snprintf(message, sizeof message, "%s %s: %s", syscall, path, strerror(err));
  else
    snprintf(message, sizeof message, "%s: %s", syscall, strerror(err));
  napi_value code, msg, error, errno_value, syscall_value;
  NAPI_OK(napi_create_string_utf8(env, errno_name(err), NAPI_AUTO_LENGTH, &code));
  NAPI_OK(napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg));
  NAPI_OK(napi_create_error(env, code, msg, &error));
  NAPI_OK(napi_create_int32(env, -err, &errno_value)); /* negative, as libuv and Node report it */
  NAPI_OK(napi_set_named_property(env, error, "errno", errno_value));
  NAPI_OK(napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_value));
  NAPI_OK(napi_set_named_property(env, error, "syscall", syscall_value));
  napi_throw(env, error);
  return NULL;
}

/* ---- small argument and object helpers ---- */

static bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return false;
  if (argc < want) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "missing argument");
    return false;
  }
  return true;
}

/* Copies a JS string argument into buf; throws TypeError if it is not a string or does not fit. */
static bool get_string(napi_env env, napi_value value, char *buf, size_t size) {
  size_t length;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a string");
    return false;
  }
  if (length + 1 > size) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "string argument too long");
    return false;
  }
  return napi_get_value_string_utf8(env, value, buf, size, &length) == napi_ok;
}

static bool set_number(napi_env env, napi_value obj, const char *key, double number) {
  napi_value value;
  return napi_create_double(env, number, &value) == napi_ok &&
         napi_set_named_property(env, obj, key, value) == napi_ok;
}

static bool set_string(napi_env env, napi_value obj, const char *key, const char *text, size_t length) {
  napi_value value;
  return napi_create_string_utf8(env, text, length, &value) == napi_ok &&
         napi_set_named_property(env, obj, key, value) == napi_ok;
}

/* True if `name` is a decimal uid/gid, as systemd's parse_uid() accepts it (User=1000). */
static bool parse_id(const char *name, unsigned long *id) {
  if (name[0] < '0' || name[0] > '9') return false;
  char *end;
  errno = 0;
  *id = strtoul(name, &end, 10);
  /* (uid_t)-1 and the 16-bit -1 are never valid ids (systemd's uid_is_valid()). */
  return errno == 0 && *end == '\0' && *id < 0xFFFFFFFFUL && *id != 0xFFFFUL;
}

/* ---- prctl(PR_SET_CHILD_SUBREAPER): orphans of our services are reparented to us, not to PID 1 ---- */

/* setChildSubreaper(on = true): off again when the last supervisor of the process shuts down. */
static napi_value set_child_subreaper(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool on = true;
  NAPI_OK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  /* Anything but a boolean (napi_boolean_expected, nothing thrown) leaves it on. */
  if (argc >= 1 && napi_get_value_bool(env, argv[0], &on) != napi_ok) on = true;
  if (prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) < 0) return throw_errno(env, errno, "prctl", "PR_SET_CHILD_SUBREAPER");
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

static napi_value is_child_subreaper(napi_env env, napi_callback_info info) {
  int flag = 0;
  if (prctl(PR_GET_CHILD_SUBREAPER, &flag, 0, 0, 0) < 0) return throw_errno(env, errno, "prctl", "PR_GET_CHILD_SUBREAPER");
  napi_value result;
  NAPI_OK(napi_get_boolean(env, flag != 0, &result));
  return result;
}

/* ---- waitpid(pid, WNOHANG) for exactly one pid: never -1 or a group, which would steal libuv's children ---- */

static napi_value waitpid_no_hang(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  int32_t pid;
  if (napi_get_value_int32(env, argv[0], &pid) != napi_ok || pid <= 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE", "waitpidNoHang: pid must be a positive integer");
    return NULL;
  }
  int status = 0;
  pid_t got;
  do got = waitpid(pid, &status, WNOHANG); while (got < 0 && errno == EINTR);
  if (got < 0) {
    char what[32];
    snprintf(what, sizeof what, "%d", pid);
    return throw_errno(env, errno, "waitpid", what);
  }
  napi_value result;
  if (got == 0) {
    NAPI_OK(napi_get_null(env, &result));
    return result;
  }
  const char *code = WIFEXITED(status) ? "exited" : WCOREDUMP(status) ? "dumped" : "killed";
  int value = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
  NAPI_OK(napi_create_object(env, &result));
  if (!set_number(env, result, "pid", got) || !set_string(env, result, "code", code, NAPI_AUTO_LENGTH) ||
      !set_number(env, result, "status", value))
    return NULL;
  return result;
}

/* ---- waitid(P_ALL, WNOWAIT): which child is a zombie, without reaping it (libuv may own it) ---- */

static napi_value peek_zombie(napi_env env, napi_callback_info info) {
  (void)info;
  siginfo_t si;
  memset(&si, 0, sizeof si);
  int rc;
  do rc = waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT); while (rc < 0 && errno == EINTR);
  napi_value result;
  /* ECHILD (no child at all) and "none exited" both read as 0. */
  NAPI_OK(napi_create_int32(env, rc < 0 ? 0 : (int32_t)si.si_pid, &result));
  return result;
}

/* ---- socket addresses: "@name" is Linux's abstract namespace, as in $NOTIFY_SOCKET (sd_notify(3)) ---- */

static bool make_address(napi_env env, const char *path, struct sockaddr_un *sa, socklen_t *len) {
  size_t n = strlen(path);
  memset(sa, 0, sizeof *sa);
  sa->sun_family = AF_UNIX;
  if (n == 0 || n >= sizeof sa->sun_path) {
    throw_errno(env, n == 0 ? EINVAL : ENAMETOOLONG, "socket address", path);
    return false;
  }
  memcpy(sa->sun_path, path, n);
  if (path[0] == '@') sa->sun_path[0] = '\0';
  /* Abstract names have no trailing NUL in their length: sd_notify() connects with exactly this length. */
  *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '@' ? 0 : 1));
  return true;
}

#include "notify-socket.inc.c"
#include "passwd.inc.c"
#include "listen-socket.inc.c"
#include "spawn-process.inc.c"
#include "output-lines.inc.c"
#include "heap-release.inc.c"
#include "pid-list.inc.c"
#include "inotify.inc.c"

/* ---- module init ---- */

/* Each Node-API function the addon calls is one lookup of its name in node's symbol table (7.6 MB, a page
 * of its entries and one of its names in the daemon's RSS for each): the exports are set with the calls that
 * every call of the addon needs anyway, rather than with napi_define_properties(). */
static napi_value init(napi_env env, napi_value exports) {
  static const struct {
    const char *name;
    napi_callback function;
  } functions[] = {
    {"setChildSubreaper", set_child_subreaper},
    {"isChildSubreaper", is_child_subreaper},
    {"waitpidNoHang", waitpid_no_hang},
    {"peekZombie", peek_zombie},
    {"listenNotify", listen_notify},
    {"sendNotify", send_notify},
    {"getpwnam", js_getpwnam},
    {"getgrnam", js_getgrnam},
    {"getgrouplist", js_getgrouplist},
    {"openListenSocket", open_listen_socket},
    {"openFifo", open_fifo},
    {"watchReadable", watch_readable},
    {"acceptConnection", accept_connection},
    {"spawnProcess", spawn_process},
    {"growWriteBuffer", grow_write_buffer},
    {"writeBuffers", write_buffers},
    {"readPipe", read_pipe},
    {"countLines", count_lines},
    {"lastLinesStart", last_lines_start},
    {"frameLines", frame_lines},
    {"lowMemoryNotification", low_memory_notification},
    {"mapLargeBlocks", map_large_blocks},
    {"readPidList", read_pid_list},
    {"inotifyOpen", inotify_open},
    {"inotifyAddWatch", inotify_add},
    {"inotifyRmWatch", inotify_rm},
  };
  if (!init_notify_state(env) || !init_watch_class(env, state_of(env))) return NULL;
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    napi_value function;
    NAPI_OK(napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].function, NULL, &function));
    NAPI_OK(napi_set_named_property(env, exports, functions[i].name, function));
  }
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
