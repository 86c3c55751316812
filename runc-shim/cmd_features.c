/* `features`: what this runtime implements, in runc's JSON shape, so
 * containerd can ask before it builds a config. */
#include "shim.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <seccomp.h>
#include <sys/capability.h>

static const char features_template[] =
    "{"
    "\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.1.0\","
    "\"hooks\":[\"prestart\",\"createRuntime\",\"createContainer\",\"startContainer\","
    "\"poststart\",\"poststop\"],"
    "\"mountOptions\":[\"async\",\"atime\",\"bind\",\"dev\",\"diratime\",\"dirsync\",\"exec\","
    "\"mand\",\"noatime\",\"nodev\",\"nodiratime\",\"noexec\",\"nomand\",\"norelatime\","
    "\"nostrictatime\",\"nosuid\",\"private\",\"rbind\",\"relatime\",\"remount\",\"ro\","
    "\"rprivate\",\"rshared\",\"rslave\",\"runbindable\",\"rw\",\"shared\",\"slave\","
    "\"strictatime\",\"suid\",\"sync\",\"tmpcopyup\",\"unbindable\"],"
    "\"linux\":{\"namespaces\":[\"cgroup\",\"ipc\",\"mount\",\"network\",\"pid\",\"user\",\"uts\"],"
    "\"cgroup\":{\"v1\":false,\"v2\":true,\"systemd\":false,\"systemdUser\":false},"
    "\"seccomp\":{\"enabled\":true,"
    "\"actions\":[\"SCMP_ACT_ALLOW\",\"SCMP_ACT_ERRNO\",\"SCMP_ACT_KILL\",\"SCMP_ACT_KILL_"
    "PROCESS\","
    "\"SCMP_ACT_KILL_THREAD\",\"SCMP_ACT_LOG\",\"SCMP_ACT_TRACE\",\"SCMP_ACT_TRAP\"],"
    "\"operators\":[\"SCMP_CMP_EQ\",\"SCMP_CMP_GE\",\"SCMP_CMP_GT\",\"SCMP_CMP_LE\",\"SCMP_CMP_"
    "LT\","
    "\"SCMP_CMP_MASKED_EQ\",\"SCMP_CMP_NE\"],"
    "\"archs\":[\"SCMP_ARCH_X86\",\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X32\",\"SCMP_ARCH_ARM\","
    "\"SCMP_ARCH_AARCH64\",\"SCMP_ARCH_RISCV64\",\"SCMP_ARCH_S390X\",\"SCMP_ARCH_PPC64LE\"],"
    "\"knownFlags\":[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
    "\"SECCOMP_FILTER_FLAG_TSYNC\"],"
    "\"supportedFlags\":[\"SECCOMP_FILTER_FLAG_LOG\",\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\","
    "\"SECCOMP_FILTER_FLAG_TSYNC\"]},"
    "\"apparmor\":{\"enabled\":false},\"selinux\":{\"enabled\":false},"
    "\"intelRdt\":{\"enabled\":false},\"mountExtensions\":{\"idmap\":{\"enabled\":false}}},"
    "\"potentiallyUnsafeConfigAnnotations\":[],"
    "\"annotations\":{\"org.keel.runc-shim.version\":\"" SHIM_VERSION "\","
    "\"org.opencontainers.runc.checkpoint.enabled\":\"false\"}}";

int cmd_features(const struct shim_global *g, int argc, char **argv, struct kerr *err)
{
	cJSON *root = cJSON_Parse(features_template), *caps = cJSON_CreateArray();
	char *text = NULL;

	/* Capabilities: whatever this libcap knows by name. */
	for (cap_value_t c = 0; caps && c <= CAP_LAST_CAP; c++) {
		char *name = cap_to_name(c), *p;
		for (p = name; p && *p; p++)
			*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
		if (name)
			cJSON_AddItemToArray(caps, cJSON_CreateString(name));
		cap_free(name);
	}
	const struct scmp_version *v = seccomp_version();
	char ver[32];
	snprintf(ver, sizeof(ver), "%u.%u.%u", v->major, v->minor, v->micro);
	cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(root, "annotations"),
				"io.github.seccomp.libseccomp.version", ver);
	if (root && caps &&
	    cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(root, "linux"), "capabilities",
				  caps)) {
		caps = NULL;
		text = cJSON_Print(root);
	}
	cJSON_Delete(caps);
	cJSON_Delete(root);
	if (!text)
		return kerr_set(err, ENOMEM, "features");
	puts(text);
	free(text);
	return 0;
}
