#!/bin/sh
# udhcpc hook: $1 is the event; udhcpc passes the lease in the environment.
# Runs as the dhcp uid with CAP_NET_ADMIN: ip works; resolv.conf goes to
# /run/resolv (ours, bound rw), which the host's /etc/resolv.conf links to.
resolv=/run/resolv/resolv.conf

# The first lease makes the service ready (init's notify pipe, moved to fd 9
# by net.sh). Init closes its end once ready: a later write must fail
# quietly, not kill the hook.
ready() { (trap '' PIPE; echo >&9) 2>/dev/null; }

write_resolv() {
	{
		[ -n "${domain:-}" ] && echo "search $domain"
		for d in ${dns:-}; do echo "nameserver $d"; done
	} >"$resolv.tmp" && mv "$resolv.tmp" "$resolv"
}

case $1 in
deconfig)
	ip addr flush dev "$interface"
	;;
bound | renew)
	ip addr replace "$ip/${mask:-24}" dev "$interface" || exit 1
	for r in $router; do
		ip route replace default via "$r" dev "$interface" || exit 1
		break
	done
	write_resolv || echo "net: unable to write $resolv" >&2
	echo "net: $1 $interface $ip/${mask:-24} via ${router%% *} lease ${lease:-?}s"
	[ "$1" = bound ] && ready
	;;
esac
exit 0
