/* ---- inotify(7) on one fd for every unit's cgroup.events: a watch is a number in a table, not a handle ----
 * fs.watch() makes a handle per watched file (its JS object, libuv's uv_fs_event_t and path list), whose
 * close runs through libuv and two callbacks: paid by every unit at each stop. The caller reads the events
 * from the fd (readPipe) when watchReadable() says it is readable. */
#include <sys/inotify.h>

/* inotifyOpen() → a non-blocking, close-on-exec inotify fd; throws an Error with .code on failure. */
static napi_value inotify_open(napi_env env, napi_callback_info info) {
  (void)info;
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return throw_errno(env, errno, "inotify_init1", NULL);
  napi_value result;
  NAPI_OK(napi_create_int32(env, fd, &result));
  return result;
}

/* inotifyAddWatch(fd, path, mask) → the watch descriptor, or -errno (ENOENT: the cgroup is gone). */
static napi_value inotify_add(napi_env env, napi_callback_info info) {
  napi_value argv[3], result;
  int32_t fd;
  uint32_t mask;
  char path[4096];
  if (!get_args(env, info, 3, argv)) return NULL;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_uint32(env, argv[2], &mask) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "inotifyAddWatch: fd and mask must be numbers");
    return NULL;
  }
  if (!get_string(env, argv[1], path, sizeof path)) return NULL;
  int wd = inotify_add_watch(fd, path, mask);
  NAPI_OK(napi_create_int32(env, wd < 0 ? -errno : wd, &result));
  return result;
}

/* inotifyRmWatch(fd, wd): the watch removed (an IN_IGNORED event follows); one already gone is no error. */
static napi_value inotify_rm(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd, wd;
  if (!get_args(env, info, 2, argv) || napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int32(env, argv[1], &wd) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "inotifyRmWatch: fd and wd must be numbers");
    return NULL;
  }
  inotify_rm_watch(fd, wd);
  return NULL;
}
