/* Signal table of PID 1, busybox init compatible: TERM reboots, USR1 halts,
 * USR2 powers off, INT (ctrl-alt-del with RB_DISABLE_CAD) reboots; PWR (sent
 * by container managers such as LXC) powers off. Everything is blocked: PID 1
 * has no asynchronous handlers at all, only the signalfd. */
#include "signals.h"
#include "sigreset.h"
#include "log.h"
#include "loop.h"
#include "parse.h"
#include "power.h"
#include "reap.h"

#include <errno.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static const struct {
	int sig;
	enum power_action action; /* POWER_NONE: see handler */
	void (*handler)(void);
} signal_table[] = {
    {SIGCHLD, POWER_NONE, reap_children}, {SIGTERM, POWER_REBOOT, NULL},
    {SIGINT, POWER_REBOOT, NULL},	  {SIGUSR1, POWER_HALT, NULL},
    {SIGUSR2, POWER_POWEROFF, NULL},	  {SIGPWR, POWER_POWEROFF, NULL},
};

static struct loop_watch signal_watch = {.fd = -1};

int signals_block(void)
{
	sigset_t all;

	sigfillset(&all);
	return sigprocmask(SIG_SETMASK, &all, NULL) < 0 ? -errno : 0;
}

void signals_dispatch(int sig)
{
	for (size_t i = 0; i < sizeof(signal_table) / sizeof(signal_table[0]); i++) {
		if (signal_table[i].sig != sig)
			continue;
		if (signal_table[i].handler)
			signal_table[i].handler();
		else
			power_request(signal_table[i].action);
		return;
	}
	log_debug("ignoring signal %s", signal_name(sig) ? signal_name(sig) : "?");
}

static void signal_ready(struct loop_watch *w, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)events;
	/* The fd is non-blocking: drain everything queued. */
	while (read(w->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		signals_dispatch((int)si.ssi_signo);
}

int signals_watch(void)
{
	sigset_t all;
	int r;

	sigfillset(&all);
	signal_watch.fd = signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
	if (signal_watch.fd < 0)
		return -errno;
	signal_watch.on_ready = signal_ready;
	if ((r = loop_add(&signal_watch, EPOLLIN)) < 0) {
		close(signal_watch.fd);
		signal_watch.fd = -1;
	}
	return r;
}

void signals_wait_fallback(int timeout_ms)
{
	struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000};
	sigset_t all;
	int sig;

	sigfillset(&all);
	if ((sig = sigtimedwait(&all, NULL, &ts)) > 0)
		signals_dispatch(sig);
}
