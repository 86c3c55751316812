/* finit_module loads from an fd: no module is read into init's memory. */
#include "modules.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int module_load(const char *path)
{
	/* O_NONBLOCK: a FIFO in the module list must not hang boot (finit_module
	 * then refuses it). */
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static void module_line(char *line, int lineno)
{
	char path[PATH_MAX];
	int r;

	line[strcspn(line, "#")] = '\0';
	line += strspn(line, " \t");
	line[strcspn(line, " \t\r")] = '\0';
	if (!*line)
		return;
	if (snprintf(path, sizeof(path), "%s%s", line[0] == '/' ? "" : "/lib/modules/", line) >=
	    (int)sizeof(path)) {
		log_warn("%s:%d: path too long", MODULES_LIST, lineno);
		return;
	}
	if ((r = module_load(path)) < 0)
		log_warn("%s:%d: unable to load %s: %s", MODULES_LIST, lineno, path, strerror(-r));
	else
		log_debug("loaded module %s", path);
}

void modules_load(const struct init_config *cfg)
{
	autofree char *list = NULL;
	char *save = NULL, *line;
	ssize_t n;
	int lineno = 0;

	if (!init_is_machine(cfg)) {
		log_debug("not the machine's init: no kernel modules");
		return;
	}
	n = read_file_alloc(MODULES_LIST, 1 << 20, &list);
	if (n == -ENOENT) {
		log_debug("no %s: no kernel modules to load", MODULES_LIST);
		return;
	}
	if (n < 0) {
		log_warn("unable to read %s: %s", MODULES_LIST, strerror((int)-n));
		return;
	}
	/* strsep, not strtok: empty lines must still count for line numbers. */
	for (save = list; (line = strsep(&save, "\n")) != NULL;)
		module_line(line, ++lineno);
}
