/* The $NOTIFY_SOCKET datagram socket (sd_notify(3), systemd src/core/manager.c manager_dispatch_notify_fd),
 * included by unitvisor.c. Readiness comes from libuv's uv_poll on the fd: no timers, no polling. */

typedef struct notify_socket {
  uv_poll_t poll; /* first member: the uv handle pointer is the struct pointer */
  int fd;
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
  dev_t dev; /* the socket file we bound, so close() never removes a newer listener's file */
  ino_t ino;
  bool closing;      /* close() called: no more callbacks */
  bool uv_closed;    /* libuv is done with the handle */
  bool js_finalized; /* the JS handle object was collected */
  struct notify_socket *next, *prev; /* open sockets of this env, closed at env teardown */
} notify_socket;

/* One list head per Node environment (main thread or worker). */
typedef struct {
  notify_socket *open;
  napi_ref watch_class; /* listen-socket.inc.c's FdWatch */
} addon_state;

static addon_state *state_of(napi_env env) {
  addon_state *state = NULL;
  napi_get_instance_data(env, (void **)&state);
  return state;
}

static void free_if_unused(notify_socket *s) {
  if (s->uv_closed && s->js_finalized) free(s);
}

static void on_poll_closed(uv_handle_t *handle) {
  notify_socket *s = (notify_socket *)handle;
  close(s->fd);
  s->uv_closed = true;
  free_if_unused(s);
}

static void close_notify_socket(notify_socket *s) {
  if (s->closing) return;
  s->closing = true;
  addon_state *state = state_of(s->env);
  if (s->prev != NULL) s->prev->next = s->next;
  else if (state != NULL && state->open == s) state->open = s->next;
  if (s->next != NULL) s->next->prev = s->prev;
  uv_poll_stop(&s->poll);
  uv_close((uv_handle_t *)&s->poll, on_poll_closed);
  if (s->callback != NULL) napi_delete_reference(s->env, s->callback);
  if (s->async != NULL) napi_async_destroy(s->env, s->async);
  /* A filesystem socket is removed with its listener, so temp dirs and /run are left clean. */
  struct stat st;
  if (s->path[0] != '@' && stat(s->path, &st) == 0 && st.st_dev == s->dev && st.st_ino == s->ino) unlink(s->path);
}

static void close_all_at_teardown(void *data) {
  addon_state *state = data;
  while (state->open != NULL) close_notify_socket(state->open);
}

static void finalize_handle(napi_env env, void *data, void *hint) {
  notify_socket *s = data;
  s->js_finalized = true;
  free_if_unused(s);
}

/* One received datagram, already checked as systemd checks it. */
typedef struct {
  char text[NOTIFY_BUFFER_MAX + 1];
  size_t length;
  struct ucred cred;
  int fds_closed;
  bool valid;
} datagram;

/* Receives one datagram; returns false when none is left (EAGAIN) or on a socket error. */
static bool receive_one(int fd, datagram *d) {
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int) * NOTIFY_FD_MAX)];
  } control;
  struct iovec iov = {.iov_base = d->text, .iov_len = NOTIFY_BUFFER_MAX};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof control};
  ssize_t n;
  do n = recvmsg(fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC); while (n < 0 && errno == EINTR);
  if (n < 0) return false;
  bool have_cred = false;
  d->fds_closed = 0;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      /* We keep no fd store: close every passed fd now. systemd-notify's BARRIER=1 waits for exactly this. */
      int count = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      int *fds = (int *)CMSG_DATA(c);
      for (int i = 0; i < count; i++) close(fds[i]);
      d->fds_closed += count;
    } else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
               c->cmsg_len == CMSG_LEN(sizeof(struct ucred))) {
      memcpy(&d->cred, CMSG_DATA(c), sizeof d->cred);
      have_cred = true;
    }
  }
  /* systemd ignores: truncated payloads, messages without credentials, and embedded NULs
   * (one trailing NUL is permitted). */
  bool truncated = (mh.msg_flags & MSG_TRUNC) || (size_t)n > NOTIFY_BUFFER_MAX;
  d->length = truncated ? 0 : (size_t)n;
  if (d->length > 0 && d->text[d->length - 1] == '\0') d->length--;
  d->valid = !truncated && have_cred && d->cred.pid > 0 && memchr(d->text, '\0', d->length) == NULL;
  return true;
}

static napi_value datagram_object(napi_env env, const datagram *d) {
  napi_value obj;
  NAPI_OK(napi_create_object(env, &obj));
  if (!set_number(env, obj, "pid", d->cred.pid) || !set_number(env, obj, "uid", d->cred.uid) ||
      !set_number(env, obj, "gid", d->cred.gid) || !set_string(env, obj, "text", d->text, d->length) ||
      !set_number(env, obj, "fdsClosed", d->fds_closed))
    return NULL;
  return obj;
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  notify_socket *s = (notify_socket *)handle;
  napi_env env = s->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  datagram d;
  /* Drain the queue; stop early if the callback closed the socket. */
  while (!s->closing && receive_one(s->fd, &d)) {
    if (!d.valid) continue;
    napi_value callback, recv, msg;
    /* napi_make_callback wants an object receiver: the global, as for a plain function call. */
    bool called = napi_get_reference_value(env, s->callback, &callback) == napi_ok &&
                  napi_get_global(env, &recv) == napi_ok && (msg = datagram_object(env, &d)) != NULL &&
                  napi_make_callback(env, s->async, recv, callback, 1, &msg, NULL) == napi_ok;
    if (!called) {
      /* A throwing listener is an uncaught exception, as for any other event emitter. */
      bool pending = false;
      napi_value error;
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
          napi_get_and_clear_last_exception(env, &error) == napi_ok)
        napi_fatal_exception(env, error);
      break;
    }
  }
  napi_close_handle_scope(env, scope);
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  notify_socket *s;
  NAPI_OK(napi_get_cb_info(env, info, NULL, NULL, NULL, (void **)&s));
  close_notify_socket(s);
  return NULL;
}

/* Creates, binds and configures the socket; returns the fd or -1 with errno and *step set. */
static int open_notify_fd(const struct sockaddr_un *sa, socklen_t len, const char *path, const char **step) {
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return *step = "socket", -1;
  if (path[0] != '@') unlink(path); /* a stale socket from an earlier run, as systemd does */
  int one = 1, rcvbuf = NOTIFY_RCVBUF_SIZE;
  if (bind(fd, (const struct sockaddr *)sa, len) < 0) *step = "bind";
  /* systemd's PID 1 runs with umask 0, so /run/systemd/notify is srwxrwxrwx: services under any User= can send. */
  else if (path[0] != '@' && chmod(path, 0777) < 0) *step = "chmod";
  else if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0) *step = "setsockopt SO_PASSCRED";
  else {
    /* A large receive buffer so a burst of notifications is not dropped; FORCE works as root only. */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
      (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    return fd;
  }
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}

/* listenNotify(path, onMessage) → { close() }; onMessage is a function (native.ts types it), called as a plain function. */
static napi_value listen_notify(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  char path[1024]; /* longer than sun_path, so that make_address() reports ENAMETOOLONG */
  if (!get_string(env, argv[0], path, sizeof path)) return NULL;
  struct sockaddr_un sa;
  socklen_t len;
  if (!make_address(env, path, &sa, &len)) return NULL;
  const char *step = NULL;
  int fd = open_notify_fd(&sa, len, path, &step);
  if (fd < 0) return throw_errno(env, errno, step, path);

  uv_loop_t *loop;
  notify_socket *s = calloc(1, sizeof *s);
  if (s == NULL || napi_get_uv_event_loop(env, &loop) != napi_ok || uv_poll_init(loop, &s->poll, fd) != 0) {
    free(s);
    close(fd);
    return throw_errno(env, ENOMEM, "listenNotify", path);
  }
  s->fd = fd;
  s->env = env;
  memcpy(s->path, path, strlen(path) + 1); /* fits: make_address() checked the length */
  struct stat st;
  if (path[0] != '@' && stat(path, &st) == 0) s->dev = st.st_dev, s->ino = st.st_ino;
  napi_value handle, close_fn, resource_name;
  if (napi_create_reference(env, argv[1], 1, &s->callback) != napi_ok ||
      napi_create_object(env, &handle) != napi_ok ||
      napi_create_string_utf8(env, "unitvisor.notify", NAPI_AUTO_LENGTH, &resource_name) != napi_ok ||
      napi_async_init(env, handle, resource_name, &s->async) != napi_ok ||
      napi_create_function(env, "close", NAPI_AUTO_LENGTH, js_close, s, &close_fn) != napi_ok ||
      napi_set_named_property(env, handle, "close", close_fn) != napi_ok ||
      napi_wrap(env, handle, s, finalize_handle, NULL, NULL) != napi_ok) {
    s->js_finalized = true; /* nothing in JS refers to it: free once libuv lets go */
    close_notify_socket(s);
    return NULL;
  }
  addon_state *state = state_of(env);
  s->next = state->open;
  if (state->open != NULL) state->open->prev = s;
  state->open = s;
  uv_poll_start(&s->poll, UV_READABLE, on_readable);
  return handle;
}

/* sendNotify(path, text, fd): one datagram, with SCM_RIGHTS when fd >= 0 (how sd_pid_notify_with_fds sends). */
static napi_value send_notify(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv)) return NULL;
  char path[1024];
  size_t text_length;
  int32_t pass_fd;
  if (!get_string(env, argv[0], path, sizeof path)) return NULL;
  if (napi_get_value_string_utf8(env, argv[1], NULL, 0, &text_length) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "sendNotify: text must be a string");
    return NULL;
  }
  if (napi_get_value_int32(env, argv[2], &pass_fd) != napi_ok) pass_fd = -1;
  struct sockaddr_un sa;
  socklen_t len;
  if (!make_address(env, path, &sa, &len)) return NULL;
  char *text = malloc(text_length + 1);
  if (text == NULL) return throw_errno(env, ENOMEM, "sendNotify", path);
  napi_get_value_string_utf8(env, argv[1], text, text_length + 1, &text_length);
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    free(text);
    return throw_errno(env, errno, "socket", path);
  }
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  struct iovec iov = {.iov_base = text, .iov_len = text_length};
  struct msghdr mh = {.msg_name = &sa, .msg_namelen = len, .msg_iov = &iov, .msg_iovlen = 1};
  if (pass_fd >= 0) {
    memset(&control, 0, sizeof control);
    mh.msg_control = &control;
    mh.msg_controllen = sizeof control;
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
  }
  ssize_t n;
  do n = sendmsg(fd, &mh, MSG_NOSIGNAL); while (n < 0 && errno == EINTR);
  int saved = errno;
  close(fd);
  free(text);
  if (n < 0) return throw_errno(env, saved, "sendmsg", path);
  return NULL;
}

/* Per-env state and its teardown hook; called from init(). */
static bool init_notify_state(napi_env env) {
  addon_state *state = calloc(1, sizeof *state);
  if (state == NULL) return false;
  return napi_set_instance_data(env, state, NULL, NULL) == napi_ok &&
         napi_add_env_cleanup_hook(env, close_all_at_teardown, state) == napi_ok;
}
