/* Seccomp filters (systemd.exec(5) "System Call Filtering"; systemd 252 seccomp-util.c): SystemCallFilter= with
 * SystemCallErrorNumber=, RestrictAddressFamilies=, MemoryDenyWriteExecute=. libseccomp.so.2 is opened at run
 * time, so the helper needs no headers or library to build; where it is absent the filters are skipped (the
 * supervisor reports them as not enforced). Included by unitvisor-exec.c.
 *
 *   --syscall-filter allow|deny:kill|ERRNO:NAME[:ERRNO],...   (groups already expanded by the supervisor)
 *   --address-families allow|deny:AF,...   --memory-deny-write-execute
 *   --seccomp-available   (alone: exit 0 when libseccomp.so.2 can be loaded) */
#include <dlfcn.h>

enum { EXIT_SECCOMP = 228 };

/* libseccomp's stable ABI (seccomp.h), declared here since only the run-time library is needed. */
typedef void *scmp_filter_ctx;
struct scmp_arg_cmp {
  unsigned int arg;
  int op;
  uint64_t datum_a, datum_b;
};
enum { SCMP_CMP_LT = 2, SCMP_CMP_EQ = 4, SCMP_CMP_GT = 6, SCMP_CMP_MASKED_EQ = 7 };
enum { SCMP_FLTATR_CTL_NNP = 3 };
#define SCMP_ACT_KILL_PROCESS 0x80000000U
#define SCMP_ACT_ALLOW 0x7fff0000U
#define SCMP_ACT_ERRNO(x) (0x00050000U | ((uint32_t)(x)&0x0000ffffU))

static struct {
  scmp_filter_ctx (*init)(uint32_t);
  int (*attr_set)(scmp_filter_ctx, int, uint32_t);
  int (*resolve)(const char *);
  int (*rule_add_array)(scmp_filter_ctx, uint32_t, int, unsigned int, const struct scmp_arg_cmp *);
  int (*load)(scmp_filter_ctx);
  void (*release)(scmp_filter_ctx);
} scmp;

static bool open_libseccomp(void) {
  void *lib = dlopen("libseccomp.so.2", RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) return false;
  scmp.init = (scmp_filter_ctx(*)(uint32_t))dlsym(lib, "seccomp_init");
  scmp.attr_set = (int (*)(scmp_filter_ctx, int, uint32_t))dlsym(lib, "seccomp_attr_set");
  scmp.resolve = (int (*)(const char *))dlsym(lib, "seccomp_syscall_resolve_name");
  scmp.rule_add_array = (int (*)(scmp_filter_ctx, uint32_t, int, unsigned int, const struct scmp_arg_cmp *))dlsym(lib, "seccomp_rule_add_array");
  scmp.load = (int (*)(scmp_filter_ctx))dlsym(lib, "seccomp_load");
  scmp.release = (void (*)(scmp_filter_ctx))dlsym(lib, "seccomp_release");
  return scmp.init && scmp.attr_set && scmp.resolve && scmp.rule_add_array && scmp.load && scmp.release;
}

static struct {
  const char *syscalls, *families;
  bool allow_syscalls, allow_families, mdwe;
  uint32_t action;
} filters;

static uint32_t parse_action(const char *text, const char **rest) {
  char *end;
  if (strncmp(text, "kill:", 5) == 0) return *rest = text + 5, SCMP_ACT_KILL_PROCESS;
  long errno_value = strtol(text, &end, 10);
  if (end == text || *end != ':' || errno_value < 0 || errno_value > 4095) usage("bad --syscall-filter action: ", text);
  *rest = end + 1;
  return SCMP_ACT_ERRNO(errno_value);
}

static bool parse_seccomp_flag(const char *opt) {
  if (strcmp(opt, "--memory-deny-write-execute") == 0) return filters.mdwe = true;
  return false;
}

static bool parse_seccomp_option(const char *opt, const char *value) {
  bool syscalls = strcmp(opt, "--syscall-filter") == 0;
  if (!syscalls && strcmp(opt, "--address-families") != 0) return false;
  bool allow = strncmp(value, "allow:", 6) == 0;
  if (!allow && strncmp(value, "deny:", 5) != 0) usage("bad filter: ", value);
  const char *rest = value + (allow ? 6 : 5);
  if (syscalls) filters.allow_syscalls = allow, filters.action = parse_action(rest, &filters.syscalls);
  else filters.allow_families = allow, filters.families = rest;
  return true;
}

static void seccomp_fail(const char *what, int r) {
  if (diag_fd >= 0) dprintf(diag_fd, "unitvisor-exec: Failed to apply %s: %s\n", what, strerror(-r));
  fail(EXIT_SECCOMP, "SECCOMP", -r);
}

static scmp_filter_ctx new_filter(uint32_t default_action) {
  scmp_filter_ctx ctx = scmp.init(default_action);
  if (ctx == NULL) seccomp_fail("seccomp filter", -ENOMEM);
  /* No no_new_privs of libseccomp's own: it is set below only where the process could not load a filter without it. */
  scmp.attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
  return ctx;
}

static void add_rule(scmp_filter_ctx ctx, uint32_t action, int call, unsigned n, const struct scmp_arg_cmp *cmp, const char *what) {
  int r = scmp.rule_add_array(ctx, action, call, n, cmp);
  /* -EEXIST: the call already has this action; a call the architecture lacks resolved to nothing earlier. */
  if (r < 0 && r != -EEXIST) seccomp_fail(what, r);
}

static void load_filter(scmp_filter_ctx ctx, const char *what) {
  int r = scmp.load(ctx);
  scmp.release(ctx);
  if (r < 0) seccomp_fail(what, r);
}

/* seccomp_load_syscall_filter_set_raw(): an allow list kills (or fails) everything else; a deny list only its calls. */
static void load_syscall_filter(void) {
  scmp_filter_ctx ctx = new_filter(filters.allow_syscalls ? filters.action : SCMP_ACT_ALLOW);
  char list[65536];
  if (strlen(filters.syscalls) >= sizeof list) usage("too long --syscall-filter", "");
  strcpy(list, filters.syscalls);
  for (char *save = NULL, *name = strtok_r(list, ",", &save); name != NULL; name = strtok_r(NULL, ",", &save)) {
    char *colon = strchr(name, ':');
    uint32_t action = filters.allow_syscalls ? SCMP_ACT_ALLOW : filters.action;
    if (colon != NULL) *colon = '\0', action = SCMP_ACT_ERRNO(atoi(colon + 1));
    int call = scmp.resolve(name);
    if (call < 0) continue; /* not a call of this architecture, as systemd skips it */
    add_rule(ctx, action, call, 0, NULL, "system call filter");
  }
  load_filter(ctx, "system call filter");
}

/* seccomp_restrict_address_families(): socket(2) fails with EAFNOSUPPORT for a family not allowed. */
static void load_address_families(void) {
  bool listed[64] = {false};
  int first = 0, last = 0;
  char list[1024];
  snprintf(list, sizeof list, "%s", filters.families);
  for (char *save = NULL, *af = strtok_r(list, ",", &save); af != NULL; af = strtok_r(NULL, ",", &save)) {
    int n = atoi(af);
    if (n <= 0 || n >= 64) continue;
    listed[n] = true;
    if (first == 0 || n < first) first = n;
    if (n > last) last = n;
  }
  int call = scmp.resolve("socket");
  if (call < 0) return;
  scmp_filter_ctx ctx = new_filter(SCMP_ACT_ALLOW);
  uint32_t refuse = SCMP_ACT_ERRNO(EAFNOSUPPORT);
  if (!filters.allow_families) {
    for (int af = 1; af < 64; af++)
      if (listed[af]) add_rule(ctx, refuse, call, 1, &(struct scmp_arg_cmp){0, SCMP_CMP_EQ, (uint64_t)af, 0}, "address family filter");
  } else if (first == 0) add_rule(ctx, refuse, call, 0, NULL, "address family filter");
  else {
    add_rule(ctx, refuse, call, 1, &(struct scmp_arg_cmp){0, SCMP_CMP_LT, (uint64_t)first, 0}, "address family filter");
    for (int af = first + 1; af < last; af++)
      if (!listed[af]) add_rule(ctx, refuse, call, 1, &(struct scmp_arg_cmp){0, SCMP_CMP_EQ, (uint64_t)af, 0}, "address family filter");
    add_rule(ctx, refuse, call, 1, &(struct scmp_arg_cmp){0, SCMP_CMP_GT, (uint64_t)last, 0}, "address family filter");
  }
  load_filter(ctx, "address family filter");
}

/* seccomp_memory_deny_write_execute(): no mapping both writable and executable, no page made executable later. */
static void load_memory_deny_write_execute(void) {
  enum { PROT_W = 2, PROT_X = 4, SHM_X = 0100000 };
  scmp_filter_ctx ctx = new_filter(SCMP_ACT_ALLOW);
  uint32_t refuse = SCMP_ACT_ERRNO(EPERM);
  const struct scmp_arg_cmp wx = {2, SCMP_CMP_MASKED_EQ, PROT_W | PROT_X, PROT_W | PROT_X}, x = {2, SCMP_CMP_MASKED_EQ, PROT_X, PROT_X};
  const struct scmp_arg_cmp shm = {2, SCMP_CMP_MASKED_EQ, SHM_X, SHM_X};
  const char *mmaps[] = {"mmap", "mmap2"}, *mprotects[] = {"mprotect", "pkey_mprotect"};
  for (int i = 0; i < 2; i++) {
    int call = scmp.resolve(mmaps[i]);
    if (call >= 0) add_rule(ctx, refuse, call, 1, &wx, "MemoryDenyWriteExecute=");
    call = scmp.resolve(mprotects[i]);
    if (call >= 0) add_rule(ctx, refuse, call, 1, &x, "MemoryDenyWriteExecute=");
  }
  int call = scmp.resolve("shmat");
  if (call >= 0) add_rule(ctx, refuse, call, 1, &shm, "MemoryDenyWriteExecute=");
  load_filter(ctx, "MemoryDenyWriteExecute=");
}

static bool has_effective_cap(int cap) {
  struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) < 0) return false;
  return (data[cap / 32].effective >> (cap % 32)) & 1;
}

/* Last before execve(): the helper's own steps are done. Without CAP_SYS_ADMIN (a User= service) the kernel
 * wants no_new_privs first, which systemd then implies too. */
static void apply_seccomp(void) {
  if (filters.syscalls == NULL && filters.families == NULL && !filters.mdwe) return;
  if (!open_libseccomp()) return;
  if (!has_effective_cap(CAP_SYS_ADMIN) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) seccomp_fail("no_new_privs", -errno);
  if (filters.families != NULL) load_address_families();
  if (filters.mdwe) load_memory_deny_write_execute();
  if (filters.syscalls != NULL) load_syscall_filter();
}
