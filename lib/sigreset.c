/* Resets dispositions with the raw rt_sigaction syscall: musl's sigaction()
 * refuses signals 32-34 (its internals), so an ignored 32 or 33 inherited
 * from the caller would otherwise leak into every child. */
#include "sigreset.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's struct sigaction for rt_sigaction (x86_64 and most 64-bit
 * ABIs): handler, flags, restorer, mask. No restorer is needed for SIG_DFL. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

int signals_reset_all(void)
{
	struct kernel_sigaction dfl = {.handler = SIG_DFL};
	sigset_t none;

	for (int sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		return -errno;
	return 0;
}
