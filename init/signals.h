/* Signals of PID 1: all blocked and read from a signalfd in the loop, then
 * dispatched through one table (SIGCHLD reaps; TERM/USR1/USR2/INT/PWR power). */
#ifndef KEEL_INIT_SIGNALS_H
#define KEEL_INIT_SIGNALS_H

#include <stdbool.h>

/* Blocks every signal in PID 1 (first thing main does); 0 or -errno. */
int signals_block(void);
/* Creates the signalfd and registers it with the loop; 0 or -errno. */
int signals_watch(void);
/* Handles one signal as the table says (shared by the signalfd watch and the
 * fallback loop). */
void signals_dispatch(int sig);
/* Waits at most timeout_ms for a signal without the loop (fallback when
 * epoll or signalfd cannot be had) and dispatches it. */
void signals_wait_fallback(int timeout_ms);

#endif
