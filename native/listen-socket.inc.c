/* Socket units' file descriptors (systemd.socket(5); systemd 252 socket_address_listen(), fifo_address_create(),
 * instance_from_socket(), getpeername_pretty()), included by unitvisor.c. Node cannot create an AF_UNIX datagram or
 * sequential-packet socket, watch a listening socket without accepting on it, or pass a raw fd to a child. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

enum { LISTEN_REUSE_PORT = 1, LISTEN_NO_DELAY = 2, LISTEN_KEEP_ALIVE = 4 };

static int close_keeping_errno(int fd) {
  int saved = errno;
  close(fd);
  errno = saved;
  return -1;
}

/* socket(), options, bind(), chmod(), listen(); returns the fd (non-blocking, close-on-exec) or -1 with errno and *step. */
static int open_listen_fd(int family, int type, const struct sockaddr *sa, socklen_t len, const char *path, int backlog,
                          int flags, int v6only, int mode, const char **step) {
  int fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return *step = "socket", -1;
  int one = 1, zero = 0;
  if (family == AF_INET6 && v6only >= 0 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, v6only ? &one : &zero, sizeof one) < 0)
    return *step = "setsockopt IPV6_V6ONLY", close_keeping_errno(fd);
  if (family != AF_UNIX && (flags & LISTEN_REUSE_PORT) && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0)
    return *step = "setsockopt SO_REUSEPORT", close_keeping_errno(fd);
  (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (family == AF_UNIX && path[0] == '/') unlink(path); /* a stale socket file, as sockaddr_un_unlink() */
  if (bind(fd, sa, len) < 0) return *step = "bind", close_keeping_errno(fd);
  if (family == AF_UNIX && path[0] == '/' && chmod(path, (mode_t)mode) < 0) return *step = "chmod", close_keeping_errno(fd);
  if ((type == SOCK_STREAM || type == SOCK_SEQPACKET) && listen(fd, backlog) < 0) return *step = "listen", close_keeping_errno(fd);
  /* socket_apply_socket_options(): failures there are only warnings in systemd. */
  if (type == SOCK_STREAM && family != AF_UNIX && (flags & LISTEN_NO_DELAY)) (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (flags & LISTEN_KEEP_ALIVE) (void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
  return fd;
}

static bool parse_type(const char *name, int *type) {
  if (strcmp(name, "Stream") == 0) *type = SOCK_STREAM;
  else if (strcmp(name, "Datagram") == 0) *type = SOCK_DGRAM;
  else if (strcmp(name, "SequentialPacket") == 0) *type = SOCK_SEQPACKET;
  else return false;
  return true;
}

/* openListenSocket(type, family, hostOrPath, port, backlog, flags, v6only, mode) → fd */
static napi_value open_listen_socket(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  if (!get_args(env, info, 8, argv)) return NULL;
  char type_name[32], family[16], where[1024];
  int32_t port, backlog, flags, v6only, mode;
  if (!get_string(env, argv[0], type_name, sizeof type_name) || !get_string(env, argv[1], family, sizeof family) ||
      !get_string(env, argv[2], where, sizeof where))
    return NULL;
  if (napi_get_value_int32(env, argv[3], &port) != napi_ok || napi_get_value_int32(env, argv[4], &backlog) != napi_ok ||
      napi_get_value_int32(env, argv[5], &flags) != napi_ok || napi_get_value_int32(env, argv[6], &v6only) != napi_ok ||
      napi_get_value_int32(env, argv[7], &mode) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "openListenSocket: numbers expected");
    return NULL;
  }
  int type;
  if (!parse_type(type_name, &type)) return throw_errno(env, EINVAL, "socket type", type_name);
  union {
    struct sockaddr sa;
    struct sockaddr_in in;
    struct sockaddr_in6 in6;
    struct sockaddr_un un;
  } addr;
  memset(&addr, 0, sizeof addr);
  socklen_t len;
  int af;
  if (strcmp(family, "unix") == 0) {
    if (!make_address(env, where, &addr.un, &len)) return NULL;
    af = AF_UNIX;
  } else if (strcmp(family, "inet") == 0) {
    af = AF_INET, len = sizeof addr.in;
    addr.in.sin_family = AF_INET;
    addr.in.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, where, &addr.in.sin_addr) != 1) return throw_errno(env, EINVAL, "inet_pton", where);
  } else {
    af = AF_INET6, len = sizeof addr.in6;
    addr.in6.sin6_family = AF_INET6;
    addr.in6.sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, where, &addr.in6.sin6_addr) != 1) return throw_errno(env, EINVAL, "inet_pton", where);
  }
  const char *step = NULL;
  int fd = open_listen_fd(af, type, &addr.sa, len, where, backlog, flags, v6only, mode, &step);
  if (fd < 0) return throw_errno(env, errno, step, where);
  napi_value result;
  NAPI_OK(napi_create_int32(env, fd, &result));
  return result;
}

/* openFifo(path, mode) → fd, opened read-write so that it never reports end of file (fifo_address_create()). */
static napi_value open_fifo(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  char path[4096];
  int32_t mode;
  if (!get_string(env, argv[0], path, sizeof path) || napi_get_value_int32(env, argv[1], &mode) != napi_ok) return NULL;
  if (mkfifo(path, (mode_t)mode) < 0 && errno != EEXIST) return throw_errno(env, errno, "mkfifo", path);
  int fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
  if (fd < 0) return throw_errno(env, errno, "open", path);
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
    close(fd);
    return throw_errno(env, EEXIST, "mkfifo", path);
  }
  (void)fchmod(fd, (mode_t)mode);
  napi_value result;
  NAPI_OK(napi_create_int32(env, fd, &result));
  return result;
}

/* ---- readiness of an fd the caller owns: uv_poll, started and stopped as the socket unit listens or not ---- */

typedef struct {
  uv_poll_t poll; /* first member */
  napi_env env;
  napi_ref callback;
  napi_async_context async;
  bool closed, uv_closed, js_finalized;
  /* start() was called since the callback began: the poll stays on after it. */
  bool restarted;
} fd_watch;

static void free_watch_if_unused(fd_watch *w) {
  if (w->uv_closed && w->js_finalized) free(w);
}

static void on_watch_closed(uv_handle_t *handle) {
  fd_watch *w = (fd_watch *)handle;
  w->uv_closed = true;
  free_watch_if_unused(w);
}

static void finalize_watch(napi_env env, void *data, void *hint) {
  fd_watch *w = data;
  w->js_finalized = true;
  free_watch_if_unused(w);
}

static void on_fd_readable(uv_poll_t *handle, int status, int events) {
  fd_watch *w = (fd_watch *)handle;
  if (w->closed) return;
  /* Level-triggered, once per start(): the poll is stopped after the callback unless it started the watch
   * again. A stop and a start cost two or three epoll_ctl() calls, which a pipe read again at once (a
   * flood, a read at a time) would pay per read. */
  w->restarted = false;
  napi_handle_scope scope;
  if (napi_open_handle_scope(w->env, &scope) != napi_ok) {
    uv_poll_stop(&w->poll);
    return;
  }
  napi_value callback, recv;
  if (napi_get_reference_value(w->env, w->callback, &callback) == napi_ok && napi_get_global(w->env, &recv) == napi_ok &&
      napi_make_callback(w->env, w->async, recv, callback, 0, NULL, NULL) != napi_ok) {
    bool pending = false;
    napi_value error;
    if (napi_is_exception_pending(w->env, &pending) == napi_ok && pending && napi_get_and_clear_last_exception(w->env, &error) == napi_ok)
      napi_fatal_exception(w->env, error);
  }
  napi_close_handle_scope(w->env, scope);
  if (!w->restarted && !w->closed) uv_poll_stop(&w->poll);
}

/* The watch `this` is (its methods live on one shared prototype); NULL, with a TypeError thrown, for anything else. */
static fd_watch *this_watch(napi_env env, napi_callback_info info) {
  napi_value self;
  fd_watch *w = NULL;
  if (napi_get_cb_info(env, info, NULL, NULL, &self, NULL) != napi_ok || napi_unwrap(env, self, (void **)&w) != napi_ok || w == NULL) {
    napi_throw_type_error(env, "ERR_INVALID_THIS", "not a watch made by watchReadable");
    return NULL;
  }
  return w;
}

static napi_value watch_start(napi_env env, napi_callback_info info) {
  fd_watch *w = this_watch(env, info);
  if (w == NULL || w->closed) return NULL;
  w->restarted = true;
  /* uv_poll_start() on a running poll stops it first: the kernel would be told again. */
  if (!uv_is_active((uv_handle_t *)&w->poll)) uv_poll_start(&w->poll, UV_READABLE, on_fd_readable);
  return NULL;
}

static napi_value watch_stop(napi_env env, napi_callback_info info) {
  fd_watch *w = this_watch(env, info);
  if (w == NULL || w->closed) return NULL;
  w->restarted = false;
  uv_poll_stop(&w->poll);
  return NULL;
}

/* Stops watching for good; the fd itself stays open (its owner closes it afterwards). */
static napi_value watch_close(napi_env env, napi_callback_info info) {
  fd_watch *w = this_watch(env, info);
  if (w == NULL || w->closed) return NULL;
  w->closed = true;
  /* uv_close() stops the poll itself (one epoll_ctl(DEL)): a uv_poll_stop() before it is one more. */
  uv_close((uv_handle_t *)&w->poll, on_watch_closed);
  napi_delete_reference(env, w->callback);
  napi_async_destroy(env, w->async);
  return NULL;
}

/* The watch no longer keeps the process alive (as fs.watch()'s persistent: false). */
static napi_value watch_unref(napi_env env, napi_callback_info info) {
  fd_watch *w = this_watch(env, info);
  if (w == NULL || w->closed) return NULL;
  uv_unref((uv_handle_t *)&w->poll);
  return NULL;
}

/* Only watchReadable makes watches: the class is not exported. */
static napi_value watch_construct(napi_env env, napi_callback_info info) {
  napi_value self;
  NAPI_OK(napi_get_cb_info(env, info, NULL, NULL, &self, NULL));
  return self;
}

/* The class of every watch, made once per env: start/stop/close/unref on its prototype rather than three new
 * functions per watch (every service's process has one, on its pidfd). */
static bool init_watch_class(napi_env env, addon_state *state) {
  const napi_property_descriptor methods[] = {
    {"start", NULL, watch_start, NULL, NULL, NULL, napi_default, NULL},
    {"stop", NULL, watch_stop, NULL, NULL, NULL, napi_default, NULL},
    {"close", NULL, watch_close, NULL, NULL, NULL, napi_default, NULL},
    {"unref", NULL, watch_unref, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value cls;
  return napi_define_class(env, "FdWatch", NAPI_AUTO_LENGTH, watch_construct, NULL, sizeof methods / sizeof methods[0], methods, &cls) == napi_ok &&
         napi_create_reference(env, cls, 1, &state->watch_class) == napi_ok;
}

/* watchReadable(fd, onReadable) → { start(), stop(), close() }; onReadable runs once per start(). */
static napi_value watch_readable(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  int32_t fd;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "watchReadable: fd must be a number");
    return NULL;
  }
  napi_value cls, handle, resource_name;
  NAPI_OK(napi_get_reference_value(env, state_of(env)->watch_class, &cls));
  NAPI_OK(napi_new_instance(env, cls, 0, NULL, &handle));
  uv_loop_t *loop;
  fd_watch *w = calloc(1, sizeof *w);
  if (w == NULL || napi_get_uv_event_loop(env, &loop) != napi_ok) {
    free(w);
    return throw_errno(env, ENOMEM, "watchReadable", NULL);
  }
  int r = uv_poll_init(loop, &w->poll, fd);
  if (r != 0) {
    free(w);
    return throw_errno(env, -r, "uv_poll_init", NULL);
  }
  w->env = env;
  NAPI_OK(napi_create_reference(env, argv[1], 1, &w->callback));
  NAPI_OK(napi_create_string_utf8(env, "unitvisor.listen", NAPI_AUTO_LENGTH, &resource_name));
  NAPI_OK(napi_async_init(env, handle, resource_name, &w->async));
  NAPI_OK(napi_wrap(env, handle, w, finalize_watch, NULL, NULL));
  return handle;
}

/* ---- Accept=yes ---- */

/* "A.B.C.D:PORT" for IPv4 and v4-mapped IPv6, "[ADDR]:PORT" otherwise (sockaddr_pretty(translate_ipv6, include_port)). */
static void pretty_inet(const struct sockaddr *sa, char *out, size_t size, bool brackets) {
  char host[INET6_ADDRSTRLEN];
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    snprintf(out, size, "%s:%u", host, ntohs(in->sin_port));
    return;
  }
  const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
  if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
    inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host, sizeof host);
    snprintf(out, size, "%s:%u", host, ntohs(in6->sin6_port));
    return;
  }
  inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
  snprintf(out, size, brackets ? "[%s]:%u" : "%s:%u", host, ntohs(in6->sin6_port));
}

/* acceptConnection(fd, nr) → { fd, instance, peer } or null when no connection is waiting. */
static napi_value accept_connection(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  int32_t fd, nr;
  if (napi_get_value_int32(env, argv[0], &fd) != napi_ok || napi_get_value_int32(env, argv[1], &nr) != napi_ok) return NULL;
  int cfd;
  do cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); while (cfd < 0 && errno == EINTR);
  napi_value result;
  if (cfd < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    NAPI_OK(napi_get_null(env, &result));
    return result;
  }
  if (cfd < 0) return throw_errno(env, errno, "accept4", NULL);
  /* The service gets a blocking socket, as systemd's accept4(..., SOCK_CLOEXEC) gives it. */
  fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) & ~O_NONBLOCK);
  union {
    struct sockaddr sa;
    struct sockaddr_storage storage;
  } local, remote;
  socklen_t llen = sizeof local, rlen = sizeof remote;
  char instance[256], peer[128], l[INET6_ADDRSTRLEN + 8], r[INET6_ADDRSTRLEN + 8];
  if (getsockname(cfd, &local.sa, &llen) < 0 || getpeername(cfd, &remote.sa, &rlen) < 0) {
    int saved = errno;
    close(cfd);
    return throw_errno(env, saved, "getpeername", NULL);
  }
  if (local.sa.sa_family == AF_UNIX) {
    struct ucred cred;
    socklen_t clen = sizeof cred;
    if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) == 0 && cred.pid > 0) {
      snprintf(instance, sizeof instance, "%d-%d-%u", nr, (int)cred.pid, (unsigned)cred.uid);
      snprintf(peer, sizeof peer, "PID %d/UID %u", (int)cred.pid, (unsigned)cred.uid);
    } else {
      snprintf(instance, sizeof instance, "%d-unknown", nr);
      snprintf(peer, sizeof peer, "unknown");
    }
  } else {
    /* instance_from_socket(): "NR-LOCAL:PORT-REMOTE:PORT", IPv6 addresses without brackets. */
    pretty_inet(&local.sa, l, sizeof l, false);
    pretty_inet(&remote.sa, r, sizeof r, false);
    snprintf(instance, sizeof instance, "%d-%s-%s", nr, l, r);
    pretty_inet(&remote.sa, peer, sizeof peer, true);
  }
  NAPI_OK(napi_create_object(env, &result));
  if (!set_number(env, result, "fd", cfd) || !set_string(env, result, "instance", instance, NAPI_AUTO_LENGTH) ||
      !set_string(env, result, "peer", peer, NAPI_AUTO_LENGTH)) {
    close(cfd);
    return NULL;
  }
  return result;
}
