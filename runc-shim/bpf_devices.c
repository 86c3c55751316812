/* linux.resources.devices enforced on cgroup v2: a BPF_CGROUP_DEVICE
 * program written as raw instructions (no libbpf) and attached to the
 * container's cgroup before its init is cloned, so every mknod/open in
 * there is checked. Rules are OCI's: the last one that matches decides,
 * nothing matching means denied; runc's always-allowed devices (mknod of
 * any node, null/zero/full/random/urandom/tty/console/ptmx, pts) and the
 * linux.devices nodes come after the config's rules, so they win. */
#include "bpf_devices.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

const struct cfg_dev_rule devices_always_allowed[DEVICES_N_ALWAYS_ALLOWED] = {
    {true, 'c', CFG_DEV_MKNOD, -1, -1}, {true, 'b', CFG_DEV_MKNOD, -1, -1},
    {true, 'c', CFG_DEV_ALL, 1, 3},		{true, 'c', CFG_DEV_ALL, 1, 5},
    {true, 'c', CFG_DEV_ALL, 1, 7},		{true, 'c', CFG_DEV_ALL, 1, 8},
    {true, 'c', CFG_DEV_ALL, 1, 9},		{true, 'c', CFG_DEV_ALL, 5, 0},
    {true, 'c', CFG_DEV_ALL, 5, 1},		{true, 'c', CFG_DEV_ALL, 5, 2},
    {true, 'c', CFG_DEV_ALL, 136, -1},
};

/* Registers: r1 ctx, then r2 device type, r3 access, r4 major, r5 minor. */
#define INSN(c, d, s, o, i) ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
#define LDX_W(d, off)	    INSN(BPF_LDX | BPF_MEM | BPF_W, d, 1, off, 0)
#define ALU32_K(op, d, k)   INSN(BPF_ALU | (op) | BPF_K, d, 0, 0, k)
#define MOV32_X(d, s)	    INSN(BPF_ALU | BPF_MOV | BPF_X, d, s, 0, 0)
#define JNE32_K(d, k)	    INSN(BPF_JMP32 | BPF_JNE | BPF_K, d, 0, 0, k) /* off patched */
#define RET(v)		    INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, v), INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

struct prog {
	struct bpf_insn *insns;
	size_t n, cap;
	bool done; /* an unconditional rule ended it */
};

static int emit(struct prog *p, const struct bpf_insn *in, size_t n)
{
	if (p->n + n > p->cap) {
		size_t cap = (p->cap + n) * 2;
		struct bpf_insn *grown = realloc(p->insns, cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		p->insns = grown, p->cap = cap;
	}
	memcpy(p->insns + p->n, in, n * sizeof(*in));
	p->n += n;
	return 0;
}

/* One rule: each test jumps past the block when it does not match. */
static int emit_rule(struct prog *p, const struct cfg_dev_rule *d)
{
	struct bpf_insn b[9];
	size_t n = 0;

	if (d->type != 'a')
		b[n++] = JNE32_K(2, d->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK);
	if ((d->access & CFG_DEV_ALL) != CFG_DEV_ALL) { /* asked for more than it grants? */
		b[n++] = MOV32_X(1, 3);
		b[n++] = ALU32_K(BPF_AND, 1, ~d->access & CFG_DEV_ALL);
		b[n++] = JNE32_K(1, 0);
	}
	if (d->major >= 0)
		b[n++] = JNE32_K(4, (int32_t)(uint32_t)d->major);
	if (d->minor >= 0)
		b[n++] = JNE32_K(5, (int32_t)(uint32_t)d->minor);
	p->done = n == 0;
	for (size_t i = 0; i < n; i++)
		if (b[i].code == (BPF_JMP32 | BPF_JNE | BPF_K))
			b[i].off = (int16_t)(n + 1 - i); /* over the rest and RET's 2 */
	b[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, d->allow);
	b[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return emit(p, b, n);
}

/* Rules from the last to the first: the first match returns. */
static int build(struct prog *p, const struct config *c)
{
	static const struct bpf_insn head[] = {
	    LDX_W(2, 0), ALU32_K(BPF_AND, 2, 0xffff), LDX_W(3, 0), ALU32_K(BPF_RSH, 3, 16),
	    LDX_W(4, 4), LDX_W(5, 8),
	};
	static const struct bpf_insn deny[] = {RET(0)};
	int r = emit(p, head, sizeof(head) / sizeof(head[0]));

	for (size_t i = c->n_devices; r == 0 && i-- > 0;) {
		const struct cfg_device *d = &c->devices[i];
		struct cfg_dev_rule rule = {true, d->type, CFG_DEV_ALL, d->major, d->minor};
		if (d->type != 'p')
			r = emit_rule(p, &rule);
	}
	for (size_t i = DEVICES_N_ALWAYS_ALLOWED; r == 0 && i-- > 0;)
		r = emit_rule(p, &devices_always_allowed[i]);
	for (size_t i = c->res.n_dev_rules; r == 0 && !p->done && i-- > 0;)
		r = emit_rule(p, &c->res.dev_rules[i]);
	return r == 0 && !p->done ? emit(p, deny, 2) : r;
}

static int load_and_attach(const struct prog *p, int cgfd)
{
	union bpf_attr load = {
	    .prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
	    .insns = (uintptr_t)p->insns,
	    .insn_cnt = (uint32_t)p->n,
	    .license = (uintptr_t) "GPL",
	};
	autoclose int prog = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &load, sizeof(load));
	union bpf_attr attach = {
	    .target_fd = (uint32_t)cgfd,
	    .attach_bpf_fd = (uint32_t)prog,
	    .attach_type = BPF_CGROUP_DEVICE,
	    .attach_flags = BPF_F_ALLOW_MULTI,
	};

	if (prog < 0)
		return -errno;
	/* The cgroup holds the program from now on; our fd can go. */
	return syscall(SYS_bpf, BPF_PROG_ATTACH, &attach, sizeof(attach)) < 0 ? -errno : 0;
}

/* Only the host's user namespace makes the device rules the last line:
 * in any other the kernel refuses device nodes' mknod and opens of nodes
 * it does not own by itself. */
static bool in_host_userns(const struct config *c)
{
	unsigned long inside, outside, count;
	char map[128], more;

	if (config_ns(c, CLONE_NEWUSER))
		return false;
	if (read_file("/proc/self/uid_map", map, sizeof(map)) < 0)
		return true;
	/* The initial namespace maps everything onto itself in one line. */
	return sscanf(map, "%lu %lu %lu %c", &inside, &outside, &count, &more) == 3 &&
	       inside == 0 && outside == 0 && count == 4294967295UL;
}

int bpf_devices_apply(const char *cgroup_dir, const struct config *c, struct kerr *err)
{
	struct prog p = {0};
	autoclose int cgfd = -1;
	int r = -ENODEV;

	if (!c->res.n_dev_rules)
		return 0; /* nothing asked (keel's privileged onboot jobs rely on it) */
	if (cgroup_dir[0]) {
		if ((cgfd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			r = -errno;
		else if ((r = build(&p, c)) == 0)
			r = load_and_attach(&p, cgfd);
		free(p.insns);
	}
	if (r == 0 || !in_host_userns(c))
		return 0;
	return kerr_set(err, -r,
			"linux.resources.devices: unable to enforce the device rules with a "
			"BPF program on %s (without a user namespace they are the only guard)",
			cgroup_dir[0] ? cgroup_dir : "(no cgroup v2)");
}
