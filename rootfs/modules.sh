#!/bin/sh
# Usage: rootfs/modules.sh KVER DESTROOT MODULE...
# Copies MODULE... and their dependencies from /lib/modules/KVER into
# DESTROOT/lib/modules/KVER (decompressed: init loads plain .ko files with
# finit_module) and prints their absolute in-image paths in load order,
# dependencies first. Built-in modules (modules.builtin) are skipped.
set -eu
KVER=$1 DEST=$2
shift 2
SRC=/lib/modules/$KVER
[ -r "$SRC/modules.dep" ] || { echo "modules: $SRC/modules.dep: not found" >&2; exit 1; }

# Path of module NAME in modules.dep ("-" and "_" are the same to the kernel).
dep_line() {
	n=$(printf '%s' "$1" | tr _ -)
	n_=$(printf '%s' "$1" | tr - _)
	grep -E "/($n|$n_)\.ko(\.xz|\.zst|\.gz)?:" "$SRC/modules.dep" | head -n1
}

is_builtin() {
	n_=$(printf '%s' "$1" | tr - _)
	grep -Eq "/$n_\.ko$" "$SRC/modules.builtin" 2>/dev/null
}

# modules.dep lists the whole transitive closure, deepest last: load reversed.
load_order() {
	for m in "$@"; do
		line=$(dep_line "$m")
		if [ -z "$line" ]; then
			is_builtin "$m" && continue
			echo "modules: $m: not in $SRC/modules.dep nor built in" >&2
			exit 1
		fi
		deps=${line#*:}
		for d in $deps; do echo "$d"; done | tac
		echo "${line%%:*}"
	done | awk '!seen[$0]++'
}

# Copies one module file decompressed; prints its in-image path.
install_module() {
	rel=$1
	out=/lib/modules/$KVER/${rel%.xz}
	out=${out%.zst}
	out=${out%.gz}
	mkdir -p "$DEST${out%/*}"
	case $rel in
	*.xz) xz -dc "$SRC/$rel" >"$DEST$out" ;;
	*.zst) zstd -qdc "$SRC/$rel" >"$DEST$out" ;;
	*.gz) gzip -dc "$SRC/$rel" >"$DEST$out" ;;
	*) cp "$SRC/$rel" "$DEST$out" ;;
	esac
	echo "$out"
}

for rel in $(load_order "$@"); do
	install_module "$rel"
done
