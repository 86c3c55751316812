/* See seccomp.h. Syscall names unknown to this libseccomp/arch are skipped
 * (profiles list syscalls of every arch, as runc does); rules whose action
 * equals the default are redundant and skipped too. Several conditions on
 * the same argument cannot be ANDed by libseccomp: like runc we add them
 * as separate rules (OR), which is what Docker's profile expects. */
#include "seccomp.h"

#include "io.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static bool dup_index(const struct cfg_sc_rule *rule)
{
	for (unsigned i = 0; i < rule->n_args; i++)
		for (unsigned j = i + 1; j < rule->n_args; j++)
			if (rule->args[i].index == rule->args[j].index)
				return true;
	return false;
}

static int add_rule(scmp_filter_ctx ctx, const struct cfg_sc_rule *rule, int nr)
{
	struct scmp_arg_cmp cmp[CFG_MAX_ARGS];
	int r;

	for (unsigned i = 0; i < rule->n_args; i++)
		cmp[i] =
		    (struct scmp_arg_cmp){rule->args[i].index, (enum scmp_compare)rule->args[i].op,
					  rule->args[i].value, rule->args[i].value2};
	if (!dup_index(rule))
		return seccomp_rule_add_array(ctx, rule->action, nr, rule->n_args, cmp);
	for (unsigned i = 0; i < rule->n_args; i++)
		if ((r = seccomp_rule_add_array(ctx, rule->action, nr, 1, &cmp[i])) < 0)
			return r;
	return 0;
}

static int add_rules(scmp_filter_ctx ctx, const struct cfg_seccomp *sc, struct kerr *err)
{
	for (size_t i = 0; i < sc->n_rules; i++) {
		const struct cfg_sc_rule *rule = &sc->rules[i];
		if (rule->action == sc->default_action)
			continue;
		for (size_t k = 0; k < rule->n_names; k++) {
			int nr = seccomp_syscall_resolve_name(rule->names[k]), r;
			if (nr == __NR_SCMP_ERROR)
				continue;
			if ((r = add_rule(ctx, rule, nr)) < 0)
				return kerr_set(err, -r, "linux.seccomp.syscalls[%zu]: %s", i,
						rule->names[k]);
		}
	}
	return 0;
}

/* As runc (patchbpf): under a deny-by-default profile, native syscall
 * numbers above every one the profile names (newer than the profile) fail
 * with ENOSYS, not the default errno, so a libc falls back to the older
 * call. libseccomp cannot add rules for numbers it does not know, so six
 * instructions go in front of its program (its jumps are relative). */
static int max_named_syscall(const struct cfg_seccomp *sc)
{
	int max = -1;

	for (size_t i = 0; i < sc->n_rules; i++)
		for (size_t k = 0; k < sc->rules[i].n_names; k++) {
			int nr = seccomp_syscall_resolve_name(sc->rules[i].names[k]);
			if (nr > max)
				max = nr;
		}
	return max;
}

static int prepend_enosys(const struct cfg_seccomp *sc, struct seccomp_prog *p)
{
	int max = max_named_syscall(sc);
	struct sock_filter head[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, seccomp_arch_native(), 0, 4),
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000 /* x32 */, 2, 0),
	    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)max + 1, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};
	size_t n = sizeof(head) / sizeof(head[0]);
	struct sock_filter *all;

	if (sc->default_action == SCMP_ACT_ALLOW || sc->default_action == SCMP_ACT_LOG || max < 0)
		return 0;
	if (p->len + n > BPF_MAXINSNS)
		return -E2BIG;
	if (!(all = malloc((p->len + n) * sizeof(*all))))
		return -ENOMEM;
	memcpy(all, head, sizeof(head));
	memcpy(all + n, p->insns, p->len * sizeof(*all));
	free(p->insns);
	p->insns = all;
	p->len = (unsigned short)(p->len + n);
	return 0;
}

/* Flags (log, spec_allow, tsync) and no_new_privs belong to the load,
 * which seccomp_apply() does itself; the program only needs the arches. */
static int add_arches(scmp_filter_ctx ctx, const struct cfg_seccomp *sc)
{
	for (size_t i = 0; i < sc->n_arches; i++) {
		int r = seccomp_arch_add(ctx, sc->arches[i]);
		if (r < 0 && r != -EEXIST)
			return r;
	}
	return 0;
}

/* libseccomp 2.5 exports only to an fd: a memfd, read back. */
static int export_bpf(scmp_filter_ctx ctx, struct seccomp_prog *p)
{
	autoclose int fd = memfd_create("seccomp", MFD_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0)
		return -errno;
	if ((r = seccomp_export_bpf(ctx, fd)) < 0)
		return r;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) ||
	    st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return -E2BIG;
	if (!(p->insns = malloc((size_t)st.st_size)))
		return -ENOMEM;
	p->len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
	if (pread(fd, p->insns, (size_t)st.st_size, 0) != st.st_size)
		return -EIO;
	return 0;
}

static int compile(const struct cfg_seccomp *sc, struct seccomp_prog *p, struct kerr *err)
{
	scmp_filter_ctx ctx = seccomp_init(sc->default_action);
	int r;

	if (!ctx)
		return kerr_set(err, EINVAL, "linux.seccomp.defaultAction: rejected by libseccomp");
	if ((r = add_arches(ctx, sc)) < 0)
		r = kerr_set(err, -r, "linux.seccomp.architectures: rejected by libseccomp");
	else if ((r = add_rules(ctx, sc, err)) == 0 &&
		 ((r = export_bpf(ctx, p)) < 0 || (r = prepend_enosys(sc, p)) < 0))
		r = kerr_set(err, -r, "linux.seccomp: unable to generate the filter");
	seccomp_release(ctx);
	return r;
}

int seccomp_prepare(const struct config *c, const char *cache_dir, struct seccomp_prog *p,
		    struct kerr *err)
{
	const struct cfg_seccomp *sc = &c->seccomp;
	autofree char *key = NULL;
	int r;

	*p = (struct seccomp_prog){NULL, 0, 0};
	if (!sc->present)
		return 0;
	p->flags = (sc->flag_tsync ? SECCOMP_FILTER_FLAG_TSYNC : 0) |
		   (sc->flag_log ? SECCOMP_FILTER_FLAG_LOG : 0) |
		   (sc->flag_spec_allow ? SECCOMP_FILTER_FLAG_SPEC_ALLOW : 0);
	key = cache_dir ? seccomp_cache_key(sc) : NULL;
	if (key && seccomp_cache_load(cache_dir, key, p) == 0)
		return 0;
	if ((r = compile(sc, p, err)) < 0) {
		seccomp_prog_free(p);
		return r;
	}
	if (key)
		seccomp_cache_store(cache_dir, key, p);
	return 0;
}

int seccomp_apply(const struct seccomp_prog *p, struct kerr *err)
{
	struct sock_fprog prog = {.len = p->len, .filter = p->insns};

	if (p->insns && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &prog) < 0)
		return kerr_set(err, errno, "unable to load the seccomp filter");
	return 0;
}

void seccomp_prog_free(struct seccomp_prog *p)
{
	free(p->insns);
	p->insns = NULL;
}
