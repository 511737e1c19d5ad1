/* ---- readPidList(path): the decimal numbers of a kernel file (cgroup.procs, /proc/PID/task/TID/children) ----
 * One call for what Node does in three (open, read, close) with a path check, a string and a split each: a
 * unit's cgroup.procs is read at every stop. null when the file cannot be opened or read (a cgroup or a task
 * that is gone). These files are seq_files: a read well under a page is all they hold (kernel-file.ts). */

#define PID_LIST_SHORT_READ 2048

static napi_value read_pid_list(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  char path[4096];
  size_t length;
  if (!get_args(env, info, 1, argv) || napi_get_value_string_utf8(env, argv[0], path, sizeof path, &length) != napi_ok || length >= sizeof path - 1) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "readPidList: path must be a string shorter than 4096 bytes");
    return NULL;
  }
  int fd;
  do fd = open(path, O_RDONLY | O_CLOEXEC); while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    NAPI_OK(napi_get_null(env, &result));
    return result;
  }
  char small[16384];
  char *text = small;
  size_t size = sizeof small, used = 0;
  bool failed = false;
  for (;;) {
    if (used == size) {
      char *larger = malloc(size * 2);
      if (larger == NULL) {
        failed = true;
        break;
      }
      memcpy(larger, text, used);
      if (text != small) free(text);
      text = larger;
      size *= 2;
    }
    size_t room = size - used;
    ssize_t n;
    do n = read(fd, text + used, room); while (n < 0 && errno == EINTR);
    if (n < 0) {
      failed = true;
      break;
    }
    used += (size_t)n;
    if ((size_t)n < room && n < PID_LIST_SHORT_READ) break;
  }
  close(fd);
  if (failed) {
    if (text != small) free(text);
    NAPI_OK(napi_get_null(env, &result));
    return result;
  }
  napi_status status = napi_create_array(env, &result);
  uint32_t count = 0;
  int64_t number = -1;
  for (size_t i = 0; i <= used && status == napi_ok; i++) {
    char c = i < used ? text[i] : '\n';
    if (c >= '0' && c <= '9') {
      number = (number < 0 ? 0 : number * 10) + (c - '0');
      continue;
    }
    if (number < 0) continue;
    napi_value value;
    status = napi_create_int64(env, number, &value);
    if (status == napi_ok) status = napi_set_element(env, result, count++, value);
    number = -1;
  }
  if (text != small) free(text);
  return status == napi_ok ? result : NULL;
}
