/* Kernel modules of the image: /etc/keel/modules lists one .ko path per line
 * (absolute, or relative to /lib/modules; '#' comments), in load order with
 * dependencies first. Each is loaded with finit_module(2). */
#ifndef KEEL_INIT_MODULES_H
#define KEEL_INIT_MODULES_H

#include "config.h"

#define MODULES_LIST "/etc/keel/modules"

/* Machine's init only. A missing list is fine; a module that fails to load
 * is a warning; an already loaded one (EEXIST) is not an error. */
void modules_load(const struct init_config *cfg);

#endif
