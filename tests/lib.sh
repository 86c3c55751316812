# TAP helpers for shell tests. Source it: . "$(dirname "$0")/../lib.sh"
# ok/not_ok print one TAP line; check runs a command and reports it.
KEEL_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$KEEL_ROOT/build/bin
T_FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; T_FAILED=1; }
skip() { echo "ok - $1 # SKIP $2"; }
diag() { echo "# $*"; }

# check DESC CMD...: ok when CMD exits 0.
check() {
	desc=$1; shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diag "expected: $2"; diag "got:      $3"; fi
}

# check_match DESC REGEX TEXT
check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then ok "$1"; else
		not_ok "$1"; diag "wanted /$2/ in:"; printf '%s\n' "$3" | sed 's/^/#   /' | head -20; fi
}

t_done() { exit $T_FAILED; }
