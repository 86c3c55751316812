/* Reaping: every exited child of PID 1 (its own, and every orphan the kernel
 * reparents to it) is collected by one waitpid(-1, WNOHANG) loop and offered
 * to the parts that started children, in table order. */
#ifndef KEEL_INIT_REAP_H
#define KEEL_INIT_REAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Claims pid when it is one of the owner's children: true, and done. */
typedef bool (*reap_owner)(pid_t pid, int wstatus);
/* The owners, in the order a pid is offered to them (main's table). */
void reap_set_owners(const reap_owner *owners, size_t n);

/* Reaps until no exited child is left; never blocks. */
void reap_children(void);

#endif
