/* Host name and the loopback interface of the machine. */
#ifndef KEEL_INIT_NETLO_H
#define KEEL_INIT_NETLO_H

#include "config.h"

/* Sets cfg->hostname and brings "lo" up. Machine's init only: in a container
 * test the UTS and network namespaces may be the host's. */
void netlo_setup(const struct init_config *cfg);

#endif
