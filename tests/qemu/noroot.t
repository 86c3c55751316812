#!/usr/bin/env python3
"""No container runs as host root (issue #12). Without a boot: every bundle
in the image maps container root to a non-zero host uid or runs as a
non-zero uid, and /etc/keel/mounts gives the disk to no root job. Boot 1 (a
blank disk): after ready, every process but PID 1, kernel threads and the
debug shell's session has real, effective and saved uid != 0; PID 1 applied
/etc/keel/sysctl.conf; the unprivileged job formatted the disk and PID 1
mounted it nodev,nosuid,noexec with the state dirs owned by each service;
the DHCP service holds exactly its three host caps as uid 67 and renews its
lease on SIGUSR1; keelctl inspect/status show it. keelctl reboot: the disk
is kept, not formatted again. Boot 2 (random bytes in the disk's first
MiB): never formatted nor mounted, one clear error, the boot goes on, the
disk's bytes unchanged."""
import hashlib
import json
import os
import re
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
NET_CAPS = ["CAP_NET_BIND_SERVICE", "CAP_NET_ADMIN", "CAP_NET_RAW"]   # bit order



def image_bundles():
    """Every bundle of the image: no host root inside any of them."""
    top = os.path.join(IMAGE, "root/containers")
    found = 0
    for kind in sorted(os.listdir(top)):
        for name in sorted(os.listdir(os.path.join(top, kind))):
            found += 1
            with open(os.path.join(top, kind, name, "config.json"), encoding="utf-8") as f:
                c = json.load(f)
            user = c["process"].get("user", {})
            userns = any(n["type"] == "user" for n in c["linux"].get("namespaces", []))
            maps = c["linux"].get("uidMappings", []) + c["linux"].get("gidMappings", [])
            root_maps = [m for m in maps if m["containerID"] == 0]
            if userns:
                good = root_maps and all(m["hostID"] != 0 for m in maps)
                how = f"userns maps root to {[m['hostID'] for m in root_maps]}"
            else:
                good = user.get("uid", 0) != 0 and user.get("gid", 0) != 0
                how = f"no userns, runs as {user.get('uid', 0)}:{user.get('gid', 0)}"
            tap(good, f"bundle {kind}/{name}: not host root ({how})", json.dumps(c["linux"])[:400])
    tap(found >= 3, f"the image has its bundles ({found})")
    with open(os.path.join(IMAGE, "root/etc/keel/mounts"), encoding="utf-8") as f:
        table = f.read()
    m = re.search(r"^disk /dev/vda /data ext4 (\S+) (\d+):(\d+)$", table, re.M)
    tap(m is not None and {"nodev", "nosuid"} <= set(m.group(1).split(",")) and
        int(m.group(2)) != 0 and int(m.group(3)) != 0,
        "/etc/keel/mounts: the data disk nodev,nosuid, its format job not host root", table)


# One line per process: pid, the Uid: line, ppid, session, comm; and the
# shell's own session (the command runs in it).
PROCS = r"""echo "self $(cut -d' ' -f6 /proc/self/stat)"
for p in /proc/[0-9]*; do
  u=$(sed -n 's/^Uid:[[:space:]]*//p' $p/status 2>/dev/null) || continue
  pp=$(sed -n 's/^PPid:[[:space:]]*//p' $p/status)
  s=$(sed 's/.*) //' $p/stat | cut -d' ' -f4)
  echo "proc ${p#/proc/} $pp $s $u $(cat $p/comm)"
done"""


def check_uids(vm):
    rc, out = vm.run(PROCS, 60)
    me = re.search(r"^self (\d+)", out, re.M)
    shell_sid = me.group(1) if me else "?"
    bad, seen = [], 0
    for line in out.splitlines():
        f = line.split()
        if len(f) < 9 or f[0] != "proc":
            continue
        pid, ppid, sid, uids, comm = f[1], f[2], f[3], f[4:7], " ".join(f[8:])
        if pid in ("1", "2") or ppid == "2" or sid == shell_sid:
            continue   # PID 1, kernel threads, the debug shell's session
        seen += 1
        if "0" in uids:
            bad.append(line)
    tap(seen >= 3 and not bad,
        f"every process but PID 1, kthreads and the debug shell runs as a non-zero host uid "
        f"({seen} checked)", "\n".join(bad) or out)


def check_sysctl(vm):
    rc, out = vm.run("cat /proc/sys/kernel/kptr_restrict /proc/sys/net/ipv4/ip_unprivileged_port_start "
                     "/proc/sys/kernel/yama/ptrace_scope")
    tap(out.split() == ["2", "80", "1"], "PID 1 applied /etc/keel/sysctl.conf before services", out)
    with open(os.path.join(ROOT, "rootfs/sysctl.conf"), encoding="utf-8") as f:
        n = sum(1 for line in f if line.strip() and not line.lstrip().startswith("#"))
    tap(f"sysctl: {n} settings applied".encode() in vm.console and
        b"some lines failed" not in vm.console,
        f"PID 1 applied all {n} lines of sysctl.conf, none failed",
        vm.console[-800:].decode(errors="replace"))


def check_disk(vm, first, since=0):
    """since: the console offset where this boot began."""
    rc, out = vm.run("grep ' /data ' /proc/mounts; ls -lnd /data/httpd /data/log; "
                     "ls /dev/keel-format 2>&1; cat /etc/keel/mounts")
    tap(re.search(r"^/dev/vda /data ext4 rw,nosuid,nodev,noexec", out, re.M) is not None,
        "PID 1 mounted the data disk ext4 nosuid,nodev,noexec", out)
    hid = re.search(r"^dir /data/httpd (\d+) (\d+) 0700", out, re.M)
    tap(hid is not None and re.search(rf"^drwx------ +\d+ {hid.group(1)} +{hid.group(2)} .*/data/httpd$",
                                      out, re.M) is not None,
        "httpd's state dir made by PID 1, owned by httpd's mapped root, 0700", out)
    tap("No such file" in out, "the format job's device node is gone after onboot", out)
    console = vm.console[since:]
    formatted = b"formatting the blank disk" in console
    tap(formatted == first, "formatted on first boot only" if first else "not formatted again",
        console[-1500:].decode(errors="replace"))


def check_net(vm):
    rc, out = vm.run("keelctl --json inspect net; keelctl --json inspect httpd; keelctl status")
    objs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if len(objs) != 2:
        tap(False, "keelctl inspect net / httpd answer JSON", out)
        return
    net, httpd = objs
    tap(net["uid"] == [67] * 4 and net["gid"] == [67] * 4, "net runs as the dhcp uid/gid 67", net)
    tap(net["caps_host"] == NET_CAPS and net["caps_ambient"] == NET_CAPS and
        net["caps_bounding"] == NET_CAPS,
        "net holds exactly NET_ADMIN, NET_RAW, NET_BIND_SERVICE (ambient) on the host", net)
    tap("net" in net["ns_shared"] and "user" in net["ns_shared"] and "mnt" in net["ns_own"],
        "net: host network and user namespaces, its own mount namespace", net)
    tap(net["no_new_privs"] == 1 and net["seccomp"] == "filter" and net["root"] == "ro",
        "net: no_new_privs, seccomp filter, read-only root", net)
    tap(httpd["caps_host"] == [] and httpd["uid"][0] != 0 and "user" in httpd["ns_own"] and
        httpd["uid_map"][0].startswith("0 ") and httpd["uid_map"][0].split()[1] != "0",
        "httpd: own user namespace, root mapped to a non-zero host uid, no host caps", httpd)
    tap(httpd["pids_max"] == "64" and httpd["memory_max"] == str(32 << 20),
        f"httpd: its sandbox's limits read back from its cgroup (pids.max {httpd['pids_max']}, "
        f"memory.max {httpd['memory_max']})", httpd)
    tap(re.search(r"^net .* yes ", out, re.M) is not None and
        re.search(r"^httpd .* - +$", out, re.M) is not None,
        "keelctl status HOST-CAPS: net yes, httpd -", out)
    rc, out = vm.run("cat /etc/resolv.conf; ip -4 addr show eth0")
    tap("nameserver 10.0.2.3" in out and "10.0.2.15/24" in out,
        "the non-root DHCP client configured eth0 and /etc/resolv.conf", out)


def check_renew(vm):
    vm.run("kill -USR1 $(pidof udhcpc)")
    out = ""
    for _ in range(40):
        rc, out = vm.run("keelctl logs net")
        if "net: renew eth0" in out:
            break
        time.sleep(0.5)
    tap("net: renew eth0" in out, "udhcpc renews its lease on SIGUSR1 (hook ran as non-root)", out)


def blank_disk_boots(tmp, port):
    disk = keelvm.ensure_disk(os.path.join(tmp, "blank.img"), 64 << 20)
    vm = keelvm.VM(IMAGE, disk=disk, port=port, reboot=True)
    with vm:
        vm.wait_ready(120)
        check_uids(vm)
        check_sysctl(vm)
        check_disk(vm, True)
        check_net(vm)
        check_renew(vm)
        vm.run("echo kept >/data/noroot-marker && sync")
        mark = len(vm.console)
        vm.send("keelctl reboot\n")
        vm.wait_ready(120, mark)
        check_disk(vm, False, mark)
        rc, out = vm.run("cat /data/noroot-marker")
        tap(out.strip() == "kept", "data written before keelctl reboot is still there", out)
        check_uids(vm)
        vm.send("keelctl poweroff\n")
        tap(vm.wait_end(60, mark) == "poweroff", "poweroff after reboot")
    os.unlink(disk)


def foreign_disk_boot(tmp, port):
    disk = os.path.join(tmp, "foreign.img")
    with open(disk, "wb") as f:
        f.write(os.urandom(1 << 20))
        f.truncate(64 << 20)
    with open(disk, "rb") as f:
        before = hashlib.sha256(f.read()).hexdigest()
    vm = keelvm.VM(IMAGE, disk=disk, port=port)
    with vm:
        try:
            vm.wait_ready(120)
            ready = True
        except keelvm.Timeout:
            ready = False
        con = vm.console.decode(errors="replace")
        tap(ready, "a disk with foreign data: the boot goes on to ready", con[-1500:])
        tap("holds data that is not ext4 in its first MiB: never formatted" in con,
            "one clear error names the disk and why it is left alone", con[-1500:])
        tap("formatting" not in con and "no blank disk handed over" in con,
            "the format job got no device and formatted nothing", con[-1500:])
        if ready:
            rc, out = vm.run("grep -c ' /data ' /proc/mounts; keelctl status 20-data")
            tap(out.split()[0] == "0", "the foreign disk is not mounted", out)
            tap(re.search(r"20-data +onboot +done .*exit 0", out) is not None,
                "the format job ended cleanly (nothing to do)", out)
            vm.send("keelctl poweroff\n")
            vm.wait_end(60)
    with open(disk, "rb") as f:
        after = hashlib.sha256(f.read()).hexdigest()
    tap(before == after, "the foreign disk's bytes are unchanged")
    os.unlink(disk)


def main():
    if not os.path.isdir(os.path.join(IMAGE, "root/containers")):
        print("not ok - build/image exists (run make image)")
        return 1
    image_bundles()
    tmp = tempfile.mkdtemp(prefix="keel-noroot.")
    port = keelvm.free_port()
    try:
        blank_disk_boots(tmp, port)
        foreign_disk_boot(tmp, port)
    except keelvm.Timeout as e:
        tap(False, f"guest answers (timeout: {e})")
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
