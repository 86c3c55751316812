#!/usr/bin/env python3
"""The demo appliance (issue #6), booted with a fresh data disk and the port
forward: the web service answers from the host, `keelctl status` lists every
service ready, each running service's sandbox matches its services/NAME/sandbox
(seen from the host side of the guest) and `keelctl inspect` agrees, data
written through the service survives `keelctl reboot` and a fresh boot on the same disk, and the disk is
clean (no journal recovery, e2fsck finds nothing) after power-off."""
import json
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "rootfs"), os.path.join(ROOT, "services"),
                os.path.dirname(os.path.abspath(__file__))]
import keelvm  # noqa: E402
import qtap  # noqa: E402
from qtap import tap  # noqa: E402
import build as services  # noqa: E402

IMAGE = os.path.join(ROOT, "build/image")


def http(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read().decode(errors="replace")
    except OSError as e:
        return None, str(e)


def cap_numbers():
    nums = {}
    with open("/usr/include/linux/capability.h", encoding="utf-8") as f:
        for m in re.finditer(r"#define\s+(CAP_[A-Z_]+)\s+(\d+)\s*$", f.read(), re.M):
            nums[m.group(1)] = int(m.group(2))
    return nums


def bundles():
    """{name: sandbox dict} of the services (not onboot jobs) in the image."""
    out = {}
    for name in services.service_names():
        conf = services.parse_sandbox(os.path.join(ROOT, "services", name, "sandbox"))
        if "onboot" not in conf:
            out[name] = conf
    return out


# Prints, for the main process of a service, what its sandbox looks like from
# the host: uid map, capability/seccomp lines, which namespaces it shares with
# PID 1, and the flags of its root mount.
INSPECT = r"""p=$(keelctl --json status {name} | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
[ -n "$p" ] && [ "$p" != 0 ] || {{ echo "no {name} process"; exit 1; }}
echo "uid_map $(head -n1 /proc/$p/uid_map)"
grep -E '^(CapEff|CapPrm|CapBnd|Seccomp|NoNewPrivs):' /proc/$p/status
for n in user mnt pid ipc uts cgroup net; do
  [ "$(readlink /proc/$p/ns/$n)" = "$(readlink /proc/1/ns/$n)" ] && echo "ns $n shared" || echo "ns $n own"
done
awk '$5 == "/" {{print "root", $6}}' /proc/$p/mountinfo"""


def check_sandbox(vm, name, conf, caps):
    rc, out = vm.run(INSPECT.format(name=name))
    if rc != 0:
        tap(False, f"{name}: sandbox inspected", out)
        return
    kv = dict(line.split(None, 1) for line in out.splitlines() if " " in line or "\t" in line)
    host_uid = kv.get("uid_map", "0 0").split()[1]
    tap(conf.get("userns") == "host" or host_uid != "0",
        f"{name}: container root is not host root (uid_map {kv.get('uid_map')})", out)
    want = 0
    for c in conf.get("caps", "").split():
        want |= 1 << caps[c]
    for field in ("CapEff:", "CapBnd:"):
        got = int(kv.get(field, "-1"), 16)
        tap(got == want, f"{name}: {field[:-1]} is exactly the declared caps ({want:#x})", out)
    if conf.get("seccomp") == "none":   # containerd: declared, with its reason
        tap(kv.get("Seccomp:", "").strip() == "0", f"{name}: no seccomp filter, as declared", out)
    else:
        tap(kv.get("Seccomp:", "").strip() == "2", f"{name}: seccomp filter on", out)
    tap(kv.get("NoNewPrivs:", "").strip() == "1", f"{name}: no_new_privs", out)
    shared = {"net": conf.get("net") == "host", "user": conf.get("userns") == "host"}
    for ns in ("user", "mnt", "pid", "ipc", "uts", "cgroup", "net"):
        want_ns = "shared" if shared.get(ns) else "own"
        tap(f"ns {ns} {want_ns}" in out, f"{name}: {ns} namespace {want_ns}", out)
    tap(re.search(r"^root (ro|ro,.*)$", out, re.M) is not None, f"{name}: read-only root", out)
    check_inspect(vm, name, conf, kv, out)


def check_inspect(vm, name, conf, kv, raw):
    """keelctl inspect against the raw /proc reading above and the sandbox."""
    rc, out = vm.run(f"keelctl --json inspect {name}")
    try:
        j = json.loads(out)
    except ValueError:
        tap(False, f"{name}: keelctl --json inspect answers JSON", out)
        return
    why = f"{out}\n{raw}"
    tap(int(j["cap_eff"], 16) == int(kv.get("CapEff:", "-1"), 16) and
        int(j["cap_bnd"], 16) == int(kv.get("CapBnd:", "-1"), 16) and
        int(j["cap_prm"], 16) == int(kv.get("CapPrm:", "-1"), 16),
        f"{name}: inspect's capability sets match /proc", why)
    declared = sorted(conf.get("caps", "").split())
    host = conf.get("userns") == "host"
    tap(sorted(j["caps_host"]) == (declared if host else []) and
        sorted(j["caps_own"]) == ([] if host else declared),
        f"{name}: inspect: caps over the host {declared if host else []}", why)
    shared = {n for n in ("user", "mnt", "pid", "ipc", "uts", "cgroup", "net")
              if f"ns {n} shared" in raw}
    tap(shared == set(j["ns_shared"]) - {"time"}, f"{name}: inspect's shared namespaces match /proc", why)
    tap(j["uid_map"][0] == " ".join(kv.get("uid_map", "").split()),
        f"{name}: inspect's uid_map matches /proc", why)
    filtered = conf.get("seccomp") != "none"
    tap(j["root"] == "ro" and j["no_new_privs"] == 1 and
        (j["seccomp"] == "filter") == filtered and (not filtered or int(j["seccomp_syscalls"]) > 100),
        f"{name}: inspect: ro root, no_new_privs, seccomp {'filter with its profile size' if filtered else 'none'}",
        why)
    tap(j["memory_max"] == (str(int(conf["memory"]) << 20) if "memory" in conf else "max") and
        j["pids_max"] == conf.get("pids", "max"),
        f"{name}: inspect: cgroup limits as the sandbox says", why)
    for dest, _ in services.state_dirs(conf, name):
        tap(f"{dest} (ext4)" in j["writable"], f"{name}: inspect lists its state dir {dest} writable", why)


def first_boot(disk, port):
    vm = keelvm.VM(IMAGE, disk=disk, port=port, reboot=True)
    with vm:
        vm.wait_ready(90)
        rc, status = vm.run("keelctl status")
        for name in bundles():
            tap(re.search(rf"^{re.escape(name)}\b.*\bready\b", status, re.M) is not None,
                f"keelctl status: {name} ready", status)
        code, body = http(port, "/")
        tap(code == 200 and "keel appliance" in body, "host -> 127.0.0.1 port forward -> httpd", body)
        counts = [http(port, "/cgi-bin/counter")[1].strip() for _ in range(2)]
        tap(counts == ["1", "2"], "counter CGI counts from 1 on a fresh disk", counts)
        rc, mounts = vm.run("cat /proc/mounts")
        tap(re.search(r"^/dev/vda /data ext4 ", mounts, re.M) is not None,
            "data disk formatted ext4 and mounted on /data", mounts)
        caps = cap_numbers()
        for name, conf in bundles().items():
            check_sandbox(vm, name, conf, caps)
        mark = len(vm.console)
        vm.send("keelctl reboot\n")
        vm.wait_ready(90, mark)
        got = http(port, "/cgi-bin/counter")[1].strip()
        tap(got == "3", "counter survives keelctl reboot",
            f"got {got!r}\n" + vm.console[mark:][-600:].decode(errors="replace"))
        vm.send("keelctl poweroff\n")
        tap(vm.wait_end(60, mark) == "poweroff", "poweroff after reboot")


def second_boot(disk, port):
    vm = keelvm.VM(IMAGE, disk=disk, port=port)
    with vm:
        vm.wait_ready(90)
        got = http(port, "/cgi-bin/counter")[1].strip()
        tap(got == "4", "counter survives a fresh boot on the same disk", f"got {got!r}")
        rc, log = vm.run("cat /data/log/httpd.log")
        tap(log.count("url:/cgi-bin/counter") >= 3,
            "httpd's log from earlier boots persists in /data/log (logwrite service)", log[-600:])
        rc, log = vm.run("dmesg | grep -i 'vda' ")
        tap("recovery" not in log and "orphan" not in log,
            "no journal recovery when mounting the data disk", log)
        mark = len(vm.console)
        vm.send("keelctl poweroff\n")
        tap(vm.wait_end(60, mark) == "poweroff", "poweroff after the second boot")


def disk_clean(disk):
    hdr = subprocess.run(["dumpe2fs", "-h", disk], capture_output=True, text=True).stdout
    tap(re.search(r"^Filesystem state:\s+clean$", hdr, re.M) is not None and
        "needs_recovery" not in hdr, "data disk clean after power-off (no journal to replay)", hdr)
    r = subprocess.run(["e2fsck", "-fn", disk], capture_output=True, text=True)
    tap(r.returncode == 0, "e2fsck -fn finds nothing to repair", r.stdout + r.stderr)


def main():
    if not os.path.isdir(os.path.join(IMAGE, "root/containers/services")):
        print("not ok - image has service bundles (runc-shim spec missing at make image?)")
        return 1
    tmp = tempfile.mkdtemp(prefix="keel-services.")
    disk = keelvm.ensure_disk(os.path.join(tmp, "data.img"), 64 << 20)
    port = keelvm.free_port()
    try:
        first_boot(disk, port)
        second_boot(disk, port)
    except keelvm.Timeout as e:
        tap(False, f"appliance boots and answers (timeout: {e})")
    disk_clean(disk)
    os.unlink(disk)
    os.rmdir(tmp)
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
