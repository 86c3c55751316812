#!/usr/bin/env python3
"""containerd as a keel service (issue #11), in QEMU with a fresh data disk:
`ctr run` of the preloaded busybox image prints and passes the exit status;
a detached container is listed, exec'd into, killed and deleted; a memory
limit OOM-kills inside containerd's subtree only; from PID 1's side no
containerd, shim or container process has host uid 0 and a `--uidmap`
container's user namespace is nested in containerd's; `keelctl stop` leaves
no process, `keelctl start` and a reboot keep the images; without the
system image the boot goes on and status gives the reason. Prints the
measurements docs/containerd.md quotes (`# measure ...` lines)."""
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

IMAGE = os.path.join(ROOT, "build/image")
BUNDLE = "containers/services/containerd"
IMG = "keel.local/busybox:latest"
MEM = ["-m", "1024"]     # containerd + shims + ctr: the default 256 MiB is too tight
T = 300                  # containerd under TCG is slow: generous per-step timeouts

# Shell snippets for the guest's console shell (host root).
PID = "keelctl --json status containerd | sed -n 's/.*\"pid\":\\([0-9]*\\).*/\\1/p'"
CG = f"p=$({PID}); sed -n 's/^0:://p' /proc/$p/cgroup"
READY = ("n=0; until keelctl status containerd | grep -q ' ready '; do "
         "n=$((n + 1)); [ $n -lt 300 ] || exit 9; sleep 1; done")
# ctr inside containerd's container (its namespaces, cgroup and sandbox).
CTR = "keelctl exec containerd ctr"


def run(vm, cmd, timeout=T):
    rc, out = vm.run(cmd, timeout)
    return rc, out.strip()


def service_cgroup(vm):
    """The service's cgroup as PID 1 sees it (its init moved to daemon/)."""
    rc, out = run(vm, CG)
    return re.sub(r"/daemon$", "", out) if rc == 0 and out.startswith("/") else None


def check_run(vm):
    rc, out = run(vm, f"{CTR} run --rm {IMG} c1 echo hi")
    tap(rc == 0 and out == "hi", "ctr run --rm prints hi from the preloaded image", f"rc {rc}: {out}")
    rc, out = run(vm, f"{CTR} run --rm {IMG} c2 sh -c 'echo out; exit 7'")
    tap(rc == 7 and out == "out", "ctr run passes the container's exit status (7)", f"rc {rc}: {out}")


def check_import(vm):
    """Any OCI archive on the data disk: piped in through keelctl exec, into
    its own containerd namespace so the preloaded copy does not count."""
    arc = "/system/containerd/usr/share/keel/images/busybox.oci.tar"
    rc, out = run(vm, f"cp {arc} /data/user-image.tar && "
                      f"{CTR} -n imp image import - </data/user-image.tar >/dev/null && "
                      f"{CTR} -n imp run --rm {IMG} i1 echo imported; "
                      f"r=$?; rm -f /data/user-image.tar; exit $r")
    tap(rc == 0 and out.endswith("imported"),
        "ctr image import of an OCI archive from the data disk (stdin), then ctr run of it",
        f"rc {rc}: {out}")


def check_detached(vm):
    rc, out = run(vm, f"{CTR} run -d {IMG} d1 sleep 1000 && {CTR} task ls")
    tap(rc == 0 and re.search(r"^d1\s+\d+\s+RUNNING", out, re.M) is not None,
        "a detached container is listed RUNNING", out)
    rc, out = run(vm, f"{CTR} task exec --exec-id e1 d1 sh -c 'echo inside; exit 3'")
    tap(rc == 3 and out == "inside", "ctr task exec runs in it and passes its status", f"rc {rc}: {out}")
    rc, out = run(vm, f"{CTR} task kill -s KILL d1 && sleep 2 && {CTR} task ls")
    tap(rc == 0 and re.search(r"^d1\s+\d+\s+STOPPED", out, re.M) is not None,
        "ctr task kill stops it", out)
    rc, out = run(vm, f"{CTR} task rm d1 >/dev/null 2>&1; {CTR} container rm d1 && {CTR} container ls -q")
    tap(rc == 0 and "d1" not in out.split(), "task and container deleted", f"rc {rc}: {out}")


def check_oom(vm, cg):
    ev = f"/sys/fs/cgroup{cg}/memory.events"
    _, before = run(vm, f"sed -n 's/^oom_kill //p' {ev}")
    rc, out = run(vm, f"{CTR} run --rm --memory-limit 16777216 {IMG} m1 "
                      "dd if=/dev/zero of=/dev/null bs=64M count=1")
    _, after = run(vm, f"sed -n 's/^oom_kill //p' {ev}")
    tap(rc == 137, "a container over its 16 MiB memory limit is OOM-killed (exit 137)",
        f"rc {rc}: {out}")
    tap(before.isdigit() and after.isdigit() and int(after) > int(before),
        f"the OOM kill is counted inside containerd's subtree ({ev})", f"{before} -> {after}")
    rc, out = run(vm, f"{CTR} version >/dev/null && keelctl status")
    states = re.findall(r"^(\S+)\s+service\s+(\S+)", out, re.M)
    tap(rc == 0 and ("containerd", "ready") in states and all(st == "ready" for _, st in states),
        "containerd and every other service unaffected (all ready)", out)


# Every process in containerd's cgroup subtree: pid, host uid, user ns.
PROCS = r"""for f in $(find /sys/fs/cgroup{cg} -name cgroup.procs); do cat $f; done | while read p; do
  echo "$p $(awk '/^Uid:/ {{print $2}}' /proc/$p/status) $(readlink /proc/$p/ns/user) $(tr '\0' ' ' </proc/$p/cmdline)"
done"""


def check_uids(vm, cg, base):
    run(vm, f"{CTR} run -d {IMG} d2 sleep 1000 && "
            f"{CTR} run -d --uidmap 0:65536:65536 --gidmap 0:65536:65536 {IMG} u1 sleep 999")
    rc, out = run(vm, PROCS.format(cg=cg))
    rows = [line.split(None, 3) for line in out.splitlines() if line.strip()]
    names = " ".join(r[3] for r in rows if len(r) > 3)
    tap(rc == 0 and "containerd-shim-runc-v2" in names and "sleep 1000" in names and
        "containerd --config" in names, "containerd, shims and containers found in its cgroup", out)
    tap(rows and all(len(r) > 2 and r[1] != "0" for r in rows),
        "no containerd, shim or container process has host uid 0", out)
    own = [r for r in rows if len(r) > 3 and "containerd --config" in r[3]]
    nested = [r for r in rows if len(r) > 3 and r[3].strip() == "sleep 999"]
    if not own or not nested:
        tap(False, "the --uidmap container's user namespace is nested in containerd's", out)
        return
    _, cmap = run(vm, f"cat /proc/{nested[0][0]}/uid_map")
    want = f"0 {base + 65536} 65536"
    tap(nested[0][2] != own[0][2] and " ".join(cmap.split()) == want and
        nested[0][1] == str(base + 65536),
        f"the --uidmap container has its own user namespace, mapped onto containerd's block 1 ({want})",
        f"{nested[0]} vs {own[0]}; uid_map {cmap}")


def check_proc_guard(vm):
    """/proc is unmasked for containerd; host-wide knobs stay refused."""
    for f, v in (("/proc/sysrq-trigger", "h"), ("/proc/sys/vm/drop_caches", "3"),
                 ("/proc/sys/kernel/panic", "1")):
        rc, out = run(vm, f"keelctl exec containerd sh -c 'echo {v} >{f}'")
        tap(rc != 0 and "denied" in out, f"containerd's root cannot write {f} (host root's, unmapped)",
            f"rc {rc}: {out}")
    rc, out = run(vm, "keelctl exec containerd sh -c 'read x </proc/kcore'")
    tap(rc != 0 and ("denied" in out or "not permitted" in out), "nor read /proc/kcore",
        f"rc {rc}: {out}")


def check_stop_start(vm, cg):
    rc, out = run(vm, "keelctl stop containerd; sleep 1; "
                      "for c in /proc/[0-9]*/cmdline; do tr '\\0' ' ' <$c 2>/dev/null; echo; done | "
                      "grep -E 'containerd|sleep 99' | grep -v grep")
    tap(rc != 0 and out == "", "keelctl stop containerd leaves no containerd, shim or container process",
        out)
    rc, out = run(vm, f"test -e /sys/fs/cgroup{cg}")
    tap(rc != 0, f"and its cgroup subtree is gone ({cg})", out)
    rc, out = run(vm, f"keelctl start containerd && {READY} && {CTR} image ls -q")
    tap(rc == 0 and IMG in out.split(), "keelctl start brings it back with its image", f"rc {rc}: {out}")
    rc, out = run(vm, f"{CTR} run --rm {IMG} c3 echo again")
    tap(rc == 0 and out == "again", "and it runs containers again", f"rc {rc}: {out}")


def measure(vm, label, extra=""):
    """Median ms from `ctr run` to the container's first output line."""
    # busybox date has no %N: /proc/uptime's 10 ms ticks.
    cmd = (f"s=$(cut -d' ' -f1 /proc/uptime); {CTR} run --rm {extra} {IMG} t$$ echo hi | "
           "{ read x; e=$(cut -d' ' -f1 /proc/uptime); "
           "echo \"$s $e\" | awk '{printf \"%d\\n\", ($2 - $1) * 1000}'; cat >/dev/null; }")
    ms = []
    for _ in range(5):
        rc, out = run(vm, cmd)
        if rc == 0 and out.isdigit():
            ms.append(int(out))
        else:
            print(f"# {label}: rc {rc}: {out}", flush=True)
            break
    if ms:
        print(f"# measure {label}: ctr run to first output {sorted(ms)[len(ms) // 2]} ms "
              f"(median of {sorted(ms)})", flush=True)
    return ms


def add_runc(vm):
    """Debian's runc, for the comparison only: a tmpfs in containerd's mount
    namespace (/data there: the image's root is read-only) holding runc, a
    copy of the image's libraries and libseccomp, bound over
    /lib/x86_64-linux-gnu (runc re-executes itself with a clean environment:
    no LD_LIBRARY_PATH)."""
    rc, out = run(vm, f"p=$({PID}); L=/lib/x86_64-linux-gnu; "
                      "nsenter -t $p -m -- /bin/busybox mount -t tmpfs -o size=48m,mode=755 tmpfs /data && "
                      "cp /proc/$p/root$L/* /runc-cmp/* /proc/$p/root/data/ && chmod 755 /proc/$p/root/data/runc && "
                      "nsenter -t $p -m -- /bin/busybox mount --bind /data $L")
    if rc != 0:
        print(f"# adding runc: rc {rc}: {out}", flush=True)
    return rc == 0


def first_boot(disk, image):
    with keelvm.VM(image, disk=disk, extra=MEM, reboot=True,
                   log=os.path.join(os.path.dirname(disk), "console.log")) as vm:
        vm.wait_ready(T * 2)
        cg = service_cgroup(vm)
        tap(cg is not None, "containerd is running under PID 1 with its own cgroup", str(cg))
        if cg is None:
            return
        _, m = run(vm, f"head -n1 /proc/$({PID})/uid_map")
        base = int(m.split()[1]) if len(m.split()) == 3 else -1
        tap(base > 0 and m.split()[2] == str(17 * 65536),
            "containerd's root maps to a non-zero host uid, 17 x 65536 ids", m)
        check_run(vm)
        check_import(vm)
        check_detached(vm)
        check_oom(vm, cg)
        check_uids(vm, cg, base)
        check_proc_guard(vm)
        check_stop_start(vm, service_cgroup(vm) or cg)
        measure_all(vm, service_cgroup(vm) or cg)
        mark = len(vm.console)
        vm.send("keelctl reboot\n")
        vm.wait_for(re.compile(rb"reboot: Restarting system"), T, mark)
        vm.wait_ready(T * 2, mark)
        rc, out = run(vm, f"{CTR} image ls -q && {CTR} run --rm {IMG} c4 echo after-reboot")
        tap(rc == 0 and IMG in out.split() and out.endswith("after-reboot"),
            "after a reboot the image is still there (data disk) and runs", f"rc {rc}: {out}")


USED = "awk '/MemTotal/ {t = $2} /MemAvailable/ {a = $2} END {print int((t - a) / 1024)}' /proc/meminfo"


def measure_memory(vm, cg):
    """containerd idle: its cgroup's memory.current, and the guest's used
    memory (MemTotal - MemAvailable) with it running and stopped."""
    rc, out = run(vm, f"sleep 5; cat /sys/fs/cgroup{cg}/memory.current; {USED}; "
                      f"keelctl stop containerd >/dev/null; sleep 3; {USED}; "
                      f"keelctl start containerd >/dev/null && {READY}")
    v = out.split()
    if rc == 0 and len(v) == 3:
        print(f"# measure containerd idle: memory.current {int(v[0]) >> 20} MiB; guest used "
              f"(MemTotal-MemAvailable) {v[1]} MiB with it, {v[2]} MiB without", flush=True)
    tap(rc == 0 and len(v) == 3, "containerd's idle memory measured (and it restarts)", out)


def measure_all(vm, cg):
    measure_memory(vm, cg)
    shim = measure(vm, "runc-shim")
    runc = add_runc(vm) and measure(vm, "runc 1.1.5", "--runc-binary /data/runc")
    tap(bool(shim), "ctr run to first output measured with runc-shim", "")
    tap(bool(runc), "and with Debian's runc in the same boot", "")


def test_image(tmp):
    """build/image (containerd.sqfs attached by keelvm) plus, for the
    comparison only, Debian's runc and libseccomp as one more archive."""
    extra = os.path.join(tmp, "extra")
    cmp_dir = os.path.join(extra, "runc-cmp")
    os.makedirs(cmp_dir)
    shutil.copy2("/usr/sbin/runc", os.path.join(cmp_dir, "runc"))
    shutil.copy2(os.path.realpath("/lib/x86_64-linux-gnu/libseccomp.so.2"),
                 os.path.join(cmp_dir, "libseccomp.so.2"))
    img = os.path.join(tmp, "img")
    os.makedirs(img)
    cpio = subprocess.run(f"cd {extra} && find . | LC_ALL=C sort | "
                          "cpio -o -H newc --owner 0:0 --quiet | gzip -1",
                          shell=True, check=True, capture_output=True).stdout
    with open(os.path.join(img, "initramfs.cpio.gz"), "wb") as out:
        with open(os.path.join(IMAGE, "initramfs.cpio.gz"), "rb") as base:
            shutil.copyfileobj(base, out)
        out.write(cpio)
    for f in os.listdir(IMAGE):
        if not os.path.exists(os.path.join(img, f)) and f not in ("root", "initramfs.cpio"):
            os.symlink(os.path.join(IMAGE, f), os.path.join(img, f))
    return img


def no_image_boot():
    """Without containerd.sqfs: the boot goes on, containerd is held with
    the reason, the other services run."""
    with keelvm.VM(IMAGE, system="none") as vm:
        vm.wait_ready(T)
        rc, out = run(vm, "keelctl status")
        line = next((x for x in out.splitlines() if x.startswith("containerd ")), "")
        tap("missing its image: serial:keel-containerd" in line,
            "without containerd.sqfs: keelctl status says containerd is missing its image", out)
        states = re.findall(r"^(\S+)\s+service\s+(\S+)", out, re.M)
        tap(all(st == "ready" for n, st in states if n != "containerd") and len(states) > 1,
            "and the other services are ready", out)


def main():
    if not os.path.exists(os.path.join(IMAGE, "containerd.sqfs")):
        print("not ok - image has containerd.sqfs (run make image)")
        return 1
    tmp = tempfile.mkdtemp(prefix="keel-ctd.")
    try:
        disk = keelvm.ensure_disk(os.path.join(tmp, "data.img"), 512 << 20)
        first_boot(disk, test_image(tmp))
        no_image_boot()
    except keelvm.Timeout as e:
        tap(False, f"containerd session completes (timeout: {e})")
        for line in open(os.path.join(tmp, "console.log"), errors="replace").read().splitlines()[-25:]:
            print("#   " + line)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
