#!/usr/bin/env python3
"""Final shutdown steps under a watchdog (issue 10): the data disk is
throttled to 512 bytes/s for writes (QEMU's block_set_io_throttle) with
megabytes of dirty data on it, so `sync` hangs for hours. keelctl poweroff
still powers the machine off: sync and unmount run in a child with a 10 s
deadline, the hung step is named in the log, reboot(2) runs regardless."""
import os
import re
import shutil
import sys
import tempfile
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "rootfs"), os.path.dirname(os.path.abspath(__file__))]
import keelvm  # noqa: E402

import qtap  # noqa: E402
from qtap import tap  # noqa: E402

IMAGE = os.path.join(ROOT, "build/image")


def main():
    if not os.path.exists(os.path.join(IMAGE, "initramfs.cpio.gz")):
        print("ok - QEMU shutdown watchdog # SKIP no build/image (run make image)")
        return 0
    tmp = tempfile.mkdtemp(prefix="keel-pid1sd.")
    disk = os.path.join(tmp, "data.img")
    keelvm.ensure_disk(disk)
    with keelvm.VM(IMAGE, disk=disk) as vm:
        vm.wait_ready(120)
        # The log writer would hang in its own sync: not what is tested here.
        rc, out = vm.run("keelctl stop logwrite && for i in $(seq 60); do keelctl status logwrite | "
                         "grep -q ' down ' && break; sleep 0.5; done; keelctl status logwrite | "
                         "grep ' down ' && grep ' /data ' /proc/mounts", 60)
        tap(rc == 0 and "/dev/vda" in out, "data disk mounted, log writer stopped", out)
        vm.monitor("block_set_io_throttle virtio0 0 0 512 0 0 0")
        rc, out = vm.run("dd if=/dev/zero of=/data/dirty bs=1M count=16 2>&1 && "
                         "grep -E '^(Dirty|Writeback):' /proc/meminfo", 60)
        tap(rc == 0, "16 MiB of dirty data on the throttled disk", out)
        mark, t0 = len(vm.console), time.monotonic()
        vm.send("keelctl poweroff\n")
        fate = vm.wait_end(150, mark)
        took = time.monotonic() - t0
        text = vm.console[mark:].decode(errors="replace")
        tap(fate == "poweroff", f"the machine powers off anyway ({fate}, {took:.0f} s)", text[-800:])
        m = re.search(r"shutdown: (.*) still hangs after (\d+) ms: skipped it and the rest", text)
        tap(m is not None, "the hung step is named: " + (m.group(0) if m else "-"), text[-800:])
        tap(took < 60, f"power-off soon after the 10 s sync deadline ({took:.0f} s < 60 s)")
        for line in re.findall(r"\[ *[0-9.]+\] keel: shutdown: [^\r\n]*", text):
            print("# " + line, flush=True)
    shutil.rmtree(tmp, ignore_errors=True)
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
