#!/bin/sh
# Boots the image once and checks from inside the guest: mounts and their
# flags, cgroup v2 controllers, kernel modules; then `keelctl poweroff` must
# end in the kernel's "Power down", not a panic. A second boot checks that
# ctrl-alt-del (QEMU monitor sendkey) reboots cleanly, and a third that the
# ACPI power button powers off.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
vm_need_image

vm_boot main \
	--cmd 'cat /proc/self/mounts' \
	--cmd 'cat /sys/fs/cgroup/cgroup.controllers; echo; cat /sys/fs/cgroup/cgroup.subtree_control; echo; cat /proc/1/cgroup' \
	--cmd 'cat /proc/modules' \
	--cmd 'cat /proc/self/mountinfo; ls -d /.keel-root 2>&1' \
	--end poweroff
rc=$?
[ $rc = 0 ] || vm_diag main
if ! [ -s "$VM/main/ready_ms" ]; then
	not_ok "boot reaches 'keel: ready' (mounts, cgroups, modules, poweroff untested)"
	rc=fail
else
	check_match "boot prints 'keel: ready in N ms'" 'keel: ready in [0-9]+ ms' "$(vm_console main)"
fi
main_checks() {

# mount point, type, options it must have (the safe flags of DESIGN.md).
mounts=$(vm_out main 1)
while read -r mp type opts; do
	line=$(printf '%s\n' "$mounts" | awk -v mp="$mp" '$2 == mp { l = $0 } END { print l }')
	set -- $line
	have=",$4,"
	missing=""
	for o in $(echo "$opts" | tr , ' '); do
		case $have in *",$o,"*) ;; *) missing="$missing $o" ;; esac
	done
	if [ "$3" = "$type" ] && [ -z "$missing" ]; then
		ok "mount $mp: $type with $opts"
	else
		not_ok "mount $mp: $type with $opts"
		diag "got: ${line:-not mounted}${missing:+ (missing:$missing)}"
	fi
done <<'TABLE'
/proc          proc     rw,nosuid,nodev,noexec
/sys           sysfs    rw,nosuid,nodev,noexec
/dev           devtmpfs nosuid,noexec
/dev/pts       devpts   nosuid,noexec
/dev/shm       tmpfs    nosuid,nodev
/dev/mqueue    mqueue   nosuid,nodev,noexec
/run           tmpfs    nosuid,nodev
/tmp           tmpfs    nosuid,nodev
/sys/fs/cgroup cgroup2  nosuid,nodev,noexec,nsdelegate
TABLE
# / must be a mount with a parent (pivot_root's condition): the bind mount of
# the initramfs that switch_root.c moved over rootfs, not rootfs itself (which
# is listed as its own parent). Its files are rootfs's own, so its type is
# rootfs: a tmpfs here (no root= on the command line).
info=$(vm_out main 4)
root_line=$(printf '%s\n' "$info" | awk '$5 == "/" { l = $0 } END { print l }')
set -- $root_line
[ "${1:-x}" != "${2:-x}" ] && ok "root mount $1 is not its own parent ($2)" ||
	not_ok "root mount ${1:-?} is not its own parent (${2:-?})"
check_match "root is the initramfs (bound, not copied)" ' - rootfs rootfs ' "$root_line"
check_match "no /.keel-root left behind" 'No such file' "$info"

# Every wanted controller the kernel offers must be enabled for children.
cg=$(vm_out main 2)
offered=$(printf '%s\n' "$cg" | sed -n 1p)
enabled=$(printf '%s\n' "$cg" | sed -n 3p)
for c in cpu memory pids io cpuset; do
	[ -n "$offered" ] || { not_ok "cgroup.controllers readable"; break; }
	case " $offered " in
	*" $c "*) check_match "cgroup controller $c enabled in subtree_control" "(^| )$c( |$)" "$enabled" ;;
	*) skip "cgroup controller $c" "kernel does not offer it" ;;
	esac
done
init_cg=$(printf '%s\n' "$cg" | sed -n '4,$p' | grep '^0::' | head -n1)
check_match "init is in a leaf cgroup, not the root" '^0::/.+' "$init_cg"

# The image's module list (built by rootfs/modules.sh), each one loaded.
loaded=$(vm_out main 3 | awk '{ print $1 }')
list=$KEEL_ROOT/build/image/root/etc/keel/modules
for m in virtio_net virtio_blk overlay; do
	grep -q "/$m\.ko$" "$list" || not_ok "module $m in /etc/keel/modules"
done
for path in $(cat "$list"); do
	m=$(basename "$path" .ko | tr - _)
	check_match "module $m loaded" "^$m\$" "$loaded"
done

check_eq "keelctl poweroff ends in the kernel's Power down" poweroff "$(vm_fate main)"
if vm_console main | grep -q 'Kernel panic'; then not_ok "no kernel panic at power-off"; else
	ok "no kernel panic at power-off"; fi
}
[ "$rc" = fail ] || main_checks

# ctrl-alt-del: the kernel hands it to init (CAD off), which must reboot.
vm_boot cad --end ctrl-alt-del
rc=$?
[ $rc = 0 ] || vm_diag cad
check_eq "ctrl-alt-del reboots (kernel: Restarting system)" reboot "$(vm_fate cad)"
if vm_console cad | grep -q 'Kernel panic'; then not_ok "no kernel panic at ctrl-alt-del"; else
	ok "no kernel panic at ctrl-alt-del"; fi

# QEMU's system_powerdown is the ACPI power button (button + evdev modules).
vm_boot acpi --end acpi-poweroff
[ $? = 0 ] || vm_diag acpi
check_eq "ACPI power button (system_powerdown) powers off" poweroff "$(vm_fate acpi)"
t_done
