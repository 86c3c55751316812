/* See seccomp.h. Syscall names unknown to this libseccomp/arch are skipped
 * (profiles list syscalls of every arch, as runc does); rules whose action
 * equals the default are redundant and skipped too. Several conditions on
 * the same argument cannot be ANDed by libseccomp: like runc we add them
 * as separate rules (OR), which is what Docker's profile expects. */
#include "seccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <stdlib.h>

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
		cmp[i] = (struct scmp_arg_cmp){ rule->args[i].index,
						(enum scmp_compare)rule->args[i].op,
						rule->args[i].value, rule->args[i].value2 };
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

static int set_attrs(scmp_filter_ctx ctx, const struct cfg_seccomp *sc)
{
	int r;

	/* no_new_privs is process.noNewPrivileges' business, not libseccomp's. */
	if ((r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0)
		return r;
	if (sc->flag_log && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1)) < 0)
		return r;
	if (sc->flag_spec_allow && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1)) < 0)
		return r;
	if (sc->flag_tsync && (r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0)
		return r;
	for (size_t i = 0; i < sc->n_arches; i++)
		if ((r = seccomp_arch_add(ctx, sc->arches[i])) < 0 && r != -EEXIST)
			return r;
	return 0;
}

int seccomp_compile(const struct cfg_seccomp *sc, void **out, struct kerr *err)
{
	scmp_filter_ctx ctx;
	int r;

	*out = NULL;
	if (!sc->present)
		return 0;
	if (!(ctx = seccomp_init(sc->default_action)))
		return kerr_set(err, EINVAL, "linux.seccomp.defaultAction: rejected by libseccomp");
	if ((r = set_attrs(ctx, sc)) < 0) {
		seccomp_release(ctx);
		return kerr_set(err, -r, "linux.seccomp: unable to set filter attributes");
	}
	if ((r = add_rules(ctx, sc, err)) < 0) {
		seccomp_release(ctx);
		return r;
	}
	*out = ctx;
	return 0;
}

int seccomp_apply(void *ctx, struct kerr *err)
{
	int r;

	if (ctx && (r = seccomp_load(ctx)) < 0)
		return kerr_set(err, -r, "unable to load the seccomp filter");
	return 0;
}

void seccomp_free_filter(void *ctx)
{
	if (ctx)
		seccomp_release(ctx);
}
