/* keelctl: the control client, the same binary as init (argv[0] dispatch).
 * Talks to PID 1's control socket (control.c). */
#ifndef KEEL_INIT_KEELCTL_H
#define KEEL_INIT_KEELCTL_H

#include <stddef.h>

int keelctl_main(int argc, char **argv);
/* A connected control socket, or dies with a message. */
int keelctl_connect(void);
/* Sends req (one line), reads the whole answer (at most max-1 bytes): the
 * body after "OK\n", malloc'd and NUL-terminated; dies on "ERR msg". */
char *keelctl_query(const char *req, size_t max);
/* keelctl boot [--json|--svg] (keelctl_boot.c). */
int keelctl_boot_main(int argc, char **argv);

/* keelctl exec [-t] [-e K=V] [-u UID[:GID]] [-w DIR] NAME CMD... (keelctl_exec.c). */
int keelctl_exec_main(int argc, char **argv);
/* exec -t (keelctl_tty.c): a listening console socket's path (in a private
 * temp dir), then runs argv (the runtime, given that path) as our child and
 * pumps the pty it sends; the runtime's exit status. */
const char *keelctl_tty_listen(void);
int keelctl_tty_run(char **argv);

#endif
