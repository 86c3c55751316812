/* A clean signal slate for a new process: every disposition SIG_DFL, no
 * signal blocked. Shared by init (before exec of a child) and runc-shim
 * (before exec of the container's process). */
#ifndef KEEL_SIGRESET_H
#define KEEL_SIGRESET_H

/* 0 or -errno (from sigprocmask; dispositions cannot fail but for KILL/STOP). */
int signals_reset_all(void);

#endif
