/* Sandboxing with a mount namespace of the service's own (systemd.exec(5) "Sandboxing"; systemd 252
 * namespace.c setup_namespace()): PrivateTmp=, ProtectSystem=, ProtectHome=, ReadOnlyPaths=, ReadWritePaths=,
 * InaccessiblePaths=, ProtectKernelTunables=, ProtectControlGroups=, PrivateDevices=. Included by unitvisor-exec.c.
 *
 *   --private-tmp TMP:VARTMP     bind these host folders (made by the supervisor) on /tmp and /var/tmp
 *   --protect-system yes|full|strict   --protect-home yes|read-only|tmpfs
 *   --read-only [-]PATH  --read-write [-]PATH  --inaccessible [-]PATH   ("-": a missing path is skipped)
 *   --protect-kernel-tunables  --protect-control-groups  --private-devices
 *
 * Read-only mounts come first, writable ones over them, then inaccessible ones, as systemd orders its mount
 * list (the more specific path wins). A host where unshare() is refused (an unprivileged container) runs the
 * service without its sandbox, as systemd does: "assuming containerized execution". */
#include <sys/mount.h>
#include <sys/statvfs.h>

enum { EXIT_NAMESPACE = 226 };

#define MAX_SANDBOX_PATHS 64

typedef enum { SANDBOX_RO, SANDBOX_RW, SANDBOX_INACCESSIBLE } sandbox_kind;

static struct {
  bool any;
  const char *private_tmp;
  const char *protect_system, *protect_home;
  bool kernel_tunables, control_groups, private_devices;
  int n;
  struct { sandbox_kind kind; const char *path; bool optional; } paths[MAX_SANDBOX_PATHS];
} sandbox;

static void add_sandbox_path(sandbox_kind kind, const char *value) {
  if (sandbox.n >= MAX_SANDBOX_PATHS) usage("too many sandbox paths: ", value);
  bool optional = value[0] == '-';
  const char *path = optional ? value + 1 : value;
  if (path[0] != '/') usage("sandbox path is not absolute: ", value);
  sandbox.paths[sandbox.n].kind = kind, sandbox.paths[sandbox.n].path = path, sandbox.paths[sandbox.n++].optional = optional;
  sandbox.any = true;
}

static bool parse_sandbox_flag(const char *opt) {
  if (strcmp(opt, "--protect-kernel-tunables") == 0) return sandbox.any = sandbox.kernel_tunables = true;
  if (strcmp(opt, "--protect-control-groups") == 0) return sandbox.any = sandbox.control_groups = true;
  if (strcmp(opt, "--private-devices") == 0) return sandbox.any = sandbox.private_devices = true;
  return false;
}

static bool parse_sandbox_option(const char *opt, const char *value) {
  if (strcmp(opt, "--private-tmp") == 0) {
    if (strchr(value, ':') == NULL) usage("bad --private-tmp: ", value);
    sandbox.private_tmp = value;
  } else if (strcmp(opt, "--protect-system") == 0) sandbox.protect_system = value;
  else if (strcmp(opt, "--protect-home") == 0) sandbox.protect_home = value;
  else if (strcmp(opt, "--read-only") == 0) add_sandbox_path(SANDBOX_RO, value);
  else if (strcmp(opt, "--read-write") == 0) add_sandbox_path(SANDBOX_RW, value);
  else if (strcmp(opt, "--inaccessible") == 0) add_sandbox_path(SANDBOX_INACCESSIBLE, value);
  else return false;
  sandbox.any = true;
  return true;
}

/* The flags a bind remount must keep (the kernel refuses to drop locked ones). */
static unsigned long kept_flags(const char *path) {
  struct statvfs st;
  if (statvfs(path, &st) < 0) return 0;
  unsigned long flags = 0;
  if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

static bool under(const char *path, const char *top) {
  size_t n = strlen(top);
  if (strcmp(top, "/") == 0) return true;
  return strncmp(path, top, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* mountinfo escapes blanks as \040 and friends. */
static void unescape_mount_point(char *s) {
  char *out = s;
  for (char *in = s; *in != '\0'; in++) {
    if (in[0] == '\\' && in[1] >= '0' && in[1] <= '3' && in[2] >= '0' && in[2] <= '7' && in[3] >= '0' && in[3] <= '7') {
      *out++ = (char)((in[1] - '0') * 64 + (in[2] - '0') * 8 + (in[3] - '0'));
      in += 3;
    } else *out++ = *in;
  }
  *out = '\0';
}

/* bind_remount_recursive(): every mount at or below `top` read-only (or writable again); ProtectSystem=strict
 * leaves the API file systems (/dev, /proc, /sys) as they are. */
static int remount_tree(const char *top, bool read_only, bool skip_api) {
  if (mount(top, top, NULL, MS_BIND | MS_REC, NULL) < 0) return -errno;
  FILE *f = fopen("/proc/self/mountinfo", "re");
  if (f == NULL) return -errno;
  char line[4096];
  int r = 0;
  while (r == 0 && fgets(line, sizeof line, f) != NULL) {
    char point[PATH_MAX];
    if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1) continue;
    unescape_mount_point(point);
    if (!under(point, top)) continue;
    if (skip_api && (under(point, "/dev") || under(point, "/proc") || under(point, "/sys"))) continue;
    unsigned long flags = MS_BIND | MS_REMOUNT | kept_flags(point) | (read_only ? MS_RDONLY : 0);
    if (mount(NULL, point, NULL, flags, NULL) < 0 && errno != EACCES && errno != ENOENT) r = -errno;
  }
  fclose(f);
  return r;
}

/* An empty, mode 000 tmpfs on a folder; /dev/null read-only on anything else. */
static int make_inaccessible(const char *path) {
  struct stat st;
  if (stat(path, &st) < 0) return -errno;
  if (S_ISDIR(st.st_mode)) return mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=000") < 0 ? -errno : 0;
  if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) return -errno;
  return mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0 ? -errno : 0;
}

static void sandbox_fail(const char *path, int r) {
  if (diag_fd >= 0) dprintf(diag_fd, "unitvisor-exec: Failed to set up mount namespacing: %s: %s\n", path, strerror(-r));
  fail(EXIT_NAMESPACE, "NAMESPACE", -r);
}

/* One path of ReadOnlyPaths= & co.; a missing "-" path is skipped, a missing plain one fails as in systemd. */
static void apply_sandbox_path(sandbox_kind kind, const char *path, bool optional) {
  if (access(path, F_OK) < 0) {
    if (optional || errno != ENOENT) return;
    sandbox_fail(path, -ENOENT);
  }
  int r = kind == SANDBOX_INACCESSIBLE ? make_inaccessible(path) : remount_tree(path, kind == SANDBOX_RO, false);
  if (r < 0) sandbox_fail(path, r);
}

/* The notify socket's folder when it lives in /tmp (a test's or `up`'s supervisor): opened before the private
 * /tmp hides it, bound back at the same path inside, so that Type=notify still reaches the supervisor. */
static int notify_dir_fd = -1;
static char notify_dir[PATH_MAX];

static void keep_notify_dir(void) {
  const char *socket = getenv("NOTIFY_SOCKET");
  if (socket == NULL || (strncmp(socket, "/tmp/", 5) != 0 && strncmp(socket, "/var/tmp/", 9) != 0)) return;
  snprintf(notify_dir, sizeof notify_dir, "%s", socket);
  char *slash = strrchr(notify_dir, '/');
  *slash = '\0';
  notify_dir_fd = open(notify_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static void restore_notify_dir(void) {
  if (notify_dir_fd < 0) return;
  char source[64];
  snprintf(source, sizeof source, "/proc/self/fd/%d", notify_dir_fd);
  if (make_parents(notify_dir) == 0 && (mkdir(notify_dir, 0755) == 0 || errno == EEXIST)) (void)mount(source, notify_dir, NULL, MS_BIND, NULL);
  close(notify_dir_fd);
}

static void apply_private_tmp(void) {
  keep_notify_dir();
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s", sandbox.private_tmp);
  char *colon = strchr(tmp, ':');
  *colon = '\0';
  const char *sources[2] = {tmp, colon + 1}, *targets[2] = {"/tmp", "/var/tmp"};
  for (int i = 0; i < 2; i++) {
    /* Writable even below ProtectSystem=strict. */
    if (mount(sources[i], targets[i], NULL, MS_BIND, NULL) < 0) sandbox_fail(targets[i], -errno);
    if (mount(NULL, targets[i], NULL, MS_BIND | MS_REMOUNT | kept_flags(targets[i]), NULL) < 0) sandbox_fail(targets[i], -errno);
  }
  restore_notify_dir();
}

static void apply_protect_home(void) {
  static const char *homes[] = {"/home", "/root", "/run/user"};
  for (size_t i = 0; i < sizeof homes / sizeof homes[0]; i++) {
    if (access(homes[i], F_OK) < 0) continue;
    int r = 0;
    if (strcmp(sandbox.protect_home, "read-only") == 0) r = remount_tree(homes[i], true, false);
    else if (strcmp(sandbox.protect_home, "tmpfs") == 0)
      r = mount("tmpfs", homes[i], "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755") < 0 ? -errno : 0;
    else r = make_inaccessible(homes[i]);
    if (r < 0) sandbox_fail(homes[i], r);
  }
}

#include "exec-private-devices.inc.c"

/* Runs as root after the service's directories exist (they are among the --read-write paths). */
static void setup_sandbox(void) {
  if (!sandbox.any) return;
  if (unshare(CLONE_NEWNS) < 0) {
    if (errno != EPERM && errno != ENOSYS && errno != EACCES) sandbox_fail("unshare", -errno);
    if (diag_fd >= 0) dprintf(diag_fd, "unitvisor-exec: Failed to set up namespace, assuming containerized execution, ignoring: %s\n", strerror(errno));
    return;
  }
  /* Nothing mounted here propagates back to the host. */
  if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0) sandbox_fail("/", -errno);
  /* First, while /tmp is still the host's and writable: the private /dev is staged there. */
  if (sandbox.private_devices) apply_private_devices();
  const char *ps = sandbox.protect_system;
  if (ps != NULL && strcmp(ps, "strict") == 0) {
    int r = remount_tree("/", true, true);
    if (r < 0) sandbox_fail("/", r);
  } else if (ps != NULL) {
    apply_sandbox_path(SANDBOX_RO, "/usr", true);
    apply_sandbox_path(SANDBOX_RO, "/boot", true);
    apply_sandbox_path(SANDBOX_RO, "/efi", true);
    if (strcmp(ps, "full") == 0) apply_sandbox_path(SANDBOX_RO, "/etc", true);
  }
  if (sandbox.kernel_tunables) {
    apply_sandbox_path(SANDBOX_RO, "/proc/sys", true);
    apply_sandbox_path(SANDBOX_RO, "/proc/sysrq-trigger", true);
    apply_sandbox_path(SANDBOX_RO, "/sys", true);
  }
  if (sandbox.control_groups) apply_sandbox_path(SANDBOX_RO, "/sys/fs/cgroup", true);
  for (int i = 0; i < sandbox.n; i++)
    if (sandbox.paths[i].kind == SANDBOX_RO) apply_sandbox_path(SANDBOX_RO, sandbox.paths[i].path, sandbox.paths[i].optional);
  for (int i = 0; i < sandbox.n; i++)
    if (sandbox.paths[i].kind == SANDBOX_RW) apply_sandbox_path(SANDBOX_RW, sandbox.paths[i].path, sandbox.paths[i].optional);
  if (sandbox.private_tmp != NULL) apply_private_tmp();
  if (sandbox.protect_home != NULL) apply_protect_home();
  for (int i = 0; i < sandbox.n; i++)
    if (sandbox.paths[i].kind == SANDBOX_INACCESSIBLE) apply_sandbox_path(SANDBOX_INACCESSIBLE, sandbox.paths[i].path, sandbox.paths[i].optional);
}
