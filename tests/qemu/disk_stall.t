#!/usr/bin/env python3
"""A stalled data disk cannot freeze PID 1 (issue #12, rule 1). The disk is
throttled by QEMU to 16 KiB/s, so reading its first MiB (the blank check)
takes about a minute. PID 1 probes it in a worker child with a deadline
(keel.disktimeout=20 here): 10 s after the supervisor started, the debug
shell comes up and `keelctl status` answers at once while the worker still
hangs, before the deadline; at the deadline the worker is killed, the log
names the step it hung in, boot goes on to ready with the state dirs in
RAM and the services running; the killed worker, asleep in the kernel
until its throttled read returns, is reaped when it ends."""
import inspect
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
DEADLINE_S = 20
KILLED = re.compile(rb"data disk probe: still busy after %d ms in reading the first MiB of "
                    rb"/dev/vda: worker (\d+) killed" % (DEADLINE_S * 1000))


def during_stall(vm):
    vm.wait_for(re.compile(rb"debug shell started"), 90)
    t0 = time.monotonic()
    rc, out = vm.run("keelctl status", 15)
    took = time.monotonic() - t0
    early = KILLED.search(vm.console) is None
    tap(rc == 0 and "20-data" in out and early,
        f"keelctl status answers while the disk worker hangs ({took:.1f} s, before its deadline)",
        out + f"\nrc {rc}, deadline already passed: {not early}")
    tap(re.search(r"^20-data\s+onboot\s+down\b.*waiting: the data disk probe$", out, re.M)
        is not None, "the format job waits at the gate until the probe reports (status says so)",
        out)


def after_deadline(vm):
    m = vm.wait_for(KILLED, DEADLINE_S + 60)
    tap(True, "the hung step is named and the worker killed: " + m.group(0).decode())
    vm.wait_ready(120)
    tap(True, "boot goes on to ready")
    pid = m.group(1).decode()
    rc, out = vm.run(f"grep ' /data ' /proc/mounts; ls -d /data/httpd; keelctl status; "
                     f"grep State /proc/{pid}/status", 30)
    print(f"# the killed worker now: {out.strip().splitlines()[-1]}", flush=True)
    tap("/dev/vda" not in out and "/data/httpd" in out,
        "the disk is not mounted, httpd's state dir is made in RAM", out)
    tap(re.search(r"^httpd\s+service\s+(running|ready)\b", out, re.M) is not None,
        "the services run", out)
    text = vm.console.decode(errors="replace")
    tap(re.search(r"data: /dev/vda not probed in time", text) is not None,
        "one line says the disk was left alone", text[-1500:])
    # Its read may sit in the kernel (D state) until the throttled I/O in
    # flight completes; SIGKILL takes effect then and PID 1 reaps it.
    try:
        vm.wait_for(re.compile(rb"data disk probe: worker %s, killed at its deadline, is gone "
                               rb"now" % pid.encode()), 90)
        tap(True, "the killed worker is reaped later and named")
    except keelvm.Timeout:
        tap(False, "the killed worker is reaped later and named", text[-1500:])


def main():
    if not os.path.exists(os.path.join(IMAGE, "initramfs.cpio.gz")):
        print("ok - QEMU stalled data disk # SKIP no build/image (run make image)")
        return 0
    tmp = tempfile.mkdtemp(prefix="keel-diskstall.")
    disk = os.path.join(tmp, "blank.img")
    keelvm.ensure_disk(disk, 64 << 20)
    drive = f"file={disk},format=raw,if=virtio,throttling.bps-total=16384"
    # The throttled disk must be the first virtio disk (/dev/vda): no system
    # images attached before it (keelvm's system=, where it has one).
    quiet = {"system": "none"} if "system" in inspect.signature(keelvm.VM).parameters else {}
    with keelvm.VM(IMAGE, append=f"keel.disktimeout={DEADLINE_S}", extra=["-drive", drive],
                   **quiet) as vm:
        try:
            during_stall(vm)
            after_deadline(vm)
        except keelvm.Timeout as e:
            tap(False, f"timed out waiting for {e}", vm.console.decode(errors="replace")[-1500:])
    shutil.rmtree(tmp, ignore_errors=True)
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
