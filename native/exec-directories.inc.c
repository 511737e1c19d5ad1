/* RuntimeDirectory=, StateDirectory=, CacheDirectory=, LogsDirectory=, ConfigurationDirectory= made in the child
 * before it drops privileges, as systemd 252's setup_exec_directory() does (systemd.exec(5)); included by
 * unitvisor-exec.c.
 *
 *   --directory TYPE:MODE:PATH     create PATH (and its parents, 0755) with MODE; TYPE is runtime|state|cache|logs|configuration
 *   --directory-symlink LINK       a symlink LINK to the directory named just before
 *   --directory-owner UID:GID      owner of the directories (except configuration); default root */
#include <ftw.h>
#include <limits.h>

#define MAX_EXEC_DIRECTORIES 64
#define MAX_DIRECTORY_SYMLINKS 8

typedef struct {
  int exit_status;
  const char *step;
  bool configuration;
  mode_t mode;
  const char *path;
  const char *symlinks[MAX_DIRECTORY_SYMLINKS];
  int nsymlinks;
} exec_directory;

static exec_directory exec_directories[MAX_EXEC_DIRECTORIES];
static int n_exec_directories = 0;
static bool directory_owner_set = false;
static uid_t directory_uid = 0;
static gid_t directory_gid = 0;

/* systemd 252 exit-status.h: one status per directory type. */
static const struct {
  const char *type, *step;
  int status;
} directory_types[] = {
    {"runtime", "RUNTIME_DIRECTORY", 233}, {"state", "STATE_DIRECTORY", 238}, {"cache", "CACHE_DIRECTORY", 239},
    {"logs", "LOGS_DIRECTORY", 240},       {"configuration", "CONFIGURATION_DIRECTORY", 241},
};

static bool parse_directory(const char *value) {
  const char *colon = strchr(value, ':');
  if (colon == NULL || n_exec_directories >= MAX_EXEC_DIRECTORIES) return false;
  exec_directory *d = &exec_directories[n_exec_directories];
  memset(d, 0, sizeof *d);
  for (size_t i = 0; i < sizeof directory_types / sizeof directory_types[0]; i++) {
    if (strncmp(value, directory_types[i].type, (size_t)(colon - value)) != 0 || directory_types[i].type[colon - value] != '\0') continue;
    d->exit_status = directory_types[i].status;
    d->step = directory_types[i].step;
    d->configuration = i == 4;
  }
  char *end;
  unsigned long mode = strtoul(colon + 1, &end, 8);
  if (d->step == NULL || *end != ':' || mode > 07777 || end[1] != '/') return false;
  d->mode = (mode_t)mode;
  d->path = end + 1;
  n_exec_directories++;
  return true;
}

/* Returns whether `opt` is one of this file's options (a bad value is a usage error). */
static bool parse_directory_option(const char *opt, const char *value) {
  if (strcmp(opt, "--directory") == 0) {
    if (!parse_directory(value)) usage("bad --directory: ", value);
    return true;
  }
  if (strcmp(opt, "--directory-symlink") == 0) {
    exec_directory *d = n_exec_directories > 0 ? &exec_directories[n_exec_directories - 1] : NULL;
    if (d == NULL || d->nsymlinks >= MAX_DIRECTORY_SYMLINKS || value[0] != '/') usage("bad --directory-symlink: ", value);
    d->symlinks[d->nsymlinks++] = value;
    return true;
  }
  if (strcmp(opt, "--directory-owner") == 0) {
    unsigned long uid, gid;
    char *end;
    uid = strtoul(value, &end, 10);
    if (*end != ':') usage("bad --directory-owner: ", value);
    gid = strtoul(end + 1, &end, 10);
    if (*end != '\0') usage("bad --directory-owner: ", value);
    directory_owner_set = true, directory_uid = (uid_t)uid, directory_gid = (gid_t)gid;
    return true;
  }
  return false;
}

/* mkdir -p of PATH's parents, 0755 (mkdir_parents_label()). */
static int make_parents(const char *path) {
  char buf[PATH_MAX];
  if (strlen(path) >= sizeof buf) return -ENAMETOOLONG;
  strcpy(buf, path);
  for (char *slash = strchr(buf + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
    *slash = '\0';
    if (mkdir(buf, 0755) < 0 && errno != EEXIST) return -errno;
    *slash = '/';
  }
  return 0;
}

static uid_t chown_uid;
static gid_t chown_gid;

static int chown_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)flag, (void)ftw;
  if (st->st_uid == chown_uid && st->st_gid == chown_gid) return 0;
  if (lchown(path, chown_uid, chown_gid) < 0) return -errno;
  /* chown() clears set-uid/set-gid bits of files: put them back, as systemd's chown_one() does. */
  if (S_ISREG(st->st_mode) && (st->st_mode & 06000) != 0 && chmod(path, st->st_mode & 07777) < 0) return -errno;
  return 0;
}

/* path_chown_recursive(): the whole tree, unless the top already has the right owner (the documented shortcut). */
static int chown_recursive(const char *path, uid_t uid, gid_t gid) {
  struct stat st;
  if (stat(path, &st) < 0) return -errno;
  if (st.st_uid == uid && st.st_gid == gid) return 0;
  chown_uid = uid, chown_gid = gid;
  int r = nftw(path, chown_entry, 16, FTW_PHYS | FTW_MOUNT);
  return r < 0 ? -errno : r;
}

static int make_symlink(const char *target, const char *link) {
  int r = make_parents(link);
  if (r < 0) return r;
  if (symlink(target, link) == 0) return 0;
  if (errno != EEXIST) return -errno;
  char existing[PATH_MAX];
  ssize_t n = readlink(link, existing, sizeof existing - 1);
  if (n < 0) return -EEXIST;
  existing[n] = '\0';
  return strcmp(existing, target) == 0 ? 0 : -EEXIST;
}

static int setup_directory(const exec_directory *d, uid_t uid, gid_t gid) {
  int r = make_parents(d->path);
  if (r < 0) return r;
  if (mkdir(d->path, d->mode) < 0) {
    if (errno != EEXIST) return -errno;
    struct stat st;
    if (stat(d->path, &st) < 0) return -errno;
    if (!S_ISDIR(st.st_mode)) return -ENOTDIR;
    /* The configuration directory is usually not the service's to write: its owner and mode stay. */
    if (d->configuration) goto symlinks;
  }
  if (chmod(d->path, d->mode) < 0) return -errno;
  /* Ownership only as root: a user manager cannot give files away (and has nothing to fix). */
  if (!d->configuration && geteuid() == 0 && (r = chown_recursive(d->path, uid, gid)) < 0) return r;
symlinks:
  for (int i = 0; i < d->nsymlinks; i++)
    if ((r = make_symlink(d->path, d->symlinks[i])) < 0) return r;
  return 0;
}

/* Runs as root before the user switch; owner is User=/Group= (resolved by the supervisor), else root. */
static void setup_exec_directories(void) {
  uid_t uid = directory_owner_set ? directory_uid : 0;
  gid_t gid = directory_owner_set ? directory_gid : 0;
  for (int i = 0; i < n_exec_directories; i++) {
    const exec_directory *d = &exec_directories[i];
    int r = setup_directory(d, uid, gid);
    if (r < 0) {
      if (diag_fd >= 0) dprintf(diag_fd, "unitvisor-exec: Failed to set up special execution directory in %s: %s\n", d->path, strerror(-r));
      fail(d->exit_status, d->step, -r);
    }
  }
}
