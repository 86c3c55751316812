/* Loopback up with two ioctls on a throw-away socket: no netlink needed for
 * one flag. The kernel assigns 127.0.0.1/8 and ::1 to lo by itself when it
 * goes up. */
#include "netlo.h"
#include "io.h"
#include "log.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int loopback_up(void)
{
	autoclose int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr;

	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	return ioctl(s, SIOCSIFFLAGS, &ifr) < 0 ? -errno : 0;
}

void netlo_setup(const struct init_config *cfg)
{
	int r;

	if (!init_is_machine(cfg)) {
		log_debug("not the machine's init: hostname and loopback left alone");
		return;
	}
	if (sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		log_warn("unable to set the hostname to %s: %m", cfg->hostname);
	if ((r = loopback_up()) < 0)
		log_warn("unable to bring up lo: %s", strerror(-r));
}
