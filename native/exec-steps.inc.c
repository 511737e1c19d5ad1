/* The individual exec steps of unitvisor-exec (systemd.exec(5): User=, Group=, SupplementaryGroups=,
 * StandardInput=/StandardOutput=/StandardError= file:, UMask=, WorkingDirectory=), included by unitvisor-exec.c. */

typedef struct {
  bool set_uid, set_gid;
  uid_t uid;
  gid_t gid;
  gid_t groups[MAX_GROUPS];
  int ngroups; /* > 0: setgroups() to exactly these */
} credentials;

/* Decimal ids are accepted like systemd's parse_uid(); -1 and 65535 are never valid. */
static bool parse_id(const char *name, unsigned long *id) {
  if (name[0] < '0' || name[0] > '9') return false;
  char *end;
  errno = 0;
  *id = strtoul(name, &end, 10);
  return errno == 0 && *end == '\0' && *id < 0xFFFFFFFFUL && *id != 0xFFFFUL;
}

static bool lookup_gid(const char *name, gid_t *gid) {
  unsigned long id;
  struct group *gr = parse_id(name, &id) ? getgrgid((gid_t)id) : getgrnam(name);
  if (gr == NULL) return false;
  *gid = gr->gr_gid;
  return true;
}

static void add_group(credentials *c, gid_t gid) {
  for (int i = 0; i < c->ngroups; i++)
    if (c->groups[i] == gid) return;
  if (c->ngroups >= MAX_GROUPS) fail(EXIT_GROUP, "GROUP", E2BIG);
  c->groups[c->ngroups++] = gid;
}

/* systemd get_fixed_user(), get_fixed_group(), get_supplementary_groups(). */
static void resolve_credentials(const options *o, credentials *c) {
  memset(c, 0, sizeof *c);
  const char *username = NULL;
  if (o->user != NULL) {
    unsigned long id;
    struct passwd *pw = parse_id(o->user, &id) ? getpwuid((uid_t)id) : getpwnam(o->user);
    if (pw == NULL) fail(EXIT_USER, "USER", ESRCH);
    c->set_uid = c->set_gid = true;
    c->uid = pw->pw_uid;
    c->gid = pw->pw_gid; /* the user's primary group unless Group= says otherwise */
    username = pw->pw_name;
  }
  if (o->group != NULL) {
    if (!lookup_gid(o->group, &c->gid)) fail(EXIT_GROUP, "GROUP", ESRCH);
    c->set_gid = true;
  }
  /* With User= (and a non-root gid), the user's groups from /etc/group come first (initgroups),
   * then SupplementaryGroups= are added to them. An unprivileged supervisor starting its own user
   * cannot change groups and keeps its own, as systemd --user does. */
  bool switch_user = c->set_uid && (geteuid() == 0 || c->uid != geteuid());
  if (username != NULL && switch_user && c->gid != 0) {
    int n = MAX_GROUPS;
    if (getgrouplist(username, c->gid, c->groups, &n) < 0) fail(EXIT_GROUP, "GROUP", E2BIG);
    c->ngroups = n;
  }
  if (o->supplementary == NULL || o->supplementary[0] == '\0') return;
  if (c->ngroups == 0 && c->set_uid && !switch_user) {
    /* keep our own groups as the base, like initgroups() would have produced */
    c->ngroups = getgroups(MAX_GROUPS, c->groups);
    if (c->ngroups < 0) fail(EXIT_GROUP, "GROUP", errno);
  }
  char list[4096];
  if (strlen(o->supplementary) >= sizeof list) fail(EXIT_GROUP, "GROUP", E2BIG);
  strcpy(list, o->supplementary);
  for (char *save = NULL, *name = strtok_r(list, ", ", &save); name != NULL; name = strtok_r(NULL, ", ", &save)) {
    gid_t gid;
    if (!lookup_gid(name, &gid)) fail(EXIT_GROUP, "GROUP", ESRCH);
    add_group(c, gid);
  }
}

/* systemd enforce_groups() then enforce_user(): groups first, since setuid() drops the right to change them. */
static void enforce_credentials(const credentials *c) {
  if (c->ngroups > 0 && setgroups((size_t)c->ngroups, c->groups) < 0) fail(EXIT_GROUP, "GROUP", errno);
  if (c->set_gid && setresgid(c->gid, c->gid, c->gid) < 0) fail(EXIT_GROUP, "GROUP", errno);
  if (c->set_uid && setresuid(c->uid, c->uid, c->uid) < 0) fail(EXIT_USER, "USER", errno);
}

/* Puts `fd` at `target`, leaving no extra copy. */
static bool move_fd(int fd, int target) {
  if (fd == target) return fcntl(fd, F_SETFD, 0) == 0; /* O_CLOEXEC must not apply to stdio */
  bool ok = dup2(fd, target) == target;
  close(fd);
  return ok;
}

static bool open_output(const io_spec *spec, int target, mode_t file_mode) {
  int flags = O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC;
  switch (spec->mode) {
    case IO_INHERIT: return true;
    case IO_TO_STDOUT: return dup2(STDOUT_FILENO, target) == target;
    case IO_NULL: return move_fd(open("/dev/null", O_WRONLY | O_NOCTTY | O_CLOEXEC), target);
    case IO_FILE: break; /* file: writes from the start without truncating, as systemd.exec(5) says */
    case IO_APPEND: flags |= O_APPEND; break;
    case IO_TRUNCATE: flags |= O_TRUNC; break;
  }
  int fd = open(spec->path, flags, file_mode);
  return fd >= 0 && move_fd(fd, target);
}

/* systemd setup_input()/setup_output(): stdin 208/STDIN, stdout 209/STDOUT, stderr 222/STDERR. */
static void setup_stdio(const options *o) {
  /* systemd creates output files with 0666 & ~UMask= (acquire_path()). */
  mode_t file_mode = o->has_umask ? (0666 & ~o->umask) : 0666;
  if (o->in.mode == IO_NULL && !move_fd(open("/dev/null", O_RDONLY | O_NOCTTY | O_CLOEXEC), STDIN_FILENO))
    fail(EXIT_STDIN, "STDIN", errno);
  if (o->in.mode == IO_FILE && !move_fd(open(o->in.path, O_RDONLY | O_NOCTTY | O_CLOEXEC), STDIN_FILENO))
    fail(EXIT_STDIN, "STDIN", errno);
  if (!open_output(&o->out, STDOUT_FILENO, file_mode)) fail(EXIT_STDOUT, "STDOUT", errno);
  if (!open_output(&o->err, STDERR_FILENO, file_mode)) fail(EXIT_STDERR, "STDERR", errno);
}

/* systemd apply_working_directory(): WorkingDirectory=-DIR ignores a missing directory. */
static void apply_working_directory(const options *o) {
  if (o->chdir == NULL) return;
  if (chdir(o->chdir) < 0 && !o->chdir_optional) fail(EXIT_CHDIR, "CHDIR", errno);
}

/* Default dispositions and an empty mask: systemd's reset_all_signal_handlers() and reset_signal_mask(). */
static void reset_signals(void) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  /* glibc refuses its internal RT signals (32, 33), which posix_spawn() leaves ignored: the kernel's call takes
   * them ({handler, flags, restorer, mask} on x86-64; arm64 reads {handler, flags, mask}: all zero but SIG_DFL). */
  const unsigned long kernel_dfl[4] = {(unsigned long)SIG_DFL, 0, 0, 0};
  for (int sig = 1; sig < NSIG; sig++)
    if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, &dfl, NULL) < 0) (void)syscall(SYS_rt_sigaction, sig, kernel_dfl, NULL, sizeof(unsigned long));
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

static bool is_executable_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* A PATH with "/" is used as given; otherwise $PATH of the service's environment is searched
 * (systemd's find_executable_full()). The error of the best candidate wins: EACCES over ENOENT. */
static void locate_executable(const char *name, char *out, size_t size) {
  if (strchr(name, '/') != NULL) {
    if (strlen(name) >= size) fail(EXIT_EXEC, "EXEC", ENAMETOOLONG);
    /* systemd checks the file before execve(): "Failed to locate executable" for ENOENT and EACCES alike. */
    struct stat st;
    if (stat(name, &st) < 0) fail(EXIT_EXEC, "EXEC", errno);
    if (!S_ISREG(st.st_mode)) fail(EXIT_EXEC, "EXEC", EACCES);
    if (access(name, X_OK) < 0) fail(EXIT_EXEC, "EXEC", errno);
    strcpy(out, name);
    return;
  }
  const char *search = getenv("PATH");
  if (search == NULL) search = DEFAULT_PATH;
  int err = ENOENT;
  for (const char *p = search;; p++) {
    const char *end = strchrnul(p, ':');
    int dir_len = (int)(end - p);
    if (dir_len > 0 && snprintf(out, size, "%.*s/%s", dir_len, p, name) < (int)size) {
      if (is_executable_file(out)) return;
      if (access(out, F_OK) == 0) err = EACCES;
    }
    if (*end == '\0') break;
    p = end;
  }
  fail(EXIT_EXEC, "EXEC", err);
}

/* Moves the helper's own fds above `floor`, so that nothing it still needs sits where a socket goes. */
static int lift_fd(int fd, int floor) {
  if (fd < 0 || fd >= floor) return fd;
  int lifted = fcntl(fd, F_DUPFD_CLOEXEC, floor);
  if (lifted < 0) fail(EXIT_FDS, "FDS", errno);
  close(fd);
  return lifted;
}

/* sd_listen_fds(3): the sockets at 3..3+N-1 without close-on-exec, LISTEN_FDS=N and LISTEN_PID of this very process
 * (which execve() keeps), as systemd's exec_child() does after fork. $LISTEN_FDNAMES comes with the environment. */
static void pass_listen_fds(options *o) {
  if (o->listen_count == 0) return;
  int floor = o->listen_base + o->listen_count;
  diag_fd = lift_fd(diag_fd, floor);
  report_fd = lift_fd(report_fd, floor);
  if (o->exec_fd >= 0) o->exec_fd = report_fd;
  /* Ascending is safe: each target 3+i is below its source BASE+i, and every source above it is still unread. */
  for (int i = 0; i < o->listen_count; i++)
    if (dup2(o->listen_base + i, 3 + i) < 0) fail(EXIT_FDS, "FDS", errno);
  char value[32];
  snprintf(value, sizeof value, "%d", o->listen_count);
  setenv("LISTEN_FDS", value, 1);
  snprintf(value, sizeof value, "%d", (int)getpid());
  setenv("LISTEN_PID", value, 1);
}

/* Closes every fd >= `first` except the exec fd and our diagnostic copy of stderr (both close on exec). */
static void close_other_fds(int keep, int first) {
  DIR *dir = opendir("/proc/self/fd");
  if (dir == NULL) {
    struct rlimit rl;
    int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
    for (int fd = first; fd < max; fd++)
      if (fd != keep && fd != diag_fd) close(fd);
    return;
  }
  int own = dirfd(dir);
  for (struct dirent *entry; (entry = readdir(dir)) != NULL;) {
    int fd = atoi(entry->d_name);
    if (entry->d_name[0] >= '0' && entry->d_name[0] <= '9' && fd >= first && fd != own && fd != keep && fd != diag_fd)
      close(fd);
  }
  closedir(dir);
}

/* systemd's exec_child() attaches the child to the unit's cgroup before any other step (cg_attach()):
 * writing "0" to cgroup.procs moves the writer itself. */
static void join_cgroup(const char *dir) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/cgroup.procs", dir) >= (int)sizeof path) fail(EXIT_CGROUP, "CGROUP", ENAMETOOLONG);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail(EXIT_CGROUP, "CGROUP", errno);
  ssize_t n;
  do n = write(fd, "0", 1); while (n < 0 && errno == EINTR);
  if (n < 0) fail(EXIT_CGROUP, "CGROUP", errno);
  close(fd);
}
