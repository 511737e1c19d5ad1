/* Process attributes of systemd.exec(5) set in the child, in systemd 252 exec_child()'s order: IgnoreSIGPIPE=,
 * TTYPath=/TTYReset=/TTYVHangup=, OOMScoreAdjust=, Nice=, CPUScheduling*=, IOScheduling*=, Limit*=,
 * CapabilityBoundingSet=, SecureBits= before the user switch; AmbientCapabilities=, KeyringMode= and
 * NoNewPrivileges= after it. Included by unitvisor-exec.c.
 *
 *   --ignore-sigpipe                   SIGPIPE ignored (IgnoreSIGPIPE=yes, systemd's default)
 *   --tty-path PATH  --tty-reset  --tty-vhangup  --tty-vt-disallocate
 *   --stdin-tty  --stdout-tty  --stderr-tty   open TTYPath= for these streams
 *   --oom-score-adjust N   --nice N   --cpu-sched POLICY:PRIORITY:RESET   --ioprio CLASS:PRIORITY
 *   --rlimit RESOURCE:SOFT:HARD        numbers or "infinity"; RESOURCE as RLIMIT_* without the prefix
 *   --bounding-set HEX   --ambient-caps HEX   --secure-bits N   --keyring-mode private|shared
 *   --no-new-privileges */
#include <linux/capability.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <termios.h>

enum {
  EXIT_NICE = 201,
  EXIT_LIMITS = 205,
  EXIT_OOM_ADJUST = 206,
  EXIT_IOPRIO = 211,
  EXIT_SECUREBITS = 213,
  EXIT_SETSCHEDULER = 214,
  EXIT_CAPABILITIES = 218,
  EXIT_NO_NEW_PRIVILEGES = 227,
  EXIT_KEYRING = 237,
};

#define MAX_RLIMITS 16

static struct {
  bool ignore_sigpipe;
  const char *tty_path;
  bool tty_reset, tty_vhangup, tty_vt_disallocate, stdin_tty, stdout_tty, stderr_tty;
  bool has_oom, has_nice, has_sched, has_ioprio;
  int oom_score_adjust, nice, sched_policy, sched_priority, ioprio;
  bool sched_reset_on_fork;
  int n_rlimits;
  struct { int resource; struct rlimit limit; } rlimits[MAX_RLIMITS];
  bool has_bounding_set;
  uint64_t bounding_set, ambient;
  int secure_bits; /* -1: leave as is */
  const char *keyring_mode;
  bool no_new_privileges;
} attrs = {.secure_bits = -1};

static bool parse_attribute_flag(const char *opt) {
  if (strcmp(opt, "--ignore-sigpipe") == 0) return attrs.ignore_sigpipe = true;
  if (strcmp(opt, "--tty-reset") == 0) return attrs.tty_reset = true;
  if (strcmp(opt, "--tty-vhangup") == 0) return attrs.tty_vhangup = true;
  if (strcmp(opt, "--tty-vt-disallocate") == 0) return attrs.tty_vt_disallocate = true;
  if (strcmp(opt, "--stdin-tty") == 0) return attrs.stdin_tty = true;
  if (strcmp(opt, "--stdout-tty") == 0) return attrs.stdout_tty = true;
  if (strcmp(opt, "--stderr-tty") == 0) return attrs.stderr_tty = true;
  if (strcmp(opt, "--no-new-privileges") == 0) return attrs.no_new_privileges = true;
  return false;
}

static bool parse_long(const char *text, long min, long max, long *out, char **end) {
  errno = 0;
  *out = strtol(text, end, 10);
  return errno == 0 && *end != text && *out >= min && *out <= max;
}

static bool parse_limit_value(const char *text, char **end, rlim_t *out) {
  if (strncmp(text, "infinity", 8) == 0) {
    *out = RLIM_INFINITY, *end = (char *)text + 8;
    return true;
  }
  errno = 0;
  unsigned long long v = strtoull(text, end, 10);
  *out = (rlim_t)v;
  return errno == 0 && *end != text;
}

static const struct { const char *name; int resource; } rlimit_names[] = {
    {"CPU", RLIMIT_CPU},         {"FSIZE", RLIMIT_FSIZE},     {"DATA", RLIMIT_DATA},     {"STACK", RLIMIT_STACK},
    {"CORE", RLIMIT_CORE},       {"RSS", RLIMIT_RSS},         {"NOFILE", RLIMIT_NOFILE}, {"AS", RLIMIT_AS},
    {"NPROC", RLIMIT_NPROC},     {"MEMLOCK", RLIMIT_MEMLOCK}, {"LOCKS", RLIMIT_LOCKS},   {"SIGPENDING", RLIMIT_SIGPENDING},
    {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE},     {"RTPRIO", RLIMIT_RTPRIO}, {"RTTIME", RLIMIT_RTTIME},
};

static bool parse_rlimit(const char *value) {
  const char *colon = strchr(value, ':');
  if (colon == NULL || attrs.n_rlimits >= MAX_RLIMITS) return false;
  int resource = -1;
  for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
    if (strlen(rlimit_names[i].name) == (size_t)(colon - value) && strncmp(value, rlimit_names[i].name, (size_t)(colon - value)) == 0)
      resource = rlimit_names[i].resource;
  char *end;
  struct rlimit limit;
  if (resource < 0 || !parse_limit_value(colon + 1, &end, &limit.rlim_cur) || *end != ':') return false;
  if (!parse_limit_value(end + 1, &end, &limit.rlim_max) || *end != '\0') return false;
  attrs.rlimits[attrs.n_rlimits].resource = resource;
  attrs.rlimits[attrs.n_rlimits++].limit = limit;
  return true;
}

static bool parse_colon_ints(const char *value, long *a, long *b, long *c) {
  char *end;
  if (!parse_long(value, 0, 7, a, &end) || *end != ':') return false;
  if (!parse_long(end + 1, 0, 99, b, &end)) return false;
  if (c == NULL) return *end == '\0';
  return *end == ':' && parse_long(end + 1, 0, 1, c, &end) && *end == '\0';
}

/* Returns whether `opt` is one of this file's options taking a value (a bad value is a usage error). */
static bool parse_attribute_option(const char *opt, const char *value) {
  char *end;
  long n, a, b, c;
  if (strcmp(opt, "--tty-path") == 0) attrs.tty_path = value;
  else if (strcmp(opt, "--oom-score-adjust") == 0) {
    if (!parse_long(value, -1000, 1000, &n, &end) || *end != '\0') usage("bad --oom-score-adjust: ", value);
    attrs.has_oom = true, attrs.oom_score_adjust = (int)n;
  } else if (strcmp(opt, "--nice") == 0) {
    if (!parse_long(value, -20, 19, &n, &end) || *end != '\0') usage("bad --nice: ", value);
    attrs.has_nice = true, attrs.nice = (int)n;
  } else if (strcmp(opt, "--cpu-sched") == 0) {
    if (!parse_colon_ints(value, &a, &b, &c)) usage("bad --cpu-sched: ", value);
    attrs.has_sched = true, attrs.sched_policy = (int)a, attrs.sched_priority = (int)b, attrs.sched_reset_on_fork = c == 1;
  } else if (strcmp(opt, "--ioprio") == 0) {
    if (!parse_colon_ints(value, &a, &b, NULL) || a > 3 || b > 7) usage("bad --ioprio: ", value);
    attrs.has_ioprio = true, attrs.ioprio = (int)((a << 13) | b); /* IOPRIO_PRIO_VALUE(class, data) */
  } else if (strcmp(opt, "--rlimit") == 0) {
    if (!parse_rlimit(value)) usage("bad --rlimit: ", value);
  } else if (strcmp(opt, "--bounding-set") == 0 || strcmp(opt, "--ambient-caps") == 0) {
    errno = 0;
    uint64_t mask = strtoull(value, &end, 16);
    if (errno != 0 || *end != '\0' || end == value) usage("bad capability mask: ", value);
    if (opt[2] == 'b') attrs.has_bounding_set = true, attrs.bounding_set = mask;
    else attrs.ambient = mask;
  } else if (strcmp(opt, "--secure-bits") == 0) {
    if (!parse_long(value, 0, 0xff, &n, &end) || *end != '\0') usage("bad --secure-bits: ", value);
    attrs.secure_bits = (int)n;
  } else if (strcmp(opt, "--keyring-mode") == 0) {
    if (strcmp(value, "private") != 0 && strcmp(value, "shared") != 0) usage("bad --keyring-mode: ", value);
    attrs.keyring_mode = value;
  } else return false;
  return true;
}

/* IgnoreSIGPIPE=yes (the default): after the reset of every disposition. */
static void apply_sigpipe(void) {
  if (attrs.ignore_sigpipe) signal(SIGPIPE, SIG_IGN);
}

/* exec_context_tty_reset(): TTYVHangup=, TTYReset=, TTYVTDisallocate= on TTYPath= (default /dev/console). Best effort, as systemd. */
static void reset_tty(void) {
  if (!attrs.tty_reset && !attrs.tty_vhangup && !attrs.tty_vt_disallocate) return;
  const char *path = attrs.tty_path != NULL ? attrs.tty_path : "/dev/console";
  int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return;
  if (attrs.tty_vhangup) (void)ioctl(fd, TIOCVHANGUP);
  if (attrs.tty_reset) {
    /* reset_terminal_fd(): sane line discipline, then the RIS escape. */
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
      t.c_iflag &= ~(IGNBRK | BRKINT | ISTRIP | INLCR | IGNCR | IUCLC);
      t.c_iflag |= ICRNL | IMAXBEL | IUTF8;
      t.c_oflag |= ONLCR | OPOST;
      t.c_cflag |= CREAD;
      t.c_lflag = ISIG | ICANON | IEXTEN | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE;
      (void)tcsetattr(fd, TCSANOW, &t);
    }
    (void)!write(fd, "\033c", 2);
  }
  if (attrs.tty_vt_disallocate) (void)!write(fd, "\033[H\033[3J", 7); /* clear screen and scrollback */
  close(fd);
}

/* StandardInput=tty / StandardOutput=tty with TTYPath=: the terminal, made controlling for standard input. */
static void open_tty_streams(void) {
  if (attrs.tty_path == NULL || (!attrs.stdin_tty && !attrs.stdout_tty && !attrs.stderr_tty)) return;
  int fd = open(attrs.tty_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) fail(attrs.stdin_tty ? EXIT_STDIN : EXIT_STDOUT, attrs.stdin_tty ? "STDIN" : "STDOUT", errno);
  if (attrs.stdin_tty) (void)ioctl(fd, TIOCSCTTY, 0);
  int targets[3] = {attrs.stdin_tty ? 0 : -1, attrs.stdout_tty ? 1 : -1, attrs.stderr_tty ? 2 : -1};
  for (int i = 0; i < 3; i++)
    if (targets[i] >= 0 && dup2(fd, targets[i]) < 0) fail(i == 0 ? EXIT_STDIN : i == 1 ? EXIT_STDOUT : EXIT_STDERR, i == 0 ? "STDIN" : i == 1 ? "STDOUT" : "STDERR", errno);
  close(fd);
}

/* setrlimit_closest(): a hard limit above what we may set is lowered to the current hard limit. */
static int set_rlimit_closest(int resource, const struct rlimit *want) {
  if (setrlimit(resource, want) == 0) return 0;
  if (errno != EPERM) return -errno;
  struct rlimit now, fixed = *want;
  if (getrlimit(resource, &now) < 0) return -errno;
  if (fixed.rlim_max > now.rlim_max) fixed.rlim_max = now.rlim_max;
  if (fixed.rlim_cur > fixed.rlim_max) fixed.rlim_cur = fixed.rlim_max;
  return setrlimit(resource, &fixed) == 0 ? 0 : -errno;
}

static int cap_last(void) {
  static int last = -1;
  if (last >= 0) return last;
  FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
  if (f == NULL || fscanf(f, "%d", &last) != 1) last = CAP_LAST_CAP;
  if (f != NULL) fclose(f);
  return last;
}

/* Everything that needs the manager's privileges: before setgroups()/setgid()/setuid(). */
static void apply_privileged_attributes(bool switching_user) {
  if (attrs.has_oom) {
    /* systemd ignores EPERM/EACCES here: "assuming containerized execution". */
    FILE *f = fopen("/proc/self/oom_score_adj", "we");
    if (f == NULL && errno != EPERM && errno != EACCES) fail(EXIT_OOM_ADJUST, "OOM_ADJUST", errno);
    if (f != NULL && (fprintf(f, "%d", attrs.oom_score_adjust) < 0 || fclose(f) != 0) && errno != EPERM && errno != EACCES)
      fail(EXIT_OOM_ADJUST, "OOM_ADJUST", errno);
  }
  if (attrs.has_nice && setpriority(PRIO_PROCESS, 0, attrs.nice) < 0) fail(EXIT_NICE, "NICE", errno);
  if (attrs.has_sched) {
    struct sched_param param = {.sched_priority = attrs.sched_priority};
    int policy = attrs.sched_policy | (attrs.sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
    if (sched_setscheduler(0, policy, &param) < 0) fail(EXIT_SETSCHEDULER, "SETSCHEDULER", errno);
  }
  if (attrs.has_ioprio && syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, attrs.ioprio) < 0) fail(EXIT_IOPRIO, "IOPRIO", errno);
  for (int i = 0; i < attrs.n_rlimits; i++) {
    int r = set_rlimit_closest(attrs.rlimits[i].resource, &attrs.rlimits[i].limit);
    if (r < 0) fail(EXIT_LIMITS, "LIMITS", -r);
  }
  if (attrs.has_bounding_set)
    for (int cap = 0; cap <= cap_last(); cap++)
      if (!(attrs.bounding_set & (UINT64_C(1) << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) fail(EXIT_CAPABILITIES, "CAPABILITIES", errno);
  int bits = attrs.secure_bits >= 0 ? attrs.secure_bits : prctl(PR_GET_SECUREBITS);
  /* Ambient capabilities survive the switch to another user only with SECURE_KEEP_CAPS. */
  if (attrs.ambient != 0 && switching_user) bits |= 1 << 4;
  if (bits >= 0 && bits != prctl(PR_GET_SECUREBITS) && prctl(PR_SET_SECUREBITS, bits) < 0) fail(EXIT_SECUREBITS, "SECUREBITS", errno);
}

/* capability_ambient_set_apply(): into the inheritable set, then raised into the ambient one. */
static void apply_ambient_capabilities(void) {
  if (attrs.ambient == 0) return;
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) < 0) fail(EXIT_CAPABILITIES, "CAPABILITIES", errno);
  data[0].inheritable |= (uint32_t)attrs.ambient;
  data[1].inheritable |= (uint32_t)(attrs.ambient >> 32);
  if (syscall(SYS_capset, &header, data) < 0) fail(EXIT_CAPABILITIES, "CAPABILITIES", errno);
  for (int cap = 0; cap <= cap_last(); cap++)
    if ((attrs.ambient & (UINT64_C(1) << cap)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
      fail(EXIT_CAPABILITIES, "CAPABILITIES", errno);
}

/* setup_keyring(): a session keyring of the service's own (private), linked to the user keyring (shared).
 * Joined after the user switch, so that it belongs to the service's user. A kernel or container (Docker's
 * seccomp profile) without keyrings is no failure, as in systemd. */
static void apply_keyring(void) {
  if (attrs.keyring_mode == NULL) return;
  if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0) < 0) {
    if (errno == ENOSYS || errno == EOPNOTSUPP || errno == EPERM || errno == EACCES) return;
    fail(EXIT_KEYRING, "KEYRING", errno);
  }
  if (strcmp(attrs.keyring_mode, "shared") == 0 &&
      syscall(SYS_keyctl, KEYCTL_LINK, KEY_SPEC_USER_KEYRING, KEY_SPEC_SESSION_KEYRING) < 0)
    fail(EXIT_KEYRING, "KEYRING", errno);
}

/* After the user switch: ambient capabilities, the keyring, and last of all NoNewPrivileges=. */
static void apply_unprivileged_attributes(void) {
  apply_ambient_capabilities();
  apply_keyring();
  if (attrs.no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) fail(EXIT_NO_NEW_PRIVILEGES, "NO_NEW_PRIVILEGES", errno);
}
