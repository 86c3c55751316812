/* Reaping: every exited child of PID 1 (its own, and every orphan the kernel
 * reparents to it) is collected by one waitpid(-1, WNOHANG) loop and offered
 * to the parts that started children, in table order. */
#ifndef KEEL_INIT_REAP_H
#define KEEL_INIT_REAP_H

/* Reaps until no exited child is left; never blocks. */
void reap_children(void);

#endif
