/* probe: a static binary placed in every runc-shim test rootfs. It answers
 * "what do I see in here?" (probe info) and tries escapes (probe try NAME:
 * exit 0 and "denied" when the kernel refused, exit 1 and "ALLOWED" when
 * it worked). Modelled on crun's tests/init.c. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>

static void status_field(const char *key)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, strlen(key)) == 0 && line[strlen(key)] == ':') {
			char *v = line + strlen(key) + 1;
			v += strspn(v, " \t");
			printf("%s=%s", key, v);
		}
	if (f)
		fclose(f);
}

static void first_line(const char *key, const char *path)
{
	char line[256] = "";
	FILE *f = fopen(path, "re");

	if (f && fgets(line, sizeof(line), f)) {
		char a[32], b[32], c[32];
		if (sscanf(line, "%31s %31s %31s", a, b, c) == 3)
			printf("%s=%s %s %s\n", key, a, b, c);
	}
	if (f)
		fclose(f);
}

static void list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	printf("fds=");
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			printf("%s ", e->d_name);
	printf("\n");
	if (d)
		closedir(d);
}

static int info(void)
{
	static const char *const fields[] = {"CapInh",	   "CapPrm",  "CapEff", "CapBnd", "CapAmb",
					     "NoNewPrivs", "Seccomp", "SigBlk", "SigIgn"};
	char host[65] = "", cwd[256] = "";
	struct rlimit rl;
	mode_t um = umask(0);

	printf("uid=%d\ngid=%d\neuid=%d\npid=%d\n", (int)getuid(), (int)getgid(), (int)geteuid(),
	       (int)getpid());
	printf("tty=%s\n", isatty(0) ? "yes" : "no");
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		status_field(fields[i]);
	status_field("Groups");
	first_line("uid_map", "/proc/self/uid_map");
	first_line("gid_map", "/proc/self/gid_map");
	gethostname(host, sizeof(host) - 1);
	printf("hostname=%s\ncwd=%s\numask=%04o\n", host, getcwd(cwd, sizeof(cwd)) ? cwd : "?",
	       (unsigned)um);
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("nofile=%llu %llu\n", (unsigned long long)rl.rlim_cur,
	       (unsigned long long)rl.rlim_max);
	printf("root_rw=%s\n", mkdir("/probe-rw-test", 0700) == 0 ? "yes" : strerror(errno));
	printf("setgroups=");
	FILE *f = fopen("/proc/self/setgroups", "re");
	char sg[16] = "";
	if (f && fgets(sg, sizeof(sg), f))
		printf("%s", sg);
	else
		printf("?\n");
	if (f)
		fclose(f);
	printf("env_FOO=%s\n", getenv("FOO") ? getenv("FOO") : "");
	list_fds();
	return 0;
}

/* Each attempt returns 0 when it worked (an escape), else -errno. */
static int try_mount(void)
{
	return mount("none", "/tmp", "tmpfs", 0, NULL) == 0 ? 0 : -errno;
}

static int try_umount(void)
{
	return umount2("/proc", MNT_DETACH) == 0 ? 0 : -errno;
}

static int try_unshare_user(void)
{
	/* A new user namespace would hand us a full capability set in it. */
	return unshare(CLONE_NEWUSER) == 0 ? 0 : -errno;
}

static int try_clone_userns(void)
{
	pid_t p = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);

	if (p == 0)
		_exit(0);
	if (p > 0)
		waitpid(p, NULL, 0);
	return p > 0 ? 0 : -errno;
}

static int try_setns(void)
{
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	int r = fd >= 0 && setns(fd, 0) == 0 ? 0 : -errno;

	if (fd >= 0)
		close(fd);
	return r;
}

static int try_ptrace(void)
{
	pid_t child = fork();
	int r;

	if (child == 0) {
		pause();
		_exit(0);
	}
	r = ptrace(PTRACE_ATTACH, child, NULL, NULL) == 0 ? 0 : -errno;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return r;
}

static int try_keyctl(void)
{
	long k = syscall(SYS_add_key, "user", "probe", "x", 1, -2 /* session keyring */);
	return k >= 0 ? 0 : -errno;
}

static int try_proc_sys(void)
{
	int fd = open("/proc/sys/kernel/hostname", O_WRONLY | O_CLOEXEC);
	int r = fd >= 0 && write(fd, "pwned", 5) == 5 ? 0 : -errno;

	if (fd >= 0)
		close(fd);
	return r;
}

static int try_sysrq(void)
{
	int fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -errno;
}

static int try_sys_write(void)
{
	int fd = open("/sys/kernel/profiling", O_WRONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -errno;
}

/* Masked files read as empty (bound /dev/null) or are unreadable. */
static int try_read_masked(void)
{
	static const char *const paths[] = {"/proc/kcore", "/proc/keys", "/proc/timer_list",
					    "/proc/sched_debug", "/proc/latency_stats"};
	char buf[64];

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n > 0) {
			fprintf(stderr, "probe: %s is readable\n", paths[i]);
			return 0;
		}
	}
	return -EACCES;
}

static int try_exe_write(void)
{
	int fd = open("/proc/self/exe", O_WRONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -errno;
}

static int try_chroot(void)
{
	return chroot("/tmp") == 0 ? 0 : -errno;
}

static int try_module(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int r = syscall(SYS_finit_module, fd, "", 0) == 0 ? 0 : -errno;

	if (fd >= 0)
		close(fd);
	return r;
}

static int try_reboot(void)
{
	/* CAD_OFF is harmless even if it were allowed. */
	return reboot(RB_DISABLE_CAD) == 0 ? 0 : -errno;
}

static int try_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return clock_settime(CLOCK_REALTIME, &ts) == 0 ? 0 : -errno;
}

static int try_raw_socket(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);

	if (fd >= 0)
		close(fd);
	return fd >= 0 ? 0 : -errno;
}

static int try_mknod(void)
{
	int r = mknod("/tmp/probe-null", S_IFCHR | 0666, makedev(1, 3));

	if (r == 0)
		unlink("/tmp/probe-null");
	return r == 0 ? 0 : -errno;
}

static int try_bpf(void)
{
	return syscall(SYS_bpf, 0, NULL, 0) >= 0 ? 0 : -errno;
}

static int try_setuid_root(void)
{
	return setuid(0) == 0 && getuid() == 0 && geteuid() == 0 ? 0 : -errno;
}

/* A syscall number no kernel has (yet): what a new libc call would meet. */
static int try_nosys(void)
{
	return syscall(500) == 0 ? 0 : -errno;
}

static int try_hostname(void)
{
	return sethostname("pwned", 5) == 0 ? 0 : -errno;
}

static const struct {
	const char *name;
	int (*fn)(void);
} attempts[] = {
    {"mount", try_mount},
    {"umount", try_umount},
    {"unshare-user", try_unshare_user},
    {"clone-userns", try_clone_userns},
    {"setns", try_setns},
    {"ptrace", try_ptrace},
    {"keyctl", try_keyctl},
    {"proc-sys", try_proc_sys},
    {"sysrq", try_sysrq},
    {"sys-write", try_sys_write},
    {"read-masked", try_read_masked},
    {"exe-write", try_exe_write},
    {"chroot", try_chroot},
    {"module", try_module},
    {"reboot", try_reboot},
    {"clock", try_clock},
    {"raw-socket", try_raw_socket},
    {"mknod", try_mknod},
    {"bpf", try_bpf},
    {"setuid-root", try_setuid_root},
    {"hostname", try_hostname},
    {"nosys", try_nosys},
};

static int try(const char *name)
{
	for (size_t i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		if (strcmp(attempts[i].name, name) != 0)
			continue;
		int r = attempts[i].fn();
		if (r == 0) {
			printf("%s: ALLOWED\n", name);
			return 1;
		}
		printf("%s: denied (%s)\n", name, strerror(-r));
		return 0;
	}
	printf("%s: unknown attempt\n", name);
	return 2;
}

/* waitsig: report the first signal received (for `kill` tests). */
static int wait_signal(void)
{
	sigset_t all;
	int sig;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	printf("ready\n");
	fflush(stdout);
	if (sigwait(&all, &sig) != 0)
		return 2;
	printf("signal=%d\n", sig);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "info") == 0)
		return info();
	if (argc >= 3 && strcmp(argv[1], "try") == 0) {
		int worst = 0;
		for (int i = 2; i < argc; i++) {
			int r = try(argv[i]);
			worst = r > worst ? r : worst;
		}
		return worst;
	}
	if (argc >= 2 && strcmp(argv[1], "waitsig") == 0)
		return wait_signal();
	if (argc >= 3 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	fprintf(stderr, "usage: probe info | try NAME... | waitsig | exit N\n");
	return 2;
}
