/* unitvisor-exec: systemd's exec steps in the spawned child, then execve() (systemd.exec(5); systemd 252
 * src/core/execute.c exec_child(); exit codes from src/basic/exit-status.h, so a failure reads 203/EXEC etc.).
 *
 *   unitvisor-exec [options] -- PATH ARGV0 [ARGS...]
 *
 * Node's child_process cannot set supplementary groups (libuv clears them), the umask, or report whether
 * execve() succeeded (Type=exec); this helper does those steps in systemd's order and then becomes PATH. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* systemd 252 exit-status.h */
enum {
  EXIT_CHDIR = 200,
  EXIT_EXEC = 203,
  EXIT_STDIN = 208,
  EXIT_STDOUT = 209,
  EXIT_GROUP = 216,
  EXIT_USER = 217,
  EXIT_CGROUP = 219,
  EXIT_FDS = 220,
  EXIT_STDERR = 222,
  EXIT_USAGE = 2, /* a bad command line from the supervisor itself, not a service failure */
};

/* systemd's default search path when $PATH is unset (DEFAULT_PATH_NORMAL). */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin"
#define MAX_GROUPS 256

extern char **environ;

typedef enum { IO_INHERIT, IO_NULL, IO_FILE, IO_APPEND, IO_TRUNCATE, IO_TO_STDOUT } io_mode;

typedef struct {
  io_mode mode;
  const char *path;
} io_spec;

typedef struct {
  const char *cgroup; /* the unit's cgroup v2 directory: joined first, so every descendant is in it */
  const char *chdir;
  bool chdir_optional;
  bool has_umask;
  mode_t umask;
  const char *user, *group, *supplementary;
  io_spec in, out, err;
  int exec_fd;      /* Type=exec: the parent reads this pipe; EOF without data = execve() succeeded */
  int listen_base;  /* socket activation: fds listen_base.. are moved to 3.. (sd_listen_fds(3)) */
  int listen_count;
  char **command;   /* PATH ARGV0 ARGS... */
} options;

static int diag_fd = -1; /* our original stderr, CLOEXEC: failures reach the supervisor even after redirection */
static const char *command_path = "";
static const char *cgroup_path = "";
static int report_fd = -1;

static bool missing_ok = false; /* "-" prefix: a missing executable is skipped, exit 0 (systemd 252) */
static bool set_exec_pid = false; /* $SYSTEMD_EXEC_PID, unless the unit's environment set it already */
static bool located = false; /* the executable was found: an EXEC failure now is execve()'s own */

/* What systemd's exec_child() logs before returning the failure (execute.c, systemd 252). */
static void explain(const char *step, int err) {
  const char *e = strerror(err);
  if (strcmp(step, "EXEC") == 0 && located) dprintf(diag_fd, "unitvisor-exec: Failed to execute %s: %s\n", command_path, e);
  else if (strcmp(step, "EXEC") == 0) dprintf(diag_fd, "unitvisor-exec: Failed to locate executable %s: %s\n", command_path, e);
  else if (strcmp(step, "USER") == 0) dprintf(diag_fd, "unitvisor-exec: Failed to determine user credentials: %s\n", e);
  else if (strcmp(step, "GROUP") == 0) dprintf(diag_fd, "unitvisor-exec: Failed to determine group credentials: %s\n", e);
  else if (strcmp(step, "CHDIR") == 0) dprintf(diag_fd, "unitvisor-exec: Changing to the requested working directory failed: %s\n", e);
  else if (strcmp(step, "CGROUP") == 0) dprintf(diag_fd, "unitvisor-exec: Failed to attach to cgroup %s: %s\n", cgroup_path, e);
  else if (strcmp(step, "STDIN") == 0) dprintf(diag_fd, "unitvisor-exec: Failed to set up standard input: %s\n", e);
  else if (strcmp(step, "STDOUT") == 0) dprintf(diag_fd, "unitvisor-exec: Failed to set up standard output: %s\n", e);
  else if (strcmp(step, "STDERR") == 0) dprintf(diag_fd, "unitvisor-exec: Failed to set up standard error output: %s\n", e);
  else if (strcmp(step, "FDS") == 0) dprintf(diag_fd, "unitvisor-exec: Failed to prepare socket file descriptors: %s\n", e);
}

/* systemd logs why, then "Failed at step STEP spawning PATH: ERROR", and exits with the step's status. */
static void fail(int status, const char *step, int err) {
  if (missing_ok && strcmp(step, "EXEC") == 0 && !located && err != ENOMEM) {
    if (diag_fd >= 0) dprintf(diag_fd, "unitvisor-exec: Executable %s missing, skipping: %s\n", command_path, strerror(err));
    _exit(0);
  }
  if (diag_fd >= 0) explain(step, err);
  if (diag_fd >= 0) dprintf(diag_fd, "unitvisor-exec: Failed at step %s spawning %s: %s\n", step, command_path, strerror(err));
  if (report_fd >= 0) {
    /* Any failure before the new program runs is data on the exec fd, so EOF alone always means success. */
    int32_t value = err;
    ssize_t n;
    do n = write(report_fd, &value, sizeof value); while (n < 0 && errno == EINTR);
  }
  _exit(status);
}

static void usage(const char *problem, const char *arg) {
  if (diag_fd >= 0) dprintf(diag_fd, "unitvisor-exec: %s%s\nusage: unitvisor-exec [options] -- PATH ARGV0 [ARGS...]\n", problem, arg);
  _exit(EXIT_USAGE);
}

static bool set_output(io_spec *spec, const char *kind, const char *value) {
  if (strcmp(kind, "file") == 0) spec->mode = IO_FILE;
  else if (strcmp(kind, "append") == 0) spec->mode = IO_APPEND;
  else if (strcmp(kind, "truncate") == 0) spec->mode = IO_TRUNCATE;
  else return false;
  spec->path = value;
  return true;
}

#include "exec-directories.inc.c"
#include "exec-attributes.inc.c"
#include "exec-sandbox.inc.c"
#include "exec-seccomp.inc.c"

static void parse(int argc, char **argv, options *o) {
  memset(o, 0, sizeof *o);
  o->exec_fd = -1;
  int i = 1;
  for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
    const char *opt = argv[i];
    /* Flags without a value. */
    if (strcmp(opt, "--stdin-null") == 0) { o->in.mode = IO_NULL; continue; }
    if (strcmp(opt, "--stdout-null") == 0) { o->out.mode = IO_NULL; continue; }
    if (strcmp(opt, "--stderr-null") == 0) { o->err.mode = IO_NULL; continue; }
    if (strcmp(opt, "--stderr-to-stdout") == 0) { o->err.mode = IO_TO_STDOUT; continue; }
    if (strcmp(opt, "--missing-ok") == 0) { missing_ok = true; continue; }
    if (strcmp(opt, "--set-exec-pid") == 0) { set_exec_pid = true; continue; }
    if (parse_attribute_flag(opt) || parse_sandbox_flag(opt) || parse_seccomp_flag(opt)) continue;
    if (i + 1 >= argc) usage("option needs a value: ", opt);
    const char *value = argv[++i];
    if (strcmp(opt, "--cgroup") == 0) o->cgroup = cgroup_path = value;
    else if (strcmp(opt, "--chdir") == 0) o->chdir = value, o->chdir_optional = false;
    else if (strcmp(opt, "--chdir-optional") == 0) o->chdir = value, o->chdir_optional = true;
    else if (strcmp(opt, "--umask") == 0) {
      char *end;
      unsigned long mask = strtoul(value, &end, 8);
      if (*value == '\0' || *end != '\0' || mask > 0777) usage("bad --umask: ", value);
      o->has_umask = true, o->umask = (mode_t)mask;
    } else if (strcmp(opt, "--user") == 0) o->user = value;
    else if (strcmp(opt, "--group") == 0) o->group = value;
    else if (strcmp(opt, "--supplementary-groups") == 0) o->supplementary = value;
    else if (strcmp(opt, "--stdin-file") == 0) o->in.mode = IO_FILE, o->in.path = value;
    else if (strncmp(opt, "--stdout-", 9) == 0 && set_output(&o->out, opt + 9, value)) continue;
    else if (strncmp(opt, "--stderr-", 9) == 0 && set_output(&o->err, opt + 9, value)) continue;
    else if (strcmp(opt, "--listen-fds") == 0) {
      /* BASE:COUNT — Node put the sockets at BASE..BASE+COUNT-1, after the helper's own pipes. */
      char *end;
      long base = strtol(value, &end, 10), count = *end == ':' ? strtol(end + 1, &end, 10) : -1;
      if (*end != '\0' || base < 4 || count < 1 || count > 4096) usage("bad --listen-fds: ", value);
      o->listen_base = (int)base, o->listen_count = (int)count;
    } else if (strcmp(opt, "--exec-fd") == 0) {
      char *end;
      long fd = strtol(value, &end, 10);
      if (*value == '\0' || *end != '\0' || fd < 3 || fd > 65535) usage("bad --exec-fd: ", value);
      o->exec_fd = (int)fd;
    } else if (strcmp(opt, "--diag-fd") == 0) {
      /* A pipe of its own for the failure lines, so they reach the supervisor whatever stderr is. */
      char *end;
      long fd = strtol(value, &end, 10);
      if (*value == '\0' || *end != '\0' || fd < 3 || fd > 65535 || fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) usage("bad --diag-fd: ", value);
      if (diag_fd >= 0) close(diag_fd);
      diag_fd = (int)fd;
    } else if (!parse_directory_option(opt, value) && !parse_attribute_option(opt, value) && !parse_sandbox_option(opt, value) &&
               !parse_seccomp_option(opt, value)) usage("unknown option: ", opt);
  }
  /* argv[i] is "--", then PATH and ARGV0 at least. */
  if (argc - i < 3) usage("missing PATH and ARGV0 after --", "");
  o->command = argv + i + 1;
  command_path = o->command[0];
}

#include "exec-steps.inc.c"

/* Services die with their supervisor (a `kill -9` of `unitvisor up`, a test runner killed by its timeout):
 * the kernel sends SIGKILL when the supervisor's thread exits. Set after the last credential change, which
 * clears it; a set-user-ID program clears it at execve(). What forks away from the main process is not
 * covered: the next supervisor sweeps it by INVOCATION_ID. */
static void die_with_supervisor(pid_t supervisor) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0) return;
  /* The supervisor died before the setting took effect: we were re-parented already. */
  if (getppid() != supervisor) raise(SIGKILL);
}

int main(int argc, char **argv) {
  diag_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  if (argc == 2 && strcmp(argv[1], "--seccomp-available") == 0) return open_libseccomp() ? 0 : 1;
  pid_t supervisor = getppid();
  options o;
  parse(argc, argv, &o);
  if (o.exec_fd >= 0) {
    report_fd = o.exec_fd;
    /* The pipe closes by itself when execve() succeeds. */
    if (fcntl(o.exec_fd, F_SETFD, FD_CLOEXEC) < 0) fail(EXIT_EXEC, "EXEC", errno);
  }
  if (o.cgroup != NULL) join_cgroup(o.cgroup);  /* 219/CGROUP, before anything can fork */
  reset_signals();                        /* Node ignores SIGPIPE, and children inherit ignored signals */
  apply_sigpipe();                        /* IgnoreSIGPIPE= */
  credentials creds;
  resolve_credentials(&o, &creds);        /* 217/USER, 216/GROUP */
  reset_tty();                            /* TTYReset=, TTYVHangup=, TTYVTDisallocate= */
  setup_stdio(&o);                        /* 208/STDIN, 209/STDOUT, 222/STDERR */
  open_tty_streams();                     /* StandardInput=tty etc. on TTYPath= */
  setup_exec_directories();               /* 233/RUNTIME_DIRECTORY … 241/CONFIGURATION_DIRECTORY, as root */
  setup_sandbox();                        /* 226/NAMESPACE: PrivateTmp=, ProtectSystem=, ReadOnlyPaths= ... */
  if (o.has_umask) umask(o.umask);
  apply_privileged_attributes(creds.set_uid && creds.uid != geteuid()); /* 206, 201, 214, 211, 205, 218, 213 */
  enforce_credentials(&creds);            /* setgroups, setgid (216), setuid (217) — in that order */
  apply_unprivileged_attributes();        /* 218 ambient, 237/KEYRING, 227/NO_NEW_PRIVILEGES */
  die_with_supervisor(supervisor);        /* PR_SET_PDEATHSIG, after the credentials are final */
  apply_working_directory(&o);            /* 200/CHDIR, after setuid: the directory may be readable by the user only */
  char executable[4096];
  locate_executable(o.command[0], executable, sizeof executable);  /* 203/EXEC */
  pass_listen_fds(&o);                    /* sockets to 3.., $LISTEN_FDS and $LISTEN_PID */
  close_other_fds(o.exec_fd, 3 + o.listen_count); /* systemd passes no fd it was not told to pass */
  located = true;
  if (set_exec_pid) {
    char pid[32];
    snprintf(pid, sizeof pid, "%d", (int)getpid());
    setenv("SYSTEMD_EXEC_PID", pid, 0);
  }
  apply_seccomp();                        /* 228/SECCOMP: SystemCallFilter= & co., the very last step */
  execve(executable, o.command + 1, environ);
  fail(EXIT_EXEC, "EXEC", errno);
  return EXIT_EXEC;
}
