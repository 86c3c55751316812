/* Capabilities with libcap: all five sets. */
#ifndef SHIM_CAPABILITIES_H
#define SHIM_CAPABILITIES_H

#include "config.h"

/* Drops every capability not in the bounding set (needs CAP_SETPCAP, so it
 * runs while still root). */
int caps_drop_bounding(const struct cfg_process *p, struct kerr *err);
/* Sets permitted/effective/inheritable, then raises the ambient set. */
int caps_apply(const struct cfg_process *p, struct kerr *err);

#endif
