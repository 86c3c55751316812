/* keel.* options from the kernel command line or init's argv, parsed strictly
 * into struct init_config: a bad value is reported (one line naming the
 * option) and the default kept. Words that are not keel.* are ignored. */
#ifndef KEEL_INIT_CMDLINE_H
#define KEEL_INIT_CMDLINE_H

#include "config.h" /* init/ */
#include "err.h"

/* Fills cfg with the documented defaults (pid1/in_container false). */
void cmdline_defaults(struct init_config *cfg);

/* Applies one word. 0 when applied or not a keel.* word; -EINVAL with err
 * naming the option when the option is unknown or its value bad (cfg then
 * keeps its previous value). */
int cmdline_apply_word(struct init_config *cfg, const char *word, struct kerr *err);

/* Splits kernel command line text like the kernel does (whitespace separated,
 * double quotes group and are removed) and applies each word, logging one
 * warning per bad option. Returns the number of bad options. keel.container
 * is refused here: it is only for the argv of an init that is not the
 * machine's. */
int cmdline_apply_text(struct init_config *cfg, const char *text);

/* Same for argv[1..argc-1]. */
int cmdline_apply_argv(struct init_config *cfg, int argc, char *const *argv);

#endif
