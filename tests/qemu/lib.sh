# QEMU tier harness. Source it after tests/lib.sh:
#   . "$(dirname "$0")/../lib.sh"; . "$(dirname "$0")/lib.sh"
# One boot = one vm_boot call; group your checks per boot (~3 s each, TCG).
#
#   vm_boot NAME [keelvm batch options and steps]
#       Boots build/image with keel.shell=1, waits for "keel: ready", runs the
#       steps in order, ends the VM (default: keelctl poweroff), always kills
#       its QEMU. Results land in $VM/NAME/: console.log, fate, ready_ms,
#       NN.out and NN.rc per step (01 = first step). Returns keelvm's status
#       (0 = ended as asked, 1 panic, 2 timeout, 3 never ready, 4 other end).
#       Steps: --cmd 'guest shell command' | --host 'host command' ($KEEL_PORT
#       is the forwarded port) | --reboot; options: --end poweroff|reboot|
#       ctrl-alt-del|none, --append 'kernel args', --disk FILE, --port N,
#       --timeout S. See rootfs/keelvm.py --help.
#   vm_out NAME N / vm_rc NAME N      output / status of step N
#   vm_fate NAME                      poweroff | reboot | panic | timeout | ...
#   vm_console NAME                   the whole serial console
#   vm_need_image                     exits with a SKIP line when there is no image
#
# $VM is a fresh temp dir removed on exit; a free host port is in $VM_PORT.
# Python tests can instead `import keelvm` (rootfs/) and drive keelvm.VM.
export PYTHONDONTWRITEBYTECODE=1   # no __pycache__ in the source tree
VM=$(mktemp -d "${TMPDIR:-/tmp}/keel-qemu.XXXXXX")
trap 'rm -rf "$VM"' EXIT
VM_PORT=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import keelvm; print(keelvm.free_port())' \
	"$KEEL_ROOT/rootfs")
VM_TIMEOUT=${VM_TIMEOUT:-60}

vm_boot() {
	_n=$1
	shift
	python3 "$KEEL_ROOT/rootfs/keelvm.py" batch --out "$VM/$_n" --timeout "$VM_TIMEOUT" "$@" \
		2>"$VM/$_n.stderr"
}

vm_step_file() { printf '%s/%s/%02d.%s' "$VM" "$1" "$2" "$3"; }
vm_out() { cat "$(vm_step_file "$1" "$2" out)" 2>/dev/null; }
vm_rc() { cat "$(vm_step_file "$1" "$2" rc)" 2>/dev/null || echo none; }
vm_fate() { cat "$VM/$1/fate" 2>/dev/null || echo none; }
vm_console() { cat "$VM/$1/console.log" 2>/dev/null; }

# vm_diag NAME: the console tail as TAP comments, for a failed boot.
vm_diag() {
	diag "fate: $(vm_fate "$1"); console tail:"
	vm_console "$1" | tail -n 15 | sed 's/^/#   /'
}

vm_need_image() {
	if [ ! -r "$KEEL_ROOT/build/image/initramfs.cpio.gz" ]; then
		skip "QEMU tier" "no build/image (run make image)"
		exit 0
	fi
}

# vm_shim_bundle APPLET...: for runc-shim tests, build/bin/runc-shim as
# $VM/extra/shimtest/runc-shim and a busybox bundle (those applets, runc-shim's
# default config.json) in $SHIM_B=$VM/extra/shimtest/b.
vm_shim_bundle() {
	SHIM_B=$VM/extra/shimtest/b
	mkdir -p "$SHIM_B/rootfs/bin" "$SHIM_B/rootfs/proc" "$SHIM_B/rootfs/dev" \
		"$SHIM_B/rootfs/sys" "$SHIM_B/rootfs/tmp"
	cp "$BIN/runc-shim" "$VM/extra/shimtest/runc-shim"
	cp "$(command -v busybox)" "$SHIM_B/rootfs/bin/busybox"
	for a in "$@"; do ln -s busybox "$SHIM_B/rootfs/bin/$a"; done
	"$BIN/runc-shim" spec --bundle "$SHIM_B"
}

# vm_extra_image: $VM/img = build/image plus $VM/extra as one more initramfs
# archive (outside /containers, so init does not start anything in it).
vm_extra_image() {
	mkdir -p "$VM/img"
	(cd "$VM/extra" && find . | LC_ALL=C sort | cpio -o -H newc --owner 0:0 --quiet) |
		gzip -1 >"$VM/extra.cpio.gz"
	cat "$KEEL_ROOT/build/image/initramfs.cpio.gz" "$VM/extra.cpio.gz" >"$VM/img/initramfs.cpio.gz"
	ln -s "$KEEL_ROOT/build/image/vmlinuz" "$VM/img/vmlinuz"
}
