/* config.json "mounts" and the mount option table shared with
 * rootfsPropagation. Options the table does not know are passed to the
 * filesystem as data ("size=64k", "mode=755"), as runc does; the kernel then
 * rejects what the filesystem does not understand. */
#include "config_parts.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

enum opt_kind { OPT_SET, OPT_CLEAR, OPT_RSET, OPT_RCLEAR, OPT_PROPAGATION, OPT_BIND, OPT_RBIND, OPT_REFUSED, OPT_COPYUP };

static const struct mount_opt {
	const char *name;
	enum opt_kind kind;
	unsigned long flag;
} mount_opts[] = {
    {"ro", OPT_SET, MS_RDONLY},
    {"rw", OPT_CLEAR, MS_RDONLY},
    {"nosuid", OPT_SET, MS_NOSUID},
    {"suid", OPT_CLEAR, MS_NOSUID},
    {"nodev", OPT_SET, MS_NODEV},
    {"dev", OPT_CLEAR, MS_NODEV},
    {"noexec", OPT_SET, MS_NOEXEC},
    {"exec", OPT_CLEAR, MS_NOEXEC},
    {"sync", OPT_SET, MS_SYNCHRONOUS},
    {"async", OPT_CLEAR, MS_SYNCHRONOUS},
    {"dirsync", OPT_SET, MS_DIRSYNC},
    {"remount", OPT_SET, MS_REMOUNT},
    {"noatime", OPT_SET, MS_NOATIME},
    {"atime", OPT_CLEAR, MS_NOATIME},
    {"nodiratime", OPT_SET, MS_NODIRATIME},
    {"diratime", OPT_CLEAR, MS_NODIRATIME},
    {"relatime", OPT_SET, MS_RELATIME},
    {"norelatime", OPT_CLEAR, MS_RELATIME},
    {"strictatime", OPT_SET, MS_STRICTATIME},
    {"nostrictatime", OPT_CLEAR, MS_STRICTATIME},
    {"mand", OPT_SET, MS_MANDLOCK},
    {"nomand", OPT_CLEAR, MS_MANDLOCK},
    {"nosymfollow", OPT_SET, MS_NOSYMFOLLOW},
    {"symfollow", OPT_CLEAR, MS_NOSYMFOLLOW},
    /* Recursive (mount_setattr AT_RECURSIVE), as runc 1.1. */
    {"rro", OPT_RSET, MS_RDONLY},
    {"rrw", OPT_RCLEAR, MS_RDONLY},
    {"rnosuid", OPT_RSET, MS_NOSUID},
    {"rsuid", OPT_RCLEAR, MS_NOSUID},
    {"rnodev", OPT_RSET, MS_NODEV},
    {"rdev", OPT_RCLEAR, MS_NODEV},
    {"rnoexec", OPT_RSET, MS_NOEXEC},
    {"rexec", OPT_RCLEAR, MS_NOEXEC},
    {"rnoatime", OPT_RSET, MS_NOATIME},
    {"rstrictatime", OPT_RSET, MS_STRICTATIME},
    {"rnodiratime", OPT_RSET, MS_NODIRATIME},
    {"rnosymfollow", OPT_RSET, MS_NOSYMFOLLOW},
    {"rsymfollow", OPT_RCLEAR, MS_NOSYMFOLLOW},
    /* Never dropped silently: not implemented, so refused. */
    {"idmap", OPT_REFUSED, 0},
    {"ridmap", OPT_REFUSED, 0},
    {"bind", OPT_BIND, MS_BIND},
    {"rbind", OPT_RBIND, MS_BIND | MS_REC},
    /* runc's extension (Podman sends it for --read-only's tmpfs mounts):
     * the directory's content is copied into the new tmpfs. */
    {"tmpcopyup", OPT_COPYUP, 0},
    {"private", OPT_PROPAGATION, MS_PRIVATE},
    {"rprivate", OPT_PROPAGATION, MS_PRIVATE | MS_REC},
    {"shared", OPT_PROPAGATION, MS_SHARED},
    {"rshared", OPT_PROPAGATION, MS_SHARED | MS_REC},
    {"slave", OPT_PROPAGATION, MS_SLAVE},
    {"rslave", OPT_PROPAGATION, MS_SLAVE | MS_REC},
    {"unbindable", OPT_PROPAGATION, MS_UNBINDABLE},
    {"runbindable", OPT_PROPAGATION, MS_UNBINDABLE | MS_REC},
};

int config_propagation(const char *name, unsigned long *out)
{
	for (size_t i = 0; i < sizeof(mount_opts) / sizeof(mount_opts[0]); i++)
		if (mount_opts[i].kind == OPT_PROPAGATION &&
		    strcmp(mount_opts[i].name, name) == 0) {
			*out = mount_opts[i].flag;
			return 0;
		}
	return -EINVAL;
}

static int add_data(struct cfg_mount *m, const char *opt)
{
	size_t old = m->data ? strlen(m->data) : 0, add = strlen(opt);
	char *d = realloc(m->data, old + add + 2);

	if (!d)
		return -ENOMEM;
	if (old)
		d[old++] = ',';
	memcpy(d + old, opt, add + 1);
	m->data = d;
	return 0;
}

static int mount_opt(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	struct cfg_mount *m = ctx;
	const char *o;
	int r = json_str(el, path, &o, err);

	if (r < 0)
		return r;
	for (size_t k = 0; k < sizeof(mount_opts) / sizeof(mount_opts[0]); k++) {
		const struct mount_opt *mo = &mount_opts[k];
		if (strcmp(mo->name, o) != 0)
			continue;
		switch (mo->kind) {
		case OPT_SET:
			m->flags |= mo->flag;
			m->clear &= ~mo->flag;
			break;
		case OPT_CLEAR:
			m->clear |= mo->flag;
			m->flags &= ~mo->flag;
			break;
		case OPT_RSET:
			m->rflags |= mo->flag;
			m->rclear &= ~mo->flag;
			break;
		case OPT_RCLEAR:
			m->rclear |= mo->flag;
			m->rflags &= ~mo->flag;
			break;
		case OPT_REFUSED:
			return kerr_set(err, 0, "%s: \"%s\" is not supported by runc-shim", path, o);
		case OPT_PROPAGATION:
			m->propagation = mo->flag;
			break;
		case OPT_RBIND:
			m->rec = true; /* fall through */
		case OPT_BIND:
			m->bind = true;
			break;
		case OPT_COPYUP:
			m->copyup = true;
			break;
		}
		return 0;
	}
	if (!*o || strchr(o, ','))
		return kerr_set(err, 0, "%s: bad option \"%s\"", path, o);
	if (add_data(m, o) < 0)
		return kerr_set(err, ENOMEM, "%s", path);
	return 0;
}

static int mount_dest(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct cfg_mount *m = ctx;
	int r = json_str(v, path, &m->dest, err);

	if (r == 0 && m->dest[0] != '/')
		return kerr_set(err, 0, "%s: must be an absolute path", path);
	return r;
}

static int mount_options(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	return json_each(v, path, mount_opt, ctx, err);
}

static int mount_el(const cJSON *el, const char *path, size_t i, void *ctx, struct kerr *err)
{
	static const struct jfield f[] = {
	    {"destination", mount_dest, 0},
	    {"type", json_field_str, offsetof(struct cfg_mount, type)},
	    {"source", json_field_str, offsetof(struct cfg_mount, source)},
	    {"options", mount_options, 0},
	};
	struct cfg_mount *m = &((struct cfg_mount *)ctx)[i];
	int r = json_walk(el, path, f, sizeof(f) / sizeof(f[0]), m, err);

	if (r < 0)
		return r;
	if (!m->dest)
		return kerr_set(err, 0, "%s.destination: missing", path);
	if (m->type && strcmp(m->type, "bind") == 0)
		m->bind = true;
	if (m->bind && !m->source)
		return kerr_set(err, 0, "%s.source: missing for a bind mount", path);
	if (!m->bind && !m->type)
		return kerr_set(err, 0, "%s.type: missing", path);
	return 0;
}

int config_parse_mounts(const cJSON *v, const char *path, void *ctx, struct kerr *err)
{
	struct config *c = ctx;
	int r =
	    json_alloc_array(v, path, sizeof(*c->mounts), (void **)&c->mounts, &c->n_mounts, err);
	return r < 0 ? r : json_each(v, path, mount_el, c->mounts, err);
}
