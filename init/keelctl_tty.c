/* keelctl exec -t: the console-socket side of `runc-shim exec --tty`. We
 * listen on a socket in a private mkdtemp dir, run the runtime as our child,
 * receive the pty master it opened inside the container (SCM_RIGHTS, as
 * runc's --console-socket), then pump our terminal (raw mode, restored at
 * the end; window size kept in step on SIGWINCH) and the master until the
 * runtime exits with the command's status. Client side only: PID 1 is not
 * involved once keelctl_exec.c has the target. */
#include "io.h"
#include "keelctl.h"
#include "log.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static struct {
	char dir[64];
	struct sockaddr_un addr;
	int listen_fd;
} sock = {.listen_fd = -1};

static void sock_remove(void)
{
	if (sock.listen_fd >= 0)
		close(sock.listen_fd);
	sock.listen_fd = -1;
	(void)unlink(sock.addr.sun_path); /* best effort: a stale dir in /tmp is harmless */
	(void)rmdir(sock.dir);
}

const char *keelctl_tty_listen(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(sock.dir, sizeof(sock.dir), "%s/keelctl-tty.XXXXXX",
		 tmp && tmp[0] == '/' && strlen(tmp) < 32 ? tmp : "/tmp");
	if (!mkdtemp(sock.dir))
		die("exec -t: unable to make %s: %s", sock.dir, strerror(errno));
	atexit(sock_remove); /* also when we die before the runtime connects */
	sock.addr.sun_family = AF_UNIX;
	snprintf(sock.addr.sun_path, sizeof(sock.addr.sun_path), "%s/console", sock.dir);
	sock.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock.listen_fd < 0 ||
	    bind(sock.listen_fd, (struct sockaddr *)&sock.addr, sizeof(sock.addr)) < 0 ||
	    listen(sock.listen_fd, 1) < 0)
		die("exec -t: console socket %s: %s", sock.addr.sun_path, strerror(errno));
	return sock.addr.sun_path;
}

static int wait_status(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* The master from the runtime's one message, or -1 if it exited first
 * (it said why on our stderr; *status is then its exit status). */
static int receive_master(pid_t child, int *status)
{
	char name[128], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = name, .iov_len = sizeof(name)};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct pollfd p = {.fd = sock.listen_fd, .events = POLLIN};
	struct cmsghdr *cm;
	int conn, fd = -1;

	while (poll(&p, 1, 100) <= 0) /* the runtime may fail before it connects */
		if (waitpid(child, status, WNOHANG) == child)
			return -1;
	if ((conn = accept4(sock.listen_fd, NULL, NULL, SOCK_CLOEXEC)) < 0)
		die("exec -t: accept: %s", strerror(errno));
	if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) > 0 && (cm = CMSG_FIRSTHDR(&msg)) &&
	    cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
	    cm->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	close(conn);
	if (fd < 0)
		die("exec -t: the runtime sent no pty master");
	return fd;
}

static struct termios saved;
static bool raw;

static void term_restore(void)
{
	if (raw)
		(void)tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	raw = false;
}

/* Raw mode: keys (^C included) go to the command's terminal, not to us. */
static void term_raw(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) < 0)
		return;
	t = saved;
	cfmakeraw(&t);
	if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0)
		raw = true;
	atexit(term_restore);
}

static void copy_winsize(int master)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(master, TIOCSWINSZ, &ws); /* best effort: a resize is cosmetic */
}

/* Moves what is readable on from to to; false at EOF/error. */
static bool pump(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	return n > 0 && write_all(to, buf, (size_t)n) == 0;
}

/* Our input ended (a pipe, /dev/null): the command reads EOF too, through
 * its terminal's EOF character, as when a user types it. */
static void send_eof(int master)
{
	struct termios t;

	if (!raw && tcgetattr(master, &t) == 0)
		(void)write_all(master, (const char *)&t.c_cc[VEOF], 1); /* gone: nothing to tell */
}

/* Until the runtime exits: stdin -> master, master -> stdout, signals. */
static int pump_loop(pid_t child, int master, int sfd)
{
	struct pollfd p[3] = {{.fd = sfd, .events = POLLIN},
			      {.fd = master, .events = POLLIN},
			      {.fd = STDIN_FILENO, .events = POLLIN}};
	struct signalfd_siginfo si;
	int status = 0;

	for (;;) {
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			die("exec -t: poll: %s", strerror(errno));
		if (p[1].revents && !pump(master, STDOUT_FILENO))
			p[1].fd = -1; /* EIO: no slave left open */
		if (p[2].revents && !pump(STDIN_FILENO, master)) {
			p[2].fd = -1;
			send_eof(master);
		}
		if (!p[0].revents || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGWINCH)
			copy_winsize(master);
		else if (si.ssi_signo != SIGCHLD)
			(void)kill(child, (int)si.ssi_signo); /* runc-shim passes it on */
		else if (waitpid(child, &status, WNOHANG) == child)
			break;
	}
	while (p[1].fd >= 0 && poll(&p[1], 1, 0) > 0 && pump(master, STDOUT_FILENO))
		; /* what the command wrote last */
	return wait_status(status);
}

int keelctl_tty_run(char **argv)
{
	static const int sigs[] = {SIGCHLD, SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT};
	sigset_t set, old;
	int master, sfd, status;
	pid_t child;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, &old) < 0 || (sfd = signalfd(-1, &set, SFD_CLOEXEC)) < 0)
		die("exec -t: signalfd: %s", strerror(errno));
	if ((child = fork()) < 0)
		die("exec -t: fork: %s", strerror(errno));
	if (child == 0) {
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
		execv(argv[0], argv);
		fprintf(stderr, "keelctl: exec: unable to run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	master = receive_master(child, &status);
	sock_remove();
	if (master < 0)
		return wait_status(status);
	term_raw();
	copy_winsize(master);
	status = pump_loop(child, master, sfd);
	term_restore();
	return status;
}
