#!/bin/sh
# Brings up eth0 and keeps a DHCP lease on it (QEMU user networking answers);
# a machine without a NIC runs on with loopback only (exit 0: not restarted).
# Runs as the dhcp uid; CAP_NET_ADMIN/NET_RAW/NET_BIND_SERVICE are ambient,
# so ip and udhcpc (and its hook) hold them without being root.
ifc=eth0
if [ ! -e "/sys/class/net/$ifc" ]; then
	echo "net: no $ifc: loopback only"
	echo >&3
	exit 0
fi
ip link set "$ifc" up || exit 1
# udhcpc closes fd 3 (its sockets take the low numbers): init's readiness
# pipe moves to fd 9 for the hook (files/etc/udhcpc.sh).
exec 9>&3 3>&-
# -f: stay in the foreground (supervised); no -q/-n: keep the lease, retry
# every 3 s (-A) when no server answers. SIGUSR1 renews, SIGUSR2 releases.
exec udhcpc -i "$ifc" -f -t 5 -T 1 -A 3 -s /etc/udhcpc.sh
