/* PrivateDevices=yes (systemd 252 namespace.c mount_private_dev()): a fresh tmpfs on /dev holding only the
 * pseudo devices (null, zero, full, random, urandom, tty), the host's pts and shm (and mqueue, hugepages where
 * they exist), ptmx, the /dev/log link to the journal socket and the fd/stdin/stdout/stderr links. Built in a
 * staging folder, then moved over /dev. Included by unitvisor-exec.c, run inside the unit's mount namespace. */
#include <sys/sysmacros.h>

/* clone_device_node(): the same node where mknod() is allowed, else a bind mount of the host's over an empty file. */
static int clone_device_node(const char *node, const char *stage, bool *can_mknod) {
  struct stat st;
  if (stat(node, &st) < 0) return errno == ENOENT ? -ENXIO : -errno;
  if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) return -ENXIO;
  char target[PATH_MAX];
  snprintf(target, sizeof target, "%s%s", stage, node);
  if (*can_mknod) {
    if (mknod(target, st.st_mode, st.st_rdev) == 0) return 0;
    if (errno != EPERM) return -errno;
    *can_mknod = false;
  }
  int fd = open(target, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return -errno;
  close(fd);
  return mount(node, target, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
}

static int bind_into(const char *source, const char *stage, const char *name, bool required) {
  char target[PATH_MAX];
  snprintf(target, sizeof target, "%s/%s", stage, name);
  (void)mkdir(target, 0755);
  if (mount(source, target, NULL, MS_BIND, NULL) == 0 || !required) return 0;
  return -errno;
}

static int link_into(const char *to, const char *stage, const char *name) {
  char link[PATH_MAX];
  snprintf(link, sizeof link, "%s/%s", stage, name);
  return symlink(to, link) < 0 ? -errno : 0;
}

/* Fills the tmpfs at `dev` (staging); 0 or -errno with *what naming the step. */
static int fill_private_dev(const char *stage, const char *dev, const char **what) {
  static const char *nodes[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"};
  int r;
  if ((r = bind_into("/dev/pts", dev, "pts", true)) < 0) return *what = "/dev/pts", r;
  /* ptmx: a link into pts where the host has one (containers), else a clone of the node. */
  struct stat st;
  bool can_mknod = true;
  if (lstat("/dev/ptmx", &st) == 0 && S_ISLNK(st.st_mode)) r = link_into("pts/ptmx", dev, "ptmx");
  else r = clone_device_node("/dev/ptmx", stage, &can_mknod);
  if (r < 0 && r != -ENXIO) return *what = "/dev/ptmx", r;
  if ((r = bind_into("/dev/shm", dev, "shm", true)) < 0) return *what = "/dev/shm", r;
  (void)bind_into("/dev/mqueue", dev, "mqueue", false);
  (void)bind_into("/dev/hugepages", dev, "hugepages", false);
  (void)link_into("/run/systemd/journal/dev-log", dev, "log");
  for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++)
    if ((r = clone_device_node(nodes[i], stage, &can_mknod)) < 0 && r != -ENXIO) return *what = nodes[i], r;
  /* dev_setup(): the standard links. */
  (void)link_into("/proc/self/fd", dev, "fd");
  (void)link_into("/proc/self/fd/0", dev, "stdin");
  (void)link_into("/proc/self/fd/1", dev, "stdout");
  (void)link_into("/proc/self/fd/2", dev, "stderr");
  if (access("/proc/kcore", F_OK) == 0) (void)link_into("/proc/kcore", dev, "core");
  return 0;
}

/* 0, or fails the unit with 226/NAMESPACE naming the step. */
static void apply_private_devices(void) {
  mode_t old_umask = umask(0000);
  char stage[] = "/tmp/namespace-dev-XXXXXX";
  if (mkdtemp(stage) == NULL) sandbox_fail("/tmp/namespace-dev-XXXXXX", -errno);
  char dev[PATH_MAX];
  snprintf(dev, sizeof dev, "%s/dev", stage);
  const char *what = "/dev";
  int r = mkdir(dev, 0755) < 0 ? -errno : 0;
  if (r == 0 && mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC | MS_STRICTATIME, "mode=0755,size=4m") < 0) r = -errno;
  if (r == 0) r = fill_private_dev(stage, dev, &what);
  if (r == 0 && mount(dev, "/dev", NULL, MS_MOVE, NULL) < 0) r = -errno, what = "/dev";
  if (r < 0) (void)umount2(dev, MNT_DETACH);
  (void)rmdir(dev);
  (void)rmdir(stage);
  umask(old_umask);
  if (r < 0) sandbox_fail(what, r);
}
