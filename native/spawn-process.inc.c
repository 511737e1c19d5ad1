/* ---- spawning without fork(): posix_spawn(3), which glibc runs as clone(CLONE_VM|CLONE_VFORK) ----
 * libuv forks: the kernel copies the supervisor's page tables and the child tears them down again at
 * execve(), work that grows with the supervisor's memory and is paid once per spawned service. A vfork
 * shares the memory until execve() and costs the same whatever the supervisor's size. The child does
 * exactly what libuv's child does before execve(): stdio and extra fds in place, setsid(), chdir("/"),
 * default signal dispositions and an empty signal mask. */
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>

#define SPAWN_SLOTS_MAX 64
#define SLOT_NULL (-1) /* the child's fd is /dev/null */
#define SLOT_PIPE (-2) /* the child's fd is the write end of a new pipe; the parent gets the read end */
#define OUTPUT_PIPE_BYTES (256 * 1024) /* a read's worth (pipe-reader.ts); what is left in it at an exit is read out before the exit is handled */

/* A NULL-terminated copy of a JS array of strings; NULL (with an exception pending) on failure. */
static char **string_array(napi_env env, napi_value array) {
  uint32_t length;
  if (napi_get_array_length(env, array, &length) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected an array of strings");
    return NULL;
  }
  char **out = calloc(length + 1, sizeof *out);
  if (out == NULL) return NULL;
  for (uint32_t i = 0; i < length; i++) {
    napi_value item;
    size_t size;
    if (napi_get_element(env, array, i, &item) != napi_ok || napi_get_value_string_utf8(env, item, NULL, 0, &size) != napi_ok ||
        (out[i] = malloc(size + 1)) == NULL || napi_get_value_string_utf8(env, item, out[i], size + 1, &size) != napi_ok) {
      for (uint32_t j = 0; j <= i; j++) free(out[j]);
      free(out);
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected an array of strings");
      return NULL;
    }
  }
  return out;
}

static void free_string_array(char **array) {
  if (array == NULL) return;
  for (char **s = array; *s != NULL; s++) free(*s);
  free(array);
}

/* Spawns `path` with `args` and `env`; slots[i] says what the child's fd i is: a parent fd (dup2'ed),
 * SLOT_NULL or SLOT_PIPE. Returns 0 or an errno; on success *pid, *pidfd (-1 where pidfd_open() is
 * refused) and the read ends of the pipes (-1 for other slots) are set. */
static int spawn_with_slots(const char *path, char **args, char **env, const int *slots, int count, pid_t *pid, int *pidfd, int *read_ends) {
  int source[SPAWN_SLOTS_MAX], owned[SPAWN_SLOTS_MAX];
  int err = 0;
  for (int i = 0; i < count; i++) read_ends[i] = owned[i] = source[i] = -1;
  for (int i = 0; i < count && err == 0; i++) {
    if (slots[i] == SLOT_PIPE) {
      int ends[2];
      if (pipe2(ends, O_CLOEXEC) != 0) {
        err = errno;
        break;
      }
      /* The supervisor's end never blocks it. A service's output pipe holds what the service writes while
       * the supervisor is busy (journald's stream sockets get an 8 MiB buffer for the same reason): a flood
       * is then read in large blocks rather than 64 KiB at a time. Best effort: past the user's pipe quota
       * the kernel refuses, and the pipe keeps its default size. */
      fcntl(ends[0], F_SETFL, O_NONBLOCK);
      if (i == 1 || i == 2) fcntl(ends[0], F_SETPIPE_SZ, OUTPUT_PIPE_BYTES);
      read_ends[i] = ends[0];
      owned[i] = source[i] = ends[1];
    } else if (slots[i] >= 0) {
      source[i] = slots[i];
    }
    /* A source below `count` would be overwritten by an earlier dup2(): move it above first. */
    if (source[i] >= 0 && source[i] < count) {
      int moved = fcntl(source[i], F_DUPFD_CLOEXEC, count);
      if (moved < 0) {
        err = errno;
        break;
      }
      if (owned[i] >= 0) close(owned[i]);
      owned[i] = source[i] = moved;
    }
    /* libuv's child makes its stdio blocking; O_NONBLOCK belongs to the open file, so set it here. */
    if (i <= 2 && slots[i] >= 0) {
      int flags = fcntl(source[i], F_GETFL);
      if (flags >= 0 && (flags & O_NONBLOCK)) fcntl(source[i], F_SETFL, flags & ~O_NONBLOCK);
    }
  }
  if (err == 0) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    for (int i = 0; i < count; i++) {
      if (source[i] >= 0)
        posix_spawn_file_actions_adddup2(&actions, source[i], i);
      else
        posix_spawn_file_actions_addopen(&actions, i, "/dev/null", O_RDWR, 0);
    }
    posix_spawn_file_actions_addchdir_np(&actions, "/");
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &all);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    err = posix_spawn(pid, path, &actions, &attributes, args, env);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  for (int i = 0; i < count; i++)
    if (owned[i] >= 0) close(owned[i]);
  if (err != 0) {
    for (int i = 0; i < count; i++)
      if (read_ends[i] >= 0) close(read_ends[i]);
    return err;
  }
  /* The child is not reaped before its pidfd exists: the pid cannot have been reused. */
  *pidfd = (int)syscall(SYS_pidfd_open, *pid, 0); /* close-on-exec, as every pidfd */
  return 0;
}

/* spawnProcess(path, args, env, slots) → { pid, pidfd, pipes }; throws an Error with .code (ENOENT, EAGAIN, ...). */
static napi_value spawn_process(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, 4, argv)) return NULL;
  char path[PATH_MAX];
  if (!get_string(env, argv[0], path, sizeof path)) return NULL;
  uint32_t count;
  if (napi_get_array_length(env, argv[3], &count) != napi_ok || count > SPAWN_SLOTS_MAX) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "spawnProcess: slots must be an array of at most 64 numbers");
    return NULL;
  }
  int slots[SPAWN_SLOTS_MAX], read_ends[SPAWN_SLOTS_MAX];
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    if (napi_get_element(env, argv[3], i, &item) != napi_ok || napi_get_value_int32(env, item, &slots[i]) != napi_ok || slots[i] < SLOT_PIPE) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "spawnProcess: a slot is an fd, -1 (/dev/null) or -2 (pipe)");
      return NULL;
    }
  }
  char **args = string_array(env, argv[1]);
  if (args == NULL) return NULL;
  char **environment = string_array(env, argv[2]);
  if (environment == NULL) {
    free_string_array(args);
    return NULL;
  }
  pid_t pid = 0;
  int pidfd = -1;
  int err = spawn_with_slots(path, args, environment, slots, (int)count, &pid, &pidfd, read_ends);
  free_string_array(args);
  free_string_array(environment);
  if (err != 0) return throw_errno(env, err, "posix_spawn", path);
  napi_value result, pipes, value;
  NAPI_OK(napi_create_object(env, &result));
  NAPI_OK(set_number(env, result, "pid", pid) ? napi_ok : napi_generic_failure);
  NAPI_OK(set_number(env, result, "pidfd", pidfd) ? napi_ok : napi_generic_failure);
  NAPI_OK(napi_create_array_with_length(env, count, &pipes));
  for (uint32_t i = 0; i < count; i++) {
    NAPI_OK(napi_create_int32(env, read_ends[i], &value));
    NAPI_OK(napi_set_element(env, pipes, i, value));
  }
  NAPI_OK(napi_set_named_property(env, result, "pipes", pipes));
  return result;
}
