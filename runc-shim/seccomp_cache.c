/* A cache of compiled seccomp programs under --root: libseccomp needs
 * milliseconds to build a Docker-sized filter, every container of a boot
 * uses the same few profiles. An entry is found by a hash of the key but
 * only used when the whole key stored in it (the profile's JSON text, the
 * libseccomp version and the arch) matches byte for byte: a hash collision
 * is a miss, never a wrong filter. Entries are written to a temp name and
 * renamed; any error just means compiling again. */
#include "seccomp.h"
#include "io.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC 0x3243534bu /* "KSC2": filters with the ENOSYS tail */
#define CACHE_MAX   (1u << 20)

struct cache_head {
	uint32_t magic, key_len, insns;
};

/* cJSON prints numbers from their double: integers beyond 2^53 (kept
 * exactly as text, see cfg_json.h) are appended so they cannot collide. */
static void big_numbers(const cJSON *node, char *out, size_t size)
{
	for (; node; node = node->next) {
		size_t len = strlen(out);
		if (cJSON_IsNumber(node) && node->valuestring && len < size)
			snprintf(out + len, size - len, " %s", node->valuestring);
		big_numbers(node->child, out, size);
	}
}

char *seccomp_cache_key(const struct cfg_seccomp *sc)
{
	const struct scmp_version *v = seccomp_version();
	autofree char *profile = cJSON_PrintUnformatted(sc->json);
	char big[1024] = "";
	char *key;

	if (!profile || !v)
		return NULL;
	big_numbers(((const cJSON *)sc->json)->child, big, sizeof(big));
	if (strlen(big) >= sizeof(big) - 1)
		return NULL; /* too many to key on: compile every time */
	if (asprintf(&key, "libseccomp %u.%u.%u %u%s\n%s", v->major, v->minor, v->micro,
		     seccomp_arch_native(), big, profile) < 0)
		return NULL;
	return key;
}

static void cache_path(char *out, size_t size, const char *dir, const char *key)
{
	uint64_t h = 14695981039346656037ULL; /* FNV-1a: names the file only */

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	snprintf(out, size, "%s/%016llx.bpf", dir, (unsigned long long)h);
}

int seccomp_cache_load(const char *dir, const char *key, struct seccomp_prog *p)
{
	char path[4096];
	autofree char *buf = NULL;
	struct cache_head h;
	size_t klen = strlen(key);
	ssize_t n;

	cache_path(path, sizeof(path), dir, key);
	if ((n = read_file_alloc(path, CACHE_MAX, &buf)) < (ssize_t)sizeof(h))
		return -ENOENT;
	memcpy(&h, buf, sizeof(h));
	if (h.magic != CACHE_MAGIC || h.key_len != klen || h.insns == 0 || h.insns > BPF_MAXINSNS ||
	    (size_t)n != sizeof(h) + klen + h.insns * sizeof(struct sock_filter) ||
	    memcmp(buf + sizeof(h), key, klen) != 0)
		return -ENOENT;
	if (!(p->insns = malloc(h.insns * sizeof(struct sock_filter))))
		return -ENOMEM;
	memcpy(p->insns, buf + sizeof(h) + klen, h.insns * sizeof(struct sock_filter));
	p->len = (unsigned short)h.insns;
	return 0;
}

void seccomp_cache_store(const char *dir, const char *key, const struct seccomp_prog *p)
{
	struct cache_head h = {CACHE_MAGIC, (uint32_t)strlen(key), p->len};
	char path[4096], tmp[4200];
	int fd, ok;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	cache_path(path, sizeof(path), dir, key);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return;
	ok = write_all(fd, &h, sizeof(h)) == 0 && write_all(fd, key, h.key_len) == 0 &&
	     write_all(fd, p->insns, p->len * sizeof(struct sock_filter)) == 0;
	close(fd);
	if (!ok || rename(tmp, path) < 0)
		(void)unlink(tmp); /* a cache entry is optional */
}
