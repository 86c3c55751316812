/* Per-process settings of the container init; see process.h. */
#include "process.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *env_path(const struct cfg_process *p)
{
	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], "PATH=", 5) == 0)
			return p->env[i] + 5;
	return DEFAULT_PATH;
}

static bool executable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int process_find_exec(const struct cfg_process *p, char out[PATH_MAX], struct kerr *err)
{
	const char *name = p->args[0], *dir = env_path(p);

	if (strchr(name, '/')) {
		if (strlen(name) >= PATH_MAX)
			return kerr_set(err, ENAMETOOLONG, "process.args[0]");
		if (!executable(name))
			return kerr_set(err, errno == ENOENT ? ENOENT : EACCES,
					"process.args[0]: %s", name);
		strcpy(out, name);
		return 0;
	}
	while (*dir) {
		size_t n = strcspn(dir, ":");
		if ((size_t)snprintf(out, PATH_MAX, "%.*s/%s", (int)n, n ? dir : ".", name) <
			PATH_MAX &&
		    executable(out))
			return 0;
		dir += n + (dir[n] == ':');
	}
	return kerr_set(err, ENOENT, "process.args[0]: \"%s\" not found in $PATH", name);
}

int process_set_rlimits(const struct cfg_process *p, struct kerr *err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct rlimit rl = {p->rlimits[i].soft, p->rlimits[i].hard};
		if (setrlimit(p->rlimits[i].resource, &rl) < 0)
			return kerr_set(err, errno, "process.rlimits[%zu]: setrlimit", i);
	}
	return 0;
}

int process_set_oom_score(const struct cfg_process *p, struct kerr *err)
{
	char v[16];
	int r;

	if (!p->has_oom_score)
		return 0;
	snprintf(v, sizeof(v), "%d", p->oom_score_adj);
	if ((r = write_file("/proc/self/oom_score_adj", v)) < 0)
		return kerr_set(err, -r, "process.oomScoreAdj: unable to set %s", v);
	return 0;
}

int process_set_user(const struct cfg_process *p, bool setgroups_denied, struct kerr *err)
{
	gid_t groups[64];

	if (p->n_groups > sizeof(groups) / sizeof(groups[0]))
		return kerr_set(err, E2BIG, "process.user.additionalGids: too many");
	for (size_t i = 0; i < p->n_groups; i++)
		groups[i] = p->groups[i];
	/* Keep the permitted set across the uid change; caps_apply() then
	 * sets exactly the configured sets. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return kerr_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
	if (setgroups_denied && p->n_groups)
		return kerr_set(err, EPERM,
				"process.user.additionalGids: setgroups is denied in "
				"this user namespace");
	if (!setgroups_denied && setgroups(p->n_groups, groups) < 0)
		return kerr_set(err, errno, "process.user.additionalGids: setgroups");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return kerr_set(err, errno, "process.user.gid: setresgid(%u)", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return kerr_set(err, errno, "process.user.uid: setresuid(%u)", p->uid);
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return kerr_set(err, errno, "prctl(PR_SET_KEEPCAPS)");
	return 0;
}

/* A cwd outside our root (reached through a magic link) has no path from
 * it: getcwd fails or says "(unreachable)". */
static int cwd_inside_root(const char *cwd, struct kerr *err)
{
	char real[PATH_MAX];

	if (!getcwd(real, sizeof(real)) || real[0] != '/')
		return kerr_set(err, EPERM, "process.cwd: %s is outside the container", cwd);
	return 0;
}

int process_check_cwd(const struct cfg_process *p, struct stat *seen, struct kerr *err)
{
	int r;

	seen->st_ino = 0;
	if (chdir(p->cwd) < 0) {
		/* Root may lack access the user has (unmapped owner): the check
		 * then happens after the uid change. */
		if (errno == EACCES || errno == EPERM)
			return 0;
		return kerr_set(err, errno, "process.cwd: chdir %s", p->cwd);
	}
	if ((r = cwd_inside_root(p->cwd, err)) < 0)
		return r;
	if (stat(".", seen) < 0)
		return kerr_set(err, errno, "process.cwd: stat %s", p->cwd);
	return 0;
}

int process_set_cwd(const struct cfg_process *p, const struct stat *seen, struct kerr *err)
{
	struct stat now;

	if (p->umask >= 0)
		umask((mode_t)p->umask);
	/* Again as the process's user: its own search permission applies. */
	if (chdir(p->cwd) < 0)
		return kerr_set(err, errno, "process.cwd: chdir %s", p->cwd);
	if (!seen->st_ino)
		return cwd_inside_root(p->cwd, err);
	/* Checked before seccomp (which may deny getcwd): the same directory. */
	if (stat(".", &now) < 0)
		return kerr_set(err, errno, "process.cwd: stat %s", p->cwd);
	if (now.st_dev != seen->st_dev || now.st_ino != seen->st_ino)
		return kerr_set(err, EPERM, "process.cwd: %s changed while starting", p->cwd);
	return 0;
}
