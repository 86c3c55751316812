#!/bin/sh
# udhcpc hook: $1 is the event; udhcpc passes the lease in the environment.
case $1 in
deconfig)
	ip addr flush dev "$interface"
	;;
bound | renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface" || exit 1
	for r in $router; do
		ip route replace default via "$r" dev "$interface" || exit 1
		break
	done
	echo "net: $interface $ip/${mask:-24} via ${router%% *}"
	;;
esac
