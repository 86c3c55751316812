/* keelctl inspect: a service's privilege footprint (inspect.c). */
#ifndef KEEL_INIT_INSPECT_H
#define KEEL_INIT_INSPECT_H

#include <stdbool.h>

struct ctl_reply;
struct service;

/* The reply to `inspect NAME [--json]`. */
void inspect_reply(const char *name, bool json, struct ctl_reply *r);

/* The reply to `exec NAME`: "runtime PATH\nroot DIR\nid ID\n", what
 * keelctl exec passes to `runc-shim --root DIR exec ID`; an error unless the
 * service's container is running. */
void inspect_exec_reply(const char *name, struct ctl_reply *r);

/* keelctl status's HOST-CAPS column: true when the running service holds a
 * capability in PID 1's (the initial) user namespace. */
bool inspect_host_caps(const struct service *s);

#endif
