/* keelctl: the control client, the same binary as init (argv[0] dispatch).
 * Talks to PID 1's control socket (control.c). */
#ifndef KEEL_INIT_KEELCTL_H
#define KEEL_INIT_KEELCTL_H

int keelctl_main(int argc, char **argv);
/* A connected control socket, or dies with a message. */
int keelctl_connect(void);
/* keelctl boot [--json|--svg] (keelctl_boot.c). */
int keelctl_boot_main(int argc, char **argv);

#endif
