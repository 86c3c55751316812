#!/bin/sh
# The supervisor tests again with init built by clang under ASan + UBSan
# (glibc host build, as the unit tests): PID 1's paths through real service
# runs, keelctl abuse and shutdown must produce no sanitizer report.
. "$(dirname "$0")/../lib.sh"
if [ "$(id -u)" != 0 ] || ! command -v clang >/dev/null; then
	skip "ASan init" "needs root and clang"
	exit 0
fi
A=$(mktemp -d /tmp/keel-sup-asan.XXXXXX)
trap 'rm -rf "$A"' EXIT
mkdir "$A/logs"
cd "$KEEL_ROOT" || exit 1
if ! clang -std=gnu11 -g -O1 -D_GNU_SOURCE -Ilib -isystem build/khdr \
	-fsanitize=address,undefined -fno-omit-frame-pointer init/*.c lib/*.c -o "$A/init" 2>"$A/cc.log"; then
	not_ok "ASan build of init"; sed 's/^/# /' "$A/cc.log" | head -20; t_done
fi
ok "ASan + UBSan build of init"
# keelctl stays the musl build: only PID 1 is under test here.
cp "$BIN/init" "$A/keelctl.musl" && ln -s keelctl.musl "$A/keelctl"
ln -s "$BIN/runc-shim" "$A/runc-shim"
for t in order keelctl shutdown restart rescan needs inspect; do
	KEEL_SUP_BIN=$A ASAN_OPTIONS=detect_leaks=0:log_path=$A/logs/asan \
		UBSAN_OPTIONS=print_stacktrace=1:log_path=$A/logs/ubsan \
		"$KEEL_ROOT/tests/ns/sup_$t.t" >"$A/$t.out" 2>&1
	fails=$(grep -c '^not ok' "$A/$t.out")
	check_eq "sup_$t.t passes with the ASan init" 0 "$fails"
	[ "$fails" = 0 ] || grep '^not ok' "$A/$t.out" | sed 's/^/# /' | head -10
done
reports=$(cat "$A"/logs/* 2>/dev/null)
check_eq "no ASan/UBSan report from PID 1" "" "$reports"
[ -z "$reports" ] || printf '%s\n' "$reports" | head -40 | sed 's/^/# /'
t_done
