/* See summary.h. Keys (all optional to the reader, init/inspect.c):
 *   seccomp_rules, seccomp_syscalls  the profile's rules and syscall names
 *   seccomp_default                  its default action (errno, kill, ...)
 *   masked_paths, readonly_paths, devices  counts from linux.* */
#include "summary.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <unistd.h>

static const char *action_name(uint32_t a)
{
	static const struct {
		uint32_t action;
		const char *name;
	} names[] = {
	    {SCMP_ACT_KILL_PROCESS, "kill_process"},
	    {SCMP_ACT_KILL, "kill"},
	    {SCMP_ACT_TRAP, "trap"},
	    {SCMP_ACT_ERRNO(0), "errno"},
	    {SCMP_ACT_TRACE(0), "trace"},
	    {SCMP_ACT_LOG, "log"},
	    {SCMP_ACT_ALLOW, "allow"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((a & 0xffff0000u) == names[i].action)
			return names[i].name;
	return "other";
}

int summary_write(int dirfd, const struct config *c, struct kerr *err)
{
	autoclose int fd = -1;
	size_t syscalls = 0;
	char text[512];
	int n;

	for (size_t i = 0; i < c->seccomp.n_rules; i++)
		syscalls += c->seccomp.rules[i].n_names;
	n = snprintf(text, sizeof(text),
		     "seccomp_rules=%zu\nseccomp_syscalls=%zu\nseccomp_default=%s\n"
		     "masked_paths=%zu\nreadonly_paths=%zu\ndevices=%zu\n",
		     c->seccomp.present ? c->seccomp.n_rules : 0, c->seccomp.present ? syscalls : 0,
		     c->seccomp.present ? action_name(c->seccomp.default_action) : "none",
		     c->n_masked, c->n_readonly, c->n_devices);
	fd = openat(dirfd, "summary", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, text, (size_t)n) < 0)
		return kerr_set(err, errno, "unable to write summary");
	return 0;
}
