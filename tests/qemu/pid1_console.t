#!/usr/bin/env python3
"""PID 1 never waits on the console (issue 10), on a real kernel and UART:
the serial console is flooded (a service's output echoed) and then blocked
(the host stops reading QEMU's serial pipe, so the guest UART stops
draining). keelctl, run by a root shell on a second serial line, still
answers within 1 s, the log-writer service still writes /data/log, and
once the host reads again the console reports how much PID 1 dropped;
poweroff works."""
import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "rootfs"), os.path.dirname(os.path.abspath(__file__))]
import keelvm  # noqa: E402

import qtap  # noqa: E402
from qtap import tap  # noqa: E402

IMAGE = os.path.join(ROOT, "build/image")
# httpd's bundle turned into a flood: same sandbox, another command.
FLOOD = ("sed -i 's|\"/bin/serve\"|\"/bin/sh\", \"-c\", \"while :; do echo "
         "flood-flood-flood-flood-flood-flood-flood; done\"|' /containers/services/httpd/config.json"
         " && keelctl restart httpd")
# A root shell loop on ttyS2 (the host's unix socket), separate from the console.
AGENT = ("stty -F /dev/ttyS2 -echo -onlcr && setsid sh -c 'exec </dev/ttyS2 >/dev/ttyS2 2>&1; "
         "while read -r line; do eval \"$line\"; done' &")


class Agent:
    """Runs commands through the ttyS2 shell loop; output until a marker."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.sock.settimeout(1)
        self.n = 0

    def run(self, cmd, timeout=20):
        self.n += 1
        end = f"=AGENT-{self.n}="
        self.sock.sendall(f"{cmd}; echo {end} $?\n".encode())
        data, deadline = b"", time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                data += self.sock.recv(65536)
            except socket.timeout:
                continue
            m = re.search(re.escape(end).encode() + rb" (\d+)", data)
            if m:
                return int(m.group(1)), data[:m.start()].decode(errors="replace")
        return None, data.decode(errors="replace")


def stallable(vm):
    """Replaces the console pump with one that stops reading while stalled
    is set: QEMU's stdout pipe fills and the guest UART stops draining."""
    stalled = threading.Event()
    vm.stalled = stalled

    def pump():
        while True:
            while stalled.is_set():
                time.sleep(0.05)
            chunk = vm.proc.stdout.read1(4096)
            with vm.cv:
                vm.console += chunk
                vm.log.write(chunk)
                vm.cv.notify_all()
                if not chunk:
                    return
    vm._pump = pump


def keelctl_times(agent, n):
    """Milliseconds of n `keelctl status` calls, measured in the guest."""
    rc, out = agent.run("for i in $(seq %d); do t0=$(cut -d' ' -f1 /proc/uptime); "
                        "keelctl status >/dev/null && echo $t0 $(cut -d' ' -f1 /proc/uptime) | "
                        "awk '{print \"ms\", int(($2 - $1) * 1000)}'; done" % n, 60)
    return [int(x) for x in re.findall(r"ms (\d+)", out)], out


def log_size(agent):
    """(inode, size) of httpd.log: logwrite rotates it at 1 MiB (a new inode)."""
    rc, out = agent.run("stat -c '%i %s' /data/log/httpd.log")
    f = out.split()
    return (int(f[0]), int(f[1])) if rc == 0 and len(f) == 2 and all(x.isdigit() for x in f) else (-1, -1)


def log_grew(before, after):
    return before[1] > 0 and after[1] > 0 and (after[0] != before[0] or after[1] > before[1])


def main():
    if not os.path.exists(os.path.join(IMAGE, "initramfs.cpio.gz")):
        print("ok - QEMU console test # SKIP no build/image (run make image)")
        return 0
    tmp = tempfile.mkdtemp(prefix="keel-pid1con.")
    disk, agent_sock = os.path.join(tmp, "data.img"), os.path.join(tmp, "ttyS2.sock")
    keelvm.ensure_disk(disk)
    vm = keelvm.VM(IMAGE, disk=disk)
    vm.argv += ["-serial", f"unix:{agent_sock},server=on,wait=off"]
    stallable(vm)
    with vm:
        vm.wait_ready(120)
        rc, out = vm.run(AGENT)
        agent = Agent(agent_sock)
        for _ in range(20):   # input before the loop opens ttyS2 is discarded: retry
            rc, out = agent.run("echo agent up", 2)
            if rc == 0 and "agent up" in out:
                break
        tap(rc == 0 and "agent up" in out, "a root shell answers on the second serial line", out)
        rc, out = vm.run(FLOOD)
        tap(rc == 0, "httpd's bundle now floods the console", out)
        time.sleep(3)
        before = log_size(agent)
        vm.stalled.set()
        mark = len(vm.console)
        time.sleep(8)   # the host reads nothing: QEMU's pipe and the UART fill up
        rc, wchan = agent.run("cat /proc/1/wchan; echo; grep -c flood /proc/1/fdinfo/1 || true")
        times, out = keelctl_times(agent, 10)
        tap(len(times) == 10, "keelctl status answers 10 times with the console blocked", out)
        tap(times and max(times) < 1000,
            f"... each within 1 s (slowest {max(times) if times else '-'} ms)", out)
        print(f"# PID 1 sleeps in: {wchan.split()[0] if wchan.split() else '?'}; "
              f"keelctl ms: {times}", flush=True)
        rc, out = agent.run("keelctl restart logwrite && for i in $(seq 60); do keelctl status "
                            "logwrite | grep -q ' ready ' && break; sleep 0.5; done; keelctl status logwrite", 60)
        tap(rc == 0 and re.search(r"logwrite\s+service\s+ready", out) is not None,
            "keelctl restart works with the console blocked", out)
        time.sleep(2)
        after = log_size(agent)
        tap(log_grew(before, after), f"logwrite still writes /data/log/httpd.log (inode, bytes: {before} -> {after}; a new inode: rotated)",
            agent.run("ls -l /data/log; keelctl status")[1])
        with vm.cv:
            grew = len(vm.console) - mark
        tap(grew < 65536 + 8192, f"the console really was blocked (only {grew} bytes got out)")
        vm.stalled.clear()
        try:
            m = vm.wait_for(re.compile(rb"keel: console: (\d+) bytes dropped"), 60, mark)
            tap(True, f"console drained: 'keel: console: {m.group(1).decode()} bytes dropped'")
        except keelvm.Timeout:
            tap(False, "console drained: drop count reported", vm.console[-600:].decode(errors="replace"))
        mark = len(vm.console)
        rc, out = agent.run("keelctl poweroff", 5)
        fate = vm.wait_end(90, mark)
        tap(fate == "poweroff", f"poweroff ({fate})", out + vm.console[-400:].decode(errors="replace"))
    shutil.rmtree(tmp, ignore_errors=True)
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
