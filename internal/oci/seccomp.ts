/**
 * The default seccomp profile ctr's --seccomp applies (containerd's
 * contrib/seccomp default), per release line. The syscall names are facts read
 * off the profiles the real ctr 1.6.20 and 2.1 build; the rules that depend on
 * capabilities and the architecture follow the same structure: one allow rule
 * per granted capability, in the order of the bounding set.
 */
import type { Spec } from './spec-json';

// Allowed for everyone (2.x list; 1.6's is derived below).
const BASE_2 = (
  'accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown chown32 ' +
  'clock_adjtime clock_adjtime64 clock_getres clock_getres_time64 clock_gettime clock_gettime64 ' +
  'clock_nanosleep clock_nanosleep_time64 close close_range connect copy_file_range creat dup dup2 dup3 ' +
  'epoll_create epoll_create1 epoll_ctl epoll_ctl_old epoll_pwait epoll_pwait2 epoll_wait ' +
  'epoll_wait_old eventfd eventfd2 execve execveat exit exit_group faccessat faccessat2 fadvise64 ' +
  'fadvise64_64 fallocate fanotify_mark fchdir fchmod fchmodat fchmodat2 fchown fchown32 fchownat fcntl ' +
  'fcntl64 fdatasync fgetxattr flistxattr flock fork fremovexattr fsetxattr fstat fstat64 fstatat64 ' +
  'fstatfs fstatfs64 fsync ftruncate ftruncate64 futex futex_requeue futex_time64 futex_wait ' +
  'futex_waitv futex_wake futimesat getcpu getcwd getdents getdents64 getegid getegid32 geteuid ' +
  'geteuid32 getgid getgid32 getgroups getgroups32 getitimer getpeername getpgid getpgrp getpid getppid ' +
  'getpriority getrandom getresgid getresgid32 getresuid getresuid32 getrlimit get_robust_list ' +
  'getrusage getsid getsockname getsockopt get_thread_area gettid gettimeofday getuid getuid32 getxattr ' +
  'inotify_add_watch inotify_init inotify_init1 inotify_rm_watch io_cancel ioctl io_destroy ' +
  'io_getevents io_pgetevents io_pgetevents_time64 ioprio_get ioprio_set io_setup io_submit ipc kill ' +
  'landlock_add_rule landlock_create_ruleset landlock_restrict_self lchown lchown32 lgetxattr link ' +
  'linkat listen listxattr llistxattr _llseek lremovexattr lseek lsetxattr lstat lstat64 madvise ' +
  'membarrier memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall ' +
  'map_shadow_stack mmap mmap2 mprotect mq_getsetattr mq_notify mq_open mq_timedreceive ' +
  'mq_timedreceive_time64 mq_timedsend mq_timedsend_time64 mq_unlink mremap msgctl msgget msgrcv msgsnd ' +
  'msync munlock munlockall munmap name_to_handle_at nanosleep newfstatat _newselect open openat ' +
  'openat2 pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc pkey_free pkey_mprotect poll ppoll ' +
  'ppoll_time64 prctl pread64 preadv preadv2 prlimit64 process_mrelease pselect6 pselect6_time64 ' +
  'pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recv recvfrom recvmmsg ' +
  'recvmmsg_time64 recvmsg remap_file_pages removexattr rename renameat renameat2 restart_syscall rmdir ' +
  'rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn rt_sigsuspend ' +
  'rt_sigtimedwait rt_sigtimedwait_time64 rt_tgsigqueueinfo sched_getaffinity sched_getattr ' +
  'sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler ' +
  'sched_rr_get_interval sched_rr_get_interval_time64 sched_setaffinity sched_setattr sched_setparam ' +
  'sched_setscheduler sched_yield seccomp select semctl semget semop semtimedop semtimedop_time64 send ' +
  'sendfile sendfile64 sendmmsg sendmsg sendto setfsgid setfsgid32 setfsuid setfsuid32 setgid setgid32 ' +
  'setgroups setgroups32 setitimer setpgid setpriority setregid setregid32 setresgid setresgid32 ' +
  'setresuid setresuid32 setreuid setreuid32 setrlimit set_robust_list setsid setsockopt ' +
  'set_thread_area set_tid_address setuid setuid32 setxattr shmat shmctl shmdt shmget shutdown ' +
  'sigaltstack signalfd signalfd4 sigprocmask sigreturn socketcall socketpair splice stat stat64 statfs ' +
  'statfs64 statx symlink symlinkat sync sync_file_range syncfs sysinfo tee tgkill time timer_create ' +
  'timer_delete timer_getoverrun timer_gettime timer_gettime64 timer_settime timer_settime64 ' +
  'timerfd_create timerfd_gettime timerfd_gettime64 timerfd_settime timerfd_settime64 times tkill ' +
  'truncate truncate64 ugetrlimit umask uname unlink unlinkat utime utimensat utimensat_time64 utimes ' +
  'vfork vmsplice wait4 waitid waitpid write writev '
).trim().split(' ');

// 2.x added these to the base list (name_to_handle_at moved there from CAP_SYS_ADMIN).
const ONLY_2 = new Set(['cachestat', 'fchmodat2', 'futex_requeue', 'futex_wait', 'futex_wake', 'map_shadow_stack', 'name_to_handle_at']);
// 1.6 still allowed io_uring and socket unconditionally (2.x: socket only for families other than AF_VSOCK).
const ONLY_16: [after: string, names: string[]][] = [['io_submit', ['io_uring_enter', 'io_uring_register', 'io_uring_setup']], ['sigreturn', ['socket']]];

function baseNames(line: '1.6' | '2'): string[] {
  if (line === '2') return BASE_2;
  const out: string[] = [];
  for (const n of BASE_2) {
    if (ONLY_2.has(n)) continue;
    out.push(n);
    for (const [after, names] of ONLY_16) if (after === n) out.push(...names);
  }
  return out;
}

const SYS_ADMIN = 'bpf clone clone3 fanotify_init fsconfig fsmount fsopen fspick lookup_dcookie mount mount_setattr move_mount name_to_handle_at open_tree perf_event_open quotactl quotactl_fd setdomainname sethostname setns syslog umount umount2 unshare';

// Syscalls each capability unlocks.
function capRules(line: '1.6' | '2'): Record<string, string[]> {
  return {
    CAP_DAC_READ_SEARCH: ['open_by_handle_at'],
    CAP_SYS_ADMIN: SYS_ADMIN.split(' ').filter((n) => line === '1.6' || n !== 'name_to_handle_at'),
    CAP_SYS_BOOT: ['reboot'],
    CAP_SYS_CHROOT: ['chroot'],
    CAP_SYS_MODULE: ['delete_module', 'init_module', 'finit_module'],
    CAP_SYS_PACCT: ['acct'],
    CAP_SYS_PTRACE: ['kcmp', 'pidfd_getfd', 'process_madvise', 'process_vm_readv', 'process_vm_writev', 'ptrace'],
    CAP_SYS_RAWIO: ['iopl', 'ioperm'],
    CAP_SYS_TIME: ['settimeofday', 'stime', 'clock_settime', 'clock_settime64'],
    CAP_SYS_TTY_CONFIG: ['vhangup'],
    CAP_SYS_NICE: ['get_mempolicy', 'mbind', 'set_mempolicy', ...(line === '2' ? ['set_mempolicy_home_node'] : [])],
    CAP_SYSLOG: ['syslog'],
    CAP_BPF: ['bpf'],
    CAP_PERFMON: ['perf_event_open'],
  };
}

// Seccomp architectures and extra syscalls per Go architecture name.
const ARCHES: Record<string, { arches: string[]; extra: string[] }> = {
  x64: { arches: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'], extra: ['arch_prctl', 'modify_ldt'] },
  ia32: { arches: ['SCMP_ARCH_X86'], extra: ['modify_ldt'] },
  arm64: { arches: ['SCMP_ARCH_ARM', 'SCMP_ARCH_AARCH64'], extra: ['arm_fadvise64_64', 'arm_sync_file_range', 'sync_file_range2', 'breakpoint', 'cacheflush', 'set_tls'] },
  arm: { arches: ['SCMP_ARCH_ARM'], extra: ['arm_fadvise64_64', 'arm_sync_file_range', 'sync_file_range2', 'breakpoint', 'cacheflush', 'set_tls'] },
  s390x: { arches: ['SCMP_ARCH_S390', 'SCMP_ARCH_S390X'], extra: ['s390_pci_mmio_read', 's390_pci_mmio_write', 's390_runtime_instr'] },
  riscv64: { arches: ['SCMP_ARCH_RISCV64'], extra: ['riscv_flush_icache'] },
  ppc64: { arches: ['SCMP_ARCH_PPC64LE'], extra: ['sync_file_range2'] },
};

const allow = (names: string[]) => ({ names, action: 'SCMP_ACT_ALLOW' });
const eqArg = (value: number, op = 'SCMP_CMP_EQ') => [{ index: 0, value, op }];
// CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET: new namespaces need CAP_SYS_ADMIN.
const CLONE_NS_MASK = 2114060288;
const ENOSYS = 38;

/** The default profile for a spec (it reads the spec's bounding capabilities). */
export function defaultSeccompProfile(spec: Spec, line: '1.6' | '2', arch = process.arch): Spec {
  const caps: string[] = spec.process?.capabilities?.bounding ?? [];
  const a = ARCHES[arch] ?? { arches: [], extra: [] };
  const syscalls: Spec[] = [allow(baseNames(line))];
  if (line === '2') syscalls.push({ ...allow(['socket']), args: eqArg(40, 'SCMP_CMP_NE') });
  for (const persona of [0, 8, 0x20000, 0x20008, 0xffffffff]) syscalls.push({ ...allow(['personality']), args: eqArg(persona) });
  // Kernels from 4.8 on make ptrace safe to allow (seccomp is re-checked after it).
  syscalls.push(allow(line === '2' ? ['process_vm_readv', 'process_vm_writev', 'ptrace'] : ['ptrace']));
  if (a.extra.length) syscalls.push(allow(a.extra));
  const rules = capRules(line);
  for (const cap of caps) if (rules[cap]) syscalls.push(allow(rules[cap]));
  if (!caps.includes('CAP_SYS_ADMIN')) {
    syscalls.push({ ...allow(['clone']), args: [{ index: 0, value: CLONE_NS_MASK, op: 'SCMP_CMP_MASKED_EQ' }] });
    syscalls.push({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS });
  }
  return { defaultAction: 'SCMP_ACT_ERRNO', architectures: a.arches, syscalls };
}
