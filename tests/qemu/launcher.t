#!/usr/bin/env python3
"""The launcher and image, independent of init: keelvm's exit status on a
panic and on a boot that never gets ready; KEEL_APPEND/QEMU_OPTS and the data
disk reach the VM; the image's module list loads in its order (deps first);
a system image is attached read-only with its serial and mounts as squashfs.
A busybox shell as rdinit stands in for init here."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True   # no __pycache__ in the source tree

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "rootfs"), os.path.dirname(os.path.abspath(__file__))]
import keelvm  # noqa: E402

import qtap  # noqa: E402
from qtap import tap  # noqa: E402


def batch(*args):
    r = subprocess.run([sys.executable, os.path.join(ROOT, "rootfs/keelvm.py"), "batch",
                        *args], capture_output=True, text=True, timeout=120)
    return r.returncode


if not os.path.exists(os.path.join(ROOT, "build/image/initramfs.cpio.gz")):
    print("ok - launcher # SKIP no build/image (make image)")
    sys.exit(0)

rc = batch("--timeout", "30", "--append", "rdinit=/bin/false")
tap(rc == 1, "batch: a kernel panic exits 1 (QEMU itself exits 0)", f"exit {rc}")
rc = batch("--timeout", "4", "--append", "rdinit=/bin/cat")
tap(rc == 3, "batch: no 'keel: ready' before the timeout exits 3", f"exit {rc}")

tmp = tempfile.mkdtemp(prefix="keel-launcher.")
disk = keelvm.ensure_disk(os.path.join(tmp, "data.img"), 8 << 20)
st = os.stat(disk)
tap(st.st_size == 8 << 20 and st.st_blocks == 0, "data disk made on first use, sparse and blank")
os.environ["KEEL_APPEND"] = "keel.launchertest=42"
os.environ["QEMU_OPTS"] = "-smbios type=1,serial=keeltest"
# A system image (docs/image.md#system-images): tmp/test.sqfs.
os.makedirs(os.path.join(tmp, "sys", "root"))
with open(os.path.join(tmp, "sys", "root", "hello"), "w") as f:
    f.write("hi\n")
subprocess.run([os.path.join(ROOT, "rootfs/mksquash.sh"), os.path.join(tmp, "sys", "root"),
                os.path.join(tmp, "sys", "test.sqfs")], check=True)
argv = " ".join(keelvm.qemu_argv(tmp, "", None, 0, (), False, system="none"))
tap("serial=keel-" not in argv, "--system none attaches no system image", argv)
vm = keelvm.VM(append="rdinit=/bin/sh", disk=disk, shell=False, system=os.path.join(tmp, "sys"))
with vm:
    try:
        vm.wait_for(re.compile(rb"# "), 30)
        vm.send("mount -t devtmpfs dev /dev; mount -t proc proc /proc; mount -t sysfs sys /sys;"
                " echo 'keel: ready in 0 ms'\n")
        vm.wait_ready(30)
        rc, out = vm.run("cat /proc/cmdline")
        tap("keel.launchertest=42" in out, "KEEL_APPEND reaches the kernel command line", out)
        rc, out = vm.run("cat /sys/class/dmi/id/product_serial")
        tap(out.strip() == "keeltest", "QEMU_OPTS reach QEMU", out)
        rc, out = vm.run("for m in $(cat /etc/keel/modules); do insmod $m || exit 1; done")
        tap(rc == 0, "every module of /etc/keel/modules loads, in list order", out)
        rc, out = vm.run("cat /sys/block/vda/size; ls /sys/class/net")
        tap(rc == 0 and out.split()[0] == str((8 << 20) // 512) and "eth0" in out,
            "the virtio disk and NIC appear once the modules are in", out)
        rc, out = vm.run("echo $(cat /sys/block/vdb/serial) $(cat /sys/block/vdb/ro); mkdir -p /mnt;"
                         " mount -t squashfs -o ro /dev/vdb /mnt && cat /mnt/hello")
        tap(out.split() == ["keel-test", "1", "hi"], "a system image is the next virtio disk, "
            "serial keel-NAME, read-only, and mounts as squashfs (squashfs.ko loaded)", out)
        vm.send("poweroff -f\n")
        tap(vm.wait_end(20) == "poweroff", "a power-off is seen as 'poweroff'")
    except keelvm.Timeout as e:
        tap(False, "rdinit shell session", f"timeout: {e}\n" + vm.console[-800:].decode(errors="replace"))
shutil.rmtree(tmp)
sys.exit(qtap.failed)
