/* OCI hooks. prestart and createRuntime run in `create`'s namespaces when
 * the init has made its mounts; createContainer in the init itself before
 * pivot_root (so in the container's mount namespace, host paths still
 * visible); startContainer in the init after `start`, before exec; poststart
 * in `start` and poststop in `delete`. Each hook gets the state JSON on a
 * socket as stdin (send never raises SIGPIPE when the hook ignores it). */
#include "hooks.h"
#include "io.h"
#include "log.h"
#include "sigreset.h"
#include "sync.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HOOKS_CONFIG_MAX (4u << 20) /* as config_load */

extern char **environ;

static char *state_json(const struct config *c, const struct hook_state *s)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *ann = cJSON_GetObjectItemCaseSensitive(c->json, "annotations");
	char *text = NULL;

	if (o && cJSON_AddStringToObject(o, "ociVersion", SHIM_OCI_VERSION) &&
	    cJSON_AddStringToObject(o, "id", s->id) &&
	    cJSON_AddStringToObject(o, "status", s->status) &&
	    cJSON_AddNumberToObject(o, "pid", s->pid) &&
	    cJSON_AddStringToObject(o, "bundle", s->bundle) &&
	    (!cJSON_IsObject(ann) || cJSON_AddItemReferenceToObject(o, "annotations", ann)))
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o); /* a reference does not free the config's annotations */
	return text;
}

static void __attribute__((noreturn)) hook_exec(const struct cfg_hook *h, int stdin_fd)
{
	const char *argv0[] = {h->path, NULL};

	if (dup2(stdin_fd, 0) < 0 || signals_reset_all() < 0)
		_exit(127);
	execve(h->path, (char *const *)(h->n_args ? h->args : argv0),
	       h->env ? (char *const *)h->env : environ);
	dprintf(2, "runc-shim: hook %s: %s\n", h->path, strerror(errno));
	_exit(127);
}

/* Polls a pidfd until the process exits or timeout_s pass (EINTR
 * resumes with what is left): 1 exited, 0 timed out, -errno. */
static int pidfd_wait(int fd, int64_t timeout_s)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	struct timespec now, end;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += (time_t)timeout_s;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		int64_t ms = (int64_t)(end.tv_sec - now.tv_sec) * 1000 +
			     (end.tv_nsec - now.tv_nsec) / 1000000;
		if ((r = poll(&p, 1, ms > 0 ? (int)ms : 0)) >= 0 || errno != EINTR)
			return r < 0 ? -errno : r;
	}
}

/* Waits for the hook, killing it when its timeout passes. */
static int hook_wait(pid_t pid, int64_t timeout, const char *what, struct kerr *err)
{
	int st, r = 0;

	if (timeout > 0) {
		int fd = (int)syscall(SYS_pidfd_open, pid, 0);
		r = fd < 0 ? -errno : pidfd_wait(fd, timeout);
		if (fd >= 0)
			close(fd);
		if (r <= 0) {
			kill(pid, SIGKILL);
			r = r < 0 ? kerr_set(err, -r, "%s: waiting for it", what)
				  : kerr_set(err, ETIMEDOUT, "%s: timed out after %lld s", what,
					     (long long)timeout);
		} else {
			r = 0;
		}
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return r < 0 ? r : kerr_set(err, errno, "%s: waitpid", what);
	if (r < 0)
		return r;
	if (WIFSIGNALED(st))
		return kerr_set(err, 0, "%s: killed by signal %d", what, WTERMSIG(st));
	if (WEXITSTATUS(st))
		return kerr_set(err, 0, "%s: exited with status %d", what, WEXITSTATUS(st));
	return 0;
}

static int hook_run_one(const struct cfg_hook *h, const char *state, const char *what,
			struct kerr *err)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return kerr_set(err, errno, "%s: socketpair", what);
	if ((pid = fork()) < 0) {
		close(sv[0]);
		close(sv[1]);
		return kerr_set(err, errno, "%s: fork", what);
	}
	if (pid == 0)
		hook_exec(h, sv[1]);
	close(sv[1]);
	/* The state is small; a hook that does not read it loses nothing. */
	(void)send(sv[0], state, strlen(state), MSG_NOSIGNAL | MSG_DONTWAIT);
	close(sv[0]);
	return hook_wait(pid, h->timeout, what, err);
}

/* Every hook of kind in order: the first failure stops them, or (warn)
 * each failure is logged and the next one runs. */
static int run_kind(const struct config *c, enum hook_kind kind, const struct hook_state *s,
		    bool warn, struct kerr *err)
{
	autofree char *state = NULL;
	char what[64], line[sizeof(err->msg) + 64];
	int r;

	if (!c->hooks.n[kind])
		return 0;
	if (!(state = state_json(c, s)))
		return kerr_set(err, ENOMEM, "hooks.%s: state", config_hook_name(kind));
	for (size_t i = 0; i < c->hooks.n[kind]; i++) {
		snprintf(what, sizeof(what), "hooks.%s[%zu]", config_hook_name(kind), i);
		if ((r = hook_run_one(&c->hooks.list[kind][i], state, what, err)) < 0 && !warn)
			return r;
		if (r < 0)
			log_warn("%s (ignored)", kerr_str(err, line, sizeof(line)));
	}
	return 0;
}

int hooks_run(const struct config *c, enum hook_kind kind, const struct hook_state *s,
	      struct kerr *err)
{
	return run_kind(c, kind, s, false, err);
}

/* Both sides know the config: the child asks only when a hook needs it. */
static bool create_sync_needed(const struct config *c)
{
	const struct cfg_hooks *h = &c->hooks;

	return h->n[HOOK_PRESTART] || h->n[HOOK_CREATE_RUNTIME] || h->n[HOOK_CREATE_CONTAINER] ||
	       h->n[HOOK_START_CONTAINER];
}

int hooks_serve_create(const struct launch *l, pid_t pid, struct kerr *err)
{
	struct hook_state s = {.id = l->id, .status = "creating", .bundle = l->bundle, .pid = pid};
	int r;

	if (!create_sync_needed(l->cfg))
		return 0;
	if ((r = sync_expect(l->sync_fds[0], SYNC_HOOKS, NULL, err)) < 0)
		return r;
	/* runc's order: prestart (deprecated), then createRuntime. prestart
	 * sees "created", as in crun and the runtime-spec 1.0 it comes from
	 * (there it ran at `start`); createRuntime "creating", as in runc. */
	s.status = "created";
	if ((r = hooks_run(l->cfg, HOOK_PRESTART, &s, err)) < 0)
		return r;
	s.status = "creating";
	if ((r = hooks_run(l->cfg, HOOK_CREATE_RUNTIME, &s, err)) < 0)
		return r;
	if ((r = sync_send(l->sync_fds[0], SYNC_HOOKS_DONE, pid, NULL)) < 0)
		return kerr_set(err, -r, "unable to signal the container init");
	return 0;
}

int hooks_container_created(struct launch *l, struct kerr *err)
{
	struct hook_state s = {.id = l->id, .status = "creating", .bundle = l->bundle};
	int32_t pid;
	int r;

	if (!create_sync_needed(l->cfg))
		return 0;
	if ((r = sync_send(l->sync_fds[1], SYNC_HOOKS, 0, NULL)) < 0)
		return kerr_set(err, -r, "unable to ask for the runtime hooks");
	if ((r = sync_expect(l->sync_fds[1], SYNC_HOOKS_DONE, &pid, err)) < 0)
		return r;
	l->host_pid = s.pid = pid; /* ours is 1 in a new pid namespace */
	return hooks_run(l->cfg, HOOK_CREATE_CONTAINER, &s, err);
}

int hooks_container_starting(const struct launch *l, struct kerr *err)
{
	struct hook_state s = {
	    .id = l->id, .status = "created", .bundle = l->bundle, .pid = l->host_pid};

	return hooks_run(l->cfg, HOOK_START_CONTAINER, &s, err);
}

/* start and delete run hooks from the bundle's config.json, which they
 * would not parse otherwise: a config that does not name the kind at all
 * (nearly all) costs one read, not a parse. */
void hooks_run_after(const struct state *st, enum hook_kind kind, const char *status)
{
	struct hook_state s = {
	    .id = st->id, .status = status, .bundle = st->bundle, .pid = st->pid};
	char path[PATH_MAX + 16], name[32], line[sizeof(((struct kerr *)0)->msg) + 64];
	autofree char *text = NULL;
	struct kerr err = {0};
	struct config c;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/config.json", st->bundle);
	snprintf(name, sizeof(name), "\"%s\"", config_hook_name(kind));
	if ((n = read_file_alloc(path, HOOKS_CONFIG_MAX, &text)) < 0 || !strstr(text, name))
		return; /* the bundle may be gone by now */
	if (config_parse(text, (size_t)n, &c, &err) < 0) {
		log_warn("%s: %s (hooks.%s not run)", path, kerr_str(&err, line, sizeof(line)),
			 config_hook_name(kind));
		return;
	}
	(void)run_kind(&c, kind, &s, true, &err); /* warns itself */
	config_free(&c);
}
