#!/usr/bin/env python3
"""keel's QEMU launcher and test driver (TCG, one vCPU, default machine).

  keelvm.py run   [opts]            interactive: console on this terminal
  keelvm.py batch [opts] [steps]    boot, wait for "keel: ready", run steps,
                                    end the VM, exit with its fate (below)
Options: --append ARGS (kernel), --qemu OPTS, --disk FILE|none, --port N (host
127.0.0.1:N -> guest 80; 0 = none), --image DIR, --timeout S (each wait),
--system DIR|none (default: the --image dir): every DIR/NAME.sqfs is attached
as a read-only virtio disk with serial keel-NAME, after the data disk (a
system image, docs/image.md#system-images; PID 1 finds it by that serial).
Env: KEEL_APPEND and QEMU_OPTS are added to every boot.
Batch steps, in order: --cmd 'CMD' (in the guest, through the keel.shell=1
console; output and status to files), --host 'CMD' (on the host, $KEEL_PORT
set), --reboot (guest `keelctl reboot`, wait for the next ready), and one
--end poweroff|reboot (keelctl), ctrl-alt-del (monitor sendkey),
acpi-poweroff (monitor system_powerdown) or none (default poweroff).
--out DIR receives console.log, NN.out/NN.rc per step, fate and ready_ms.
Exit: 0 the VM ended as --end asked; 1 kernel panic; 2 timeout; 3 never
ready; 4 ended otherwise (e.g. reboot when power-off was asked).
Python tests can `import keelvm` and drive a VM object directly.
"""
import argparse
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Whole line only: a read may end between "ready" and " in N ms".
READY = re.compile(rb"keel: ready(?: in (\d+) ms)?\r?\n")
# Kernel lines that tell how a VM ended, in the order they are checked.
FATES = [("panic", re.compile(rb"Kernel panic - not syncing")),
         ("poweroff", re.compile(rb"reboot: Power down")),
         ("reboot", re.compile(rb"reboot: Restarting system"))]
EXIT = {"ok": 0, "panic": 1, "timeout": 2, "not-ready": 3, "other": 4}


class Timeout(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Service logs persist on the data disk through the logwrite service.
BASE_CMDLINE = "console=ttyS0 panic=-1 quiet"


SYSTEM_SLOT = 0x18   # PCI slots 0x18-0x1f: after every other disk, see below


def system_disks(system):
    """QEMU options attaching each SYSTEM/NAME.sqfs read-only, serial
    keel-NAME (virtio-blk serials hold at most 20 bytes). In PCI slots of
    their own at the end of the bus: the guest names virtio disks in bus
    order, so the data disk (and any -drive if=virtio a test adds) stays
    /dev/vda whether or not system images are attached."""
    if not system or system == "none" or not os.path.isdir(system):
        return []
    images = sorted(x for x in os.listdir(system) if x.endswith(".sqfs"))
    if len(images) > 8:
        raise SystemExit(f"keelvm: {system}: more than 8 system images")
    argv = []
    for i, f in enumerate(images):
        serial = "keel-" + f[:-len(".sqfs")]
        if len(serial) > 20:
            raise SystemExit(f"keelvm: {f}: serial {serial} longer than 20 bytes")
        argv += ["-drive", f"file={os.path.join(system, f)},format=raw,if=none,"
                 f"id=sys{i},readonly=on",
                 "-device", f"virtio-blk-pci,drive=sys{i},serial={serial},"
                 f"addr={SYSTEM_SLOT + i:#x}"]
    return argv


def qemu_argv(image, append, disk, port, extra, reboot, system=None):
    cmdline = " ".join(filter(None, [BASE_CMDLINE, append,
                                     os.environ.get("KEEL_APPEND", "")]))
    nic = "user,model=virtio-net-pci"
    if port:
        nic += f",hostfwd=tcp:127.0.0.1:{port}-:80"
    argv = ["qemu-system-x86_64", "-m", "256", "-nic", nic,
            "-kernel", os.path.join(image, "vmlinuz"),
            "-initrd", os.path.join(image, "initramfs.cpio.gz"), "-append", cmdline]
    if not reboot:
        argv.append("-no-reboot")
    if disk:
        argv += ["-drive", f"file={disk},format=raw,if=virtio"]
    argv += system_disks(image if system is None else system)
    return argv + shlex.split(os.environ.get("QEMU_OPTS", "")) + list(extra)


class VM:
    """One QEMU guest: console on a pipe, a second serial port as the clean
    results channel, the monitor on a unix socket. kill() always ends it."""

    def __init__(self, image=None, append="", disk=None, port=0, extra=(),
                 reboot=False, shell=True, log=None, system=None):
        self.dir = tempfile.mkdtemp(prefix="keelvm.")
        self.mon = os.path.join(self.dir, "monitor.sock")
        self.results = os.path.join(self.dir, "ttyS1")
        open(self.results, "wb").close()
        if shell:
            append = ("keel.shell=1 " + append).strip()
        self.argv = qemu_argv(image or os.path.join(ROOT, "build/image"), append, disk,
                              port, extra, reboot, system)
        self.argv += ["-display", "none", "-serial", "stdio",
                      "-serial", f"file:{self.results}",
                      "-monitor", f"unix:{self.mon},server=on,wait=off"]
        self.port = port
        self.console = bytearray()
        self.log = open(log or os.path.join(self.dir, "console.log"), "wb")
        self.cv = threading.Condition()
        self.proc = None
        self.seq = 0

    def start(self):
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        threading.Thread(target=self._pump, daemon=True).start()
        return self

    def _pump(self):
        while True:
            chunk = self.proc.stdout.read1(4096)
            with self.cv:
                if not chunk:
                    self.cv.notify_all()
                    return
                self.console += chunk
                self.log.write(chunk)
                self.log.flush()
                self.cv.notify_all()

    def wait_for(self, regex, timeout, start=0):
        """Waits until regex matches the console from offset start."""
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                m = regex.search(self.console, start)
                if m:
                    return m
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self.cv.wait(0.2)):
                    raise Timeout(regex.pattern.decode())
                self.cv.wait(min(left, 0.5))

    def wait_ready(self, timeout, start=0):
        m = self.wait_for(READY, timeout, start)
        self.ready_at = time.monotonic() - self.t0
        return m

    def send(self, text):
        self.proc.stdin.write(text.encode())
        self.proc.stdin.flush()

    def run(self, cmd, timeout=30):
        """Runs cmd in the guest shell; output goes over ttyS1, not the
        console, so kernel and service lines cannot mix into it."""
        self.seq += 1
        end = f"=KEEL-END-{self.seq}="
        off = os.path.getsize(self.results)
        self.send(f"( {cmd} ) >/dev/ttyS1 2>&1 </dev/null; echo \"{end} $?\" >/dev/ttyS1\n")
        pat = re.compile(re.escape(end).encode() + rb" (\d+)")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.results, "rb") as f:
                f.seek(off)
                data = f.read()
            m = pat.search(data)
            if m:
                return int(m.group(1)), data[:m.start()].decode(errors="replace").replace("\r", "")
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise Timeout(f"guest command: {cmd}")

    def monitor(self, cmd):
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.mon)
            s.sendall(cmd.encode() + b"\n")
            time.sleep(0.3)

    def wait_end(self, timeout, start=0):
        """Waits for QEMU to exit; returns panic|poweroff|reboot|timeout|other."""
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            fate = self.fate(start)
            self.kill()
            return fate if fate == "panic" else "timeout"
        time.sleep(0.1)   # let the pump drain the last lines
        return self.fate(start) or "other"

    def fate(self, start=0):
        with self.cv:
            for name, pat in FATES:
                if pat.search(self.console, start):
                    return name
        return None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def ensure_disk(path, size=256 << 20):
    """The data disk: a sparse blank raw file made on first use; the guest
    formats it on its first boot (services/data)."""
    if path and path != "none" and not os.path.exists(path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.truncate(size)
        print(f"keelvm: created blank data disk {path} ({size >> 20} MiB)", file=sys.stderr)
    return None if path in (None, "none") else path


def cmd_run(a):
    argv = qemu_argv(a.image, a.append, ensure_disk(a.disk), a.port, shlex.split(a.qemu),
                     reboot=True, system=a.system) + ["-nographic"]
    if a.port:
        print(f"keelvm: web service: curl http://127.0.0.1:{a.port}/  "
              f"(counter: /cgi-bin/counter); quit QEMU with ctrl-a x", file=sys.stderr)
    os.execvp(argv[0], argv)


# Batch steps: (kind, argument) in command-line order.
class Step(argparse.Action):
    def __call__(self, parser, ns, value, option=None):
        ns.steps.append((option.lstrip("-"), value))


def run_step(vm, kind, arg, a):
    if kind == "cmd":
        return vm.run(arg, a.timeout)
    if kind == "host":
        env = dict(os.environ, KEEL_PORT=str(vm.port))
        r = subprocess.run(arg, shell=True, env=env, capture_output=True, text=True,
                           timeout=a.timeout)
        return r.returncode, r.stdout + r.stderr
    mark = len(vm.console)
    vm.send("keelctl reboot\n")
    vm.wait_for(re.compile(rb"reboot: Restarting system"), a.timeout, mark)
    vm.wait_ready(a.timeout, mark)
    return 0, ""


def end_vm(vm, how, timeout):
    """Ends the VM as asked; returns its fate."""
    mark = len(vm.console)
    if how == "none":
        vm.kill()
        return "none"
    if how == "ctrl-alt-del":
        vm.monitor("sendkey ctrl-alt-delete")
    elif how == "acpi-poweroff":
        vm.monitor("system_powerdown")
    else:
        vm.send(f"keelctl {how}\n")
    return vm.wait_end(timeout, mark)


def write(out, name, text):
    if out:
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write(text)


def cmd_batch(a):
    if a.out:
        os.makedirs(a.out, exist_ok=True)
    reboot = a.end == "reboot" or any(k == "reboot" for k, _ in a.steps)
    vm = VM(a.image, a.append, ensure_disk(a.disk), a.port, shlex.split(a.qemu), reboot,
            log=os.path.join(a.out, "console.log") if a.out else None, system=a.system)
    with vm:
        try:
            m = vm.wait_ready(a.timeout)
        except Timeout:
            fate = vm.fate() or "not-ready"
            write(a.out, "fate", fate + "\n")
            print(f"keelvm: no 'keel: ready': {fate}", file=sys.stderr)
            return EXIT.get(fate, 3)
        write(a.out, "ready_ms", (m.group(1) or b"").decode() + "\n")
        write(a.out, "boot_s", f"{vm.ready_at:.3f}\n")
        for i, (kind, arg) in enumerate(a.steps, 1):
            try:
                rc, text = run_step(vm, kind, arg, a)
            except (Timeout, subprocess.TimeoutExpired):
                write(a.out, "fate", "timeout\n")
                return EXIT["timeout"]
            write(a.out, f"{i:02d}.out", text)
            write(a.out, f"{i:02d}.rc", f"{rc}\n")
        fate = end_vm(vm, a.end, a.timeout)
    write(a.out, "fate", fate + "\n")
    print(f"keelvm: ready after {vm.ready_at:.1f} s; ended: {fate}", file=sys.stderr)
    wanted = {"poweroff": "poweroff", "ctrl-alt-del": "reboot", "reboot": "reboot",
              "acpi-poweroff": "poweroff", "none": "none"}[a.end]
    return 0 if fate == wanted else EXIT.get(fate, 4)


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("mode", choices=["run", "batch"])
    ap.add_argument("--image", default=os.path.join(ROOT, "build/image"))
    ap.add_argument("--append", default="")
    ap.add_argument("--qemu", default="")
    ap.add_argument("--disk", default="none")
    ap.add_argument("--system", help="dir of NAME.sqfs system images, or none (default: --image)")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--out")
    ap.add_argument("--end", default="poweroff",
                    choices=["poweroff", "ctrl-alt-del", "acpi-poweroff", "reboot", "none"])
    ap.set_defaults(steps=[])
    for opt in ("--cmd", "--host"):
        ap.add_argument(opt, action=Step)
    ap.add_argument("--reboot", action=Step, nargs=0)
    a = ap.parse_args()
    if a.mode == "run":
        cmd_run(a)
    sys.exit(cmd_batch(a))


if __name__ == "__main__":
    main()
