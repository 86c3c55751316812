/* The container process's own settings, applied by the container init. */
#ifndef SHIM_PROCESS_H
#define SHIM_PROCESS_H

#include "config.h"

#include <limits.h>
#include <sys/stat.h>

/* Finds args[0] in the container's PATH (after pivot_root). */
int process_find_exec(const struct cfg_process *p, char out[PATH_MAX], struct kerr *err);
int process_set_rlimits(const struct cfg_process *p, struct kerr *err);
int process_set_oom_score(const struct cfg_process *p, struct kerr *err);
/* setgroups (unless denied in this user namespace), setresgid, setresuid,
 * keeping the permitted capabilities for caps_apply(). */
int process_set_user(const struct cfg_process *p, bool setgroups_denied, struct kerr *err);
/* cwd is resolved inside the new root, never through an inherited fd
 * (CVE-2024-21626): checked with getcwd as root before seccomp (a profile
 * may deny getcwd), *seen is then that directory (st_ino 0: root had no
 * access, process_set_cwd checks it itself). */
int process_check_cwd(const struct cfg_process *p, struct stat *seen, struct kerr *err);
/* umask, and chdir as the process's user to the directory seen above. */
int process_set_cwd(const struct cfg_process *p, const struct stat *seen, struct kerr *err);

#endif
