// systemd 252's system call groups (src/shared/seccomp-util.c syscall_filter_sets[]), as `systemd-analyze
// syscall-filter` of systemd 252 prints them; a member starting with "@" is a nested group.
export const SYSCALL_GROUPS: Readonly<Record<string, string>> = {
  // System calls that are always permitted
  '@default':
    'arch_prctl brk cacheflush clock_getres clock_getres_time64 clock_gettime clock_gettime64 ' +
    'clock_nanosleep clock_nanosleep_time64 execve exit exit_group futex futex_time64 futex_waitv ' +
    'get_robust_list get_thread_area getegid getegid32 geteuid geteuid32 getgid getgid32 getgroups ' +
    'getgroups32 getpgid getpgrp getpid getppid getrandom getresgid getresgid32 getresuid getresuid32 ' +
    'getrlimit getsid gettid gettimeofday getuid getuid32 membarrier mmap mmap2 mprotect munmap nanosleep ' +
    'pause prlimit64 restart_syscall riscv_flush_icache riscv_hwprobe rseq rt_sigreturn sched_getaffinity ' +
    'sched_yield set_robust_list set_thread_area set_tid_address set_tls sigreturn time ugetrlimit ' +
    'uretprobe',
  // Asynchronous IO
  '@aio':
    'io_cancel io_destroy io_getevents io_pgetevents io_pgetevents_time64 io_setup io_submit ' +
    'io_uring_enter io_uring_register io_uring_setup',
  // Basic IO
  '@basic-io':
    '_llseek close close_range dup dup2 dup3 lseek pread64 preadv preadv2 pwrite64 pwritev pwritev2 read ' +
    'readv write writev',
  // Change ownership of files and directories
  '@chown':
    'chown chown32 fchown fchown32 fchownat lchown lchown32',
  // Change the system time
  '@clock':
    'adjtimex clock_adjtime clock_adjtime64 clock_settime clock_settime64 settimeofday',
  // System calls for CPU emulation functionality
  '@cpu-emulation':
    'modify_ldt subpage_prot switch_endian vm86 vm86old',
  // Debugging, performance monitoring and tracing functionality
  '@debug':
    'lookup_dcookie perf_event_open pidfd_getfd ptrace rtas s390_runtime_instr sys_debug_setcontext',
  // File system operations
  '@file-system':
    'access chdir chmod close creat faccessat faccessat2 fallocate fchdir fchmod fchmodat fchmodat2 fcntl ' +
    'fcntl64 fgetxattr flistxattr fremovexattr fsetxattr fstat fstat64 fstatat64 fstatfs fstatfs64 ' +
    'ftruncate ftruncate64 futimesat getcwd getdents getdents64 getxattr inotify_add_watch inotify_init ' +
    'inotify_init1 inotify_rm_watch lgetxattr link linkat listxattr llistxattr lremovexattr lsetxattr ' +
    'lstat lstat64 mkdir mkdirat mknod mknodat newfstatat oldfstat oldlstat oldstat open openat openat2 ' +
    'readlink readlinkat removexattr rename renameat renameat2 rmdir setxattr stat stat64 statfs statfs64 ' +
    'statx symlink symlinkat truncate truncate64 unlink unlinkat utime utimensat utimensat_time64 utimes',
  // Event loop system calls
  '@io-event':
    '_newselect epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait ' +
    'epoll_wait_old eventfd eventfd2 poll ppoll ppoll_time64 pselect6 pselect6_time64 select',
  // SysV IPC, POSIX Message Queues or other IPC
  '@ipc':
    'ipc memfd_create mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedreceive_time64 mq_timedsend ' +
    'mq_timedsend_time64 mq_unlink msgctl msgget msgrcv msgsnd pipe pipe2 process_madvise ' +
    'process_vm_readv process_vm_writev semctl semget semop semtimedop semtimedop_time64 shmat shmctl ' +
    'shmdt shmget',
  // Kernel keyring access
  '@keyring':
    'add_key keyctl request_key',
  // Memory locking control
  '@memlock':
    'mlock mlock2 mlockall munlock munlockall',
  // Loading and unloading of kernel modules
  '@module':
    'delete_module finit_module init_module',
  // Mounting and unmounting of file systems
  '@mount':
    'chroot fsconfig fsmount fsopen fspick mount mount_setattr move_mount open_tree pivot_root umount ' +
    'umount2',
  // Network or Unix socket IO, should not be needed if not network facing
  '@network-io':
    'accept accept4 bind connect getpeername getsockname getsockopt listen recv recvfrom recvmmsg ' +
    'recvmmsg_time64 recvmsg send sendmmsg sendmsg sendto setsockopt shutdown socket socketcall ' +
    'socketpair',
  // Unusual, obsolete or unimplemented system calls
  '@obsolete':
    '_sysctl afs_syscall bdflush break create_module ftime get_kernel_syms getpmsg gtty idle lock mpx ' +
    'prof profil putpmsg query_module security sgetmask ssetmask stime stty sysfs tuxcall ulimit uselib ' +
    'ustat vserver',
  // System calls used for memory protection keys
  '@pkey':
    'pkey_alloc pkey_free pkey_mprotect',
  // All system calls which need super-user capabilities
  '@privileged':
    '@chown @clock @module @raw-io @reboot @swap _sysctl acct bpf capset chroot fanotify_init ' +
    'fanotify_mark nfsservctl open_by_handle_at pivot_root quotactl quotactl_fd setdomainname setfsuid ' +
    'setfsuid32 setgroups setgroups32 sethostname setresuid setresuid32 setreuid setreuid32 setuid ' +
    'setuid32 vhangup',
  // Process control, execution, namespacing operations
  '@process':
    'capget clone clone3 execveat fork getrusage kill pidfd_open pidfd_send_signal prctl rt_sigqueueinfo ' +
    'rt_tgsigqueueinfo setns swapcontext tgkill times tkill unshare vfork wait4 waitid waitpid',
  // Raw I/O port access
  '@raw-io':
    'ioperm iopl pciconfig_iobase pciconfig_read pciconfig_write s390_pci_mmio_read s390_pci_mmio_write',
  // Reboot and reboot preparation/kexec
  '@reboot':
    'kexec_file_load kexec_load reboot',
  // Alter resource settings
  '@resources':
    'ioprio_set mbind migrate_pages move_pages nice sched_setaffinity sched_setattr sched_setparam ' +
    'sched_setscheduler set_mempolicy set_mempolicy_home_node setpriority setrlimit',
  // Operations for changing user/group credentials
  '@setuid':
    'setgid setgid32 setgroups setgroups32 setregid setregid32 setresgid setresgid32 setresuid ' +
    'setresuid32 setreuid setreuid32 setuid setuid32',
  // Process signal handling
  '@signal':
    'rt_sigaction rt_sigpending rt_sigprocmask rt_sigsuspend rt_sigtimedwait rt_sigtimedwait_time64 ' +
    'sigaction sigaltstack signal signalfd signalfd4 sigpending sigprocmask sigsuspend',
  // Enable/disable swap devices
  '@swap':
    'swapoff swapon',
  // Synchronize files and memory to storage
  '@sync':
    'fdatasync fsync msync sync sync_file_range sync_file_range2 syncfs',
  // General system service operations
  '@system-service':
    '@aio @basic-io @chown @default @file-system @io-event @ipc @keyring @memlock @network-io @process ' +
    '@resources @setuid @signal @sync @timer arm_fadvise64_64 capget capset copy_file_range fadvise64 ' +
    'fadvise64_64 flock get_mempolicy getcpu getpriority ioctl ioprio_get kcmp madvise mremap ' +
    'name_to_handle_at oldolduname olduname personality readahead readdir remap_file_pages ' +
    'sched_get_priority_max sched_get_priority_min sched_getattr sched_getparam sched_getscheduler ' +
    'sched_rr_get_interval sched_rr_get_interval_time64 sched_yield sendfile sendfile64 setfsgid ' +
    'setfsgid32 setfsuid setfsuid32 setpgid setsid splice sysinfo tee umask uname userfaultfd vmsplice',
  // Schedule operations by time
  '@timer':
    'alarm getitimer setitimer timer_create timer_delete timer_getoverrun timer_gettime timer_gettime64 ' +
    'timer_settime timer_settime64 timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime ' +
    'timerfd_settime64 times',
};
