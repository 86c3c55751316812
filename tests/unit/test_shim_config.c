/* runc-shim's config parser: the default spec parses into the expected
 * typed values, and each kind of bad input fails with its JSON path. */
#include "../../runc-shim/config.h"
#include "../../runc-shim/default_spec.h"
#include "../../runc-shim/state.h"
#include "tap.h"

#include <sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

static int parse(const char *json, struct config *c, struct kerr *err)
{
	memset(err, 0, sizeof(*err));
	return config_parse(json, strlen(json), c, err);
}

static void default_spec_parses(void)
{
	char *text = default_spec(false, 0, 0);
	struct config c;
	struct kerr err;
	int r = parse(text, &c, &err);

	CHECK(r == 0, "default spec parses (%s)", r ? err.msg : "ok");
	if (r == 0) {
		CHECK(c.n_ns == 7 && config_ns(&c, CLONE_NEWUSER) && config_ns(&c, CLONE_NEWNET),
		      "default spec: 7 namespaces incl. user and network");
		CHECK(c.n_uid_map == 1 && c.uid_map[0].host == 100000 && c.uid_map[0].size == 65536,
		      "default spec: root maps to host 100000 (65536 ids)");
		CHECK(c.proc.caps[CAPSET_BND] == 0 && c.proc.caps[CAPSET_EFF] == 0,
		      "default spec: empty capability sets");
		CHECK(c.proc.no_new_privs && c.root_readonly,
		      "default spec: no_new_privs, ro root");
		CHECK(c.seccomp.present && c.seccomp.default_action == SCMP_ACT_ERRNO(1),
		      "default spec: seccomp default action is EPERM");
		CHECK(c.n_masked >= 8 && c.n_readonly == 5, "default spec: masked/readonly paths");
		config_free(&c);
	}
	free(text);
	text = default_spec(true, 1234, 567);
	r = parse(text, &c, &err);
	CHECK(r == 0 && c.uid_map[0].host == 1234 && c.uid_map[0].size == 1 &&
		  c.gid_map[0].host == 567,
	      "rootless spec maps root to the caller alone");
	if (r == 0)
		config_free(&c);
	free(text);
}

#define BASE(x)                                                                                    \
	"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"]}" x "}"

static void mounts_and_values(void)
{
	struct config c;
	struct kerr err;
	int r =
	    parse(BASE(",\"mounts\":[{\"destination\":\"/d\",\"type\":\"tmpfs\",\"source\":\"t\","
		       "\"options\":[\"ro\",\"nosuid\",\"size=1k\",\"mode=755\",\"rslave\"]},"
		       "{\"destination\":\"/b\",\"source\":\"/s\",\"options\":[\"rbind\",\"rw\"]}],"
		       "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],"
		       "\"resources\":{\"memory\":{\"limit\":1048576},\"pids\":{\"limit\":64}}}"),
		  &c, &err);

	CHECK(r == 0, "mount options parse (%s)", r ? err.msg : "ok");
	if (r)
		return;
	CHECK(c.mounts[0].flags == (MS_RDONLY | MS_NOSUID), "ro,nosuid → MS_RDONLY|MS_NOSUID");
	CHECK(c.mounts[0].data && !strcmp(c.mounts[0].data, "size=1k,mode=755"),
	      "fs options pass through as data (%s)", c.mounts[0].data);
	CHECK(c.mounts[0].propagation == (MS_SLAVE | MS_REC), "rslave → MS_SLAVE|MS_REC");
	CHECK(c.mounts[1].bind && c.mounts[1].rec && (c.mounts[1].clear & MS_RDONLY),
	      "rbind without type is a recursive bind; rw clears ro");
	CHECK(c.res.any && c.res.mem_limit == 1048576 && c.res.pids_limit == 64 &&
		  c.res.cpu_quota == -1,
	      "resources: memory and pids limits, others unset");
	config_free(&c);
}

static const struct {
	const char *json, *want;
} bad[] = {
    {"{", "invalid JSON near byte"},
    {"[]", "(top): expected an object"},
    {BASE(",\"hostname\":5"), "hostname: expected a string"},
    {"{\"process\":{\"args\":[\"a\"]}}", "root.path: missing"},
    {"{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[]}}", "process.args: missing or empty"},
    {BASE(",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
	  "[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ALLOW\"},{\"names\":[\"y\"],"
	  "\"action\":\"SCMP_ACT_FOO\"}]}}"),
     "linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\""},
    {BASE(",\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
	  "[{\"names\":[\"x\"],\"action\":\"SCMP_ACT_ERRNO\",\"args\":[{\"index\":1,"
	  "\"value\":1,\"op\":\"SCMP_CMP_XX\"}]}]}}"),
     "syscalls[0].args[0].op: unknown operator \"SCMP_CMP_XX\""},
    {BASE(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"uidMappings\":[{\"containerID\":0,"
	  "\"hostID\":1,\"size\":1}]}"),
     "linux.uidMappings: needs a new user namespace"},
    {BASE(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"intelRdt\":{"
	  "\"closID\":\"x\"}}"),
     "linux.intelRdt: not supported"},
    {BASE(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"resources\":{\"memory\":{"
	  "\"limit\":2000,\"swap\":1000}}}"),
     "linux.resources.memory.swap: 1000 is below memory.limit 2000"},
    {BASE(",\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}"),
     "hostname: needs a uts namespace"},
    {BASE(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"resources\":{\"memory\":{\"limit\":"
	  "\"1G\"}}}"),
     "linux.resources.memory.limit: expected a number"},
    {BASE(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"sysctl\":{\"../x\":\"1\"}}"),
     "linux.sysctl.../x: bad name"},
    {BASE(",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}],\"cgroupsPath\":\"/a/../b\"}"),
     "linux.cgroupsPath: must not contain \"..\""},
    {BASE(",\"mounts\":[{\"destination\":\"/x\"}]"), "mounts[0].type: missing"},
    {BASE(",\"mounts\":[{\"destination\":\"/x\",\"type\":\"bind\"}]"),
     "mounts[0].source: missing for a bind mount"},
    {BASE(",\"linux\":{\"devices\":[{\"path\":\"/etc/x\",\"type\":\"c\"}]}"),
     "linux.devices[0].path: must be under /dev/"},
    {BASE(",\"linux\":{}"), "a mount namespace is required"},
    {"{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],"
     "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":5}]}}",
     "process.rlimits[0]: soft limit above hard limit"},
    {"{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"user\":{\"uid\":1e30}}}",
     "process.user.uid: expected an integer"},
    {"{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"user\":{\"uid\":4294967296}}}",
     "process.user.uid: 4294967296 out of range"},
    {"{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"rlimits\":[{\"type\":"
     "\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":18446744073709551616}]}}",
     "process.rlimits[0].hard: expected an integer up to 2^64-1"},
    {"{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"oomScoreAdj\":-9223372036854775809}}",
     "process.oomScoreAdj: -9223372036854775809 out of range"},
};

static void bad_input(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct config c;
		struct kerr err;
		int r = parse(bad[i].json, &c, &err);
		CHECK(r < 0 && strstr(err.msg, bad[i].want), "rejects: %s (got: %s)", bad[i].want,
		      r < 0 ? err.msg : "accepted");
		if (r == 0)
			config_free(&c);
	}
}

/* The spec: unknown properties MUST be ignored; big integers exact. */
static void unknown_and_big(void)
{
	struct config c;
	struct kerr err;
	int r = parse("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\",\"x-new\":1},"
		      "\"bogus\":{\"a\":[1]},\"process\":{\"args\":[\"a\"],\"rlimits\":[{\"type\":"
		      "\"RLIMIT_NOFILE\",\"soft\":9007199254740993,\"hard\":18446744073709551615}]},"
		      "\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}",
		      &c, &err);

	CHECK(r == 0, "unknown properties are ignored (%s)", r ? err.msg : "ok");
	if (r == 0) {
		CHECK(c.proc.rlimits[0].hard == UINT64_MAX, "RLIM_INFINITY (2^64-1) kept exactly");
		CHECK(c.proc.rlimits[0].soft == 9007199254740993ULL, "2^53+1 kept exactly");
		config_free(&c);
	}
}

/* Values that mean "leave it alone", and deprecated fields runc ignores. */
static void unset_and_deprecated(void)
{
	struct config c;
	struct kerr err;
	int r = parse(BASE(",\"hostname\":\"\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},"
			   "{\"type\":\"uts\",\"path\":\"/proc/1/ns/uts\"}],\"resources\":{"
			   "\"memory\":{\"limit\":0,\"swap\":0,\"kernel\":1048576},\"blockIO\":{"
			   "\"leafWeight\":10},\"network\":{\"classID\":1}}}"),
		      &c, &err);

	CHECK(r == 0, "deprecated kernel/leafWeight/network accepted (%s)", r ? err.msg : "ok");
	if (r == 0) {
		CHECK(!c.hostname, "hostname \"\" leaves the hostname alone");
		CHECK(c.res.mem_limit == -1 && c.res.mem_swap == -1 && !c.res.any,
		      "memory.limit 0 and swap 0 mean unset");
		config_free(&c);
	}
	r = parse(BASE(",\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"},"
		       "{\"type\":\"uts\",\"path\":\"/proc/1/ns/uts\"}]}"),
		  &c, &err);
	CHECK(r == 0, "hostname with a joined uts namespace (as runc) (%s)", r ? err.msg : "ok");
	if (r == 0)
		config_free(&c);
}

static void container_ids(void)
{
	static const char *const good[] = {"a", "web-1", "x.y_z+0"};
	static const char *const wrong[] = {"", ".", "..", "a/b", "../x", "a b", ".hidden"};

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK(state_check_id(good[i], NULL) == 0, "id \"%s\" accepted", good[i]);
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		CHECK(state_check_id(wrong[i], NULL) < 0, "id \"%s\" rejected", wrong[i]);
}

int main(void)
{
	default_spec_parses();
	mounts_and_values();
	bad_input();
	unknown_and_big();
	unset_and_deprecated();
	container_ids();
	return TAP_DONE();
}
