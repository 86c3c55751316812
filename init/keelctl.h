/* keelctl: the control client, the same binary as init (argv[0] dispatch).
 * Talks to PID 1's control socket (control.c). */
#ifndef KEEL_INIT_KEELCTL_H
#define KEEL_INIT_KEELCTL_H

int keelctl_main(int argc, char **argv);

#endif
