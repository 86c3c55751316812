#!/usr/bin/env python3
"""Init benchmark: keel's init side by side with tini and busybox init.

1. Boot under QEMU TCG, same kernel and modules: keel's image with an empty
   /containers (time to "keel: ready") vs busybox init as /sbin/init with an
   inittab that mounts proc/sys/dev, insmods the same /etc/keel/modules list
   and echoes a marker (time to the marker). Median of N boots; initramfs sizes.
2. PID 1 in a PID namespace on the host: keel vs tini-static vs busybox init.
   Idle RSS, and the time (and PID 1's CPU time) to reap a storm of 2000
   orphans: a child forks 2000 grandchildren that exit when it exits, so all
   are reparented to PID 1.
3. Static binary sizes.
Timings are printed, never asserted. Exit 1 only when a part could not run.
Usage: tests/bench/init.sh [N]   (default 5 boots / storms each; needs make image)
"""
import os
import re
import selectors
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMG = os.path.join(ROOT, "build/image")
INIT = os.path.join(ROOT, "build/bin/init")
BUSYBOX = os.path.join(IMG, "root/bin/busybox")
TINI = "/usr/bin/tini-static"
ORPHANS = 2000
CMDLINE = "console=ttyS0 panic=-1 quiet"
# Per variant: when init started and when it was ready, as (regex, ms per
# unit of group 1) on the console; guest clock (CLOCK_BOOTTIME / uptime).
VARIANTS = {
    "keel": {"title": "keel, no services ('keel: ready')",
             "start": (re.compile(rb"\[\s*(\d+\.\d+)\] keel: "), 1000),
             "ready": (re.compile(rb"keel: ready in (\d+) ms\r?\n"), 1)},
    "bb": {"title": "busybox init (marker)",
           "start": (re.compile(rb"bbinit: start (\d+\.\d+)\r?\n"), 1000),
           "ready": (re.compile(rb"bbinit: ready (\d+\.\d+)\r?\n"), 1000)},
}

# sysinit of the busybox image: what keel does before "ready" with no
# services, minus cgroups/loopback/hostname. Module paths as keel reads them.
BB_SYSINIT = r"""#!/bin/sh
mount -t proc -o nosuid,nodev,noexec proc /proc
echo "bbinit: start $(cut -d' ' -f1 /proc/uptime)"
mount -t sysfs -o nosuid,nodev,noexec sysfs /sys
mount -t devtmpfs -o nosuid devtmpfs /dev
sed 's/#.*//' /etc/keel/modules | while read -r m; do
	[ -n "$m" ] || continue
	case $m in /*) ;; *) m=/lib/modules/$m ;; esac
	insmod "$m" || echo "bbinit: insmod $m failed"
done
echo "bbinit: ready $(cut -d' ' -f1 /proc/uptime)"
"""
BB_INITTAB = "::sysinit:/etc/bb-sysinit\n"
# The host run: nothing to start, PID 1 only reaps.
HOST_INITTAB = "::sysinit:/bin/true\n"

# Storm parent: forks N children blocked on a pipe whose only write end it
# holds, then exits; its exit wakes them all, already reparented to PID 1.
STORM_C = r"""
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	int p[2], n = argc == 3 ? atoi(argv[1]) : 0;
	struct timespec ts;
	FILE *f;
	char c;
	if (n <= 0 || pipe2(p, O_CLOEXEC) < 0)
		return 1;
	for (int i = 0; i < n; i++) {
		pid_t k = fork();
		if (k < 0)
			return 1;
		if (k == 0) {
			close(p[1]);
			(void)!read(p[0], &c, 1);
			_exit(0);
		}
	}
	/* CLOCK_MONOTONIC is the host's too: the time its exit begins. */
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0 || !(f = fopen(argv[2], "we")))
		return 1;
	fprintf(f, "%lld.%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
	return fclose(f) ? 1 : 0;
}
"""

procs = []      # every Popen we start: killed by PID in cleanup()
failures = []   # parts that could not run at all


def cleanup():
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()


def med(xs):
    return statistics.median(xs) if xs else None


def fmt(v, spec="%.3f"):
    return spec % v if v is not None else "n/a"


def ratio(a, b):
    return "%.2fx" % (a / b) if a is not None and b else "n/a"


def run(argv, **kw):
    return subprocess.run(argv, check=True, timeout=120, **kw)


# ---------------------------------------------------------------- images

def make_variant(tmp, name):
    """Copies the image root (cp -a keeps links) and empties /containers."""
    root = os.path.join(tmp, name)
    run(["cp", "-a", os.path.join(IMG, "root"), root])
    shutil.rmtree(os.path.join(root, "containers"))
    os.mkdir(os.path.join(root, "containers"))
    return root


def make_busybox_root(root):
    for f in ("init", "sbin/init", "sbin/keelctl", "sbin/runc-shim"):
        if os.path.lexists(os.path.join(root, f)):
            os.unlink(os.path.join(root, f))
    os.rmdir(os.path.join(root, "containers"))
    os.symlink("../bin/busybox", os.path.join(root, "sbin/init"))
    os.symlink("bin/busybox", os.path.join(root, "init"))
    with open(os.path.join(root, "etc/inittab"), "w") as f:
        f.write(BB_INITTAB)
    with open(os.path.join(root, "etc/bb-sysinit"), "w") as f:
        f.write(BB_SYSINIT)
    os.chmod(os.path.join(root, "etc/bb-sysinit"), 0o755)


def pack(root, base):
    """Packs like rootfs/mkimage.sh into base.cpio and base.cpio.gz;
    returns their sizes."""
    names = subprocess.run(["find", "."], cwd=root, check=True, capture_output=True,
                           timeout=60).stdout
    names = b"\n".join(sorted(names.split())) + b"\n"
    with open(base + ".cpio", "wb") as f:
        subprocess.run(["cpio", "-o", "-H", "newc", "--owner", "0:0", "--reproducible",
                        "--quiet"], cwd=root, input=names, stdout=f, check=True, timeout=60)
    with open(base + ".cpio.gz", "wb") as f:
        run(["gzip", "-9", "-n", "-c", base + ".cpio"], stdout=f)
    return os.path.getsize(base + ".cpio"), os.path.getsize(base + ".cpio.gz")


def guest_ms(out, what):
    regex, scale = what
    m = regex.search(out)
    return float(m.group(1)) * scale if m else None


def boot(initrd, var, timeout=90):
    """One TCG boot; returns (wall s from QEMU start to ready, guest ms at
    ready, guest ms at init start) or None."""
    argv = ["qemu-system-x86_64", "-nographic", "-no-reboot", "-nic", "none", "-m", "256",
            "-kernel", os.path.join(IMG, "vmlinuz"), "-initrd", initrd, "-append", CMDLINE]
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    procs.append(p)
    out = bytearray()
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    try:
        while time.monotonic() - t0 < timeout:
            if not sel.select(0.5):
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
            ready = guest_ms(out, var["ready"])
            if ready is not None:
                return time.monotonic() - t0, ready, guest_ms(out, var["start"])
        tail = out[-200:].decode(errors="replace").strip()
        print("# boot %s: no ready line; console ends: %s" % (os.path.basename(initrd), tail))
        return None
    finally:
        sel.close()
        p.kill()
        p.wait()
        p.stdout.close()


def summary(rs):
    """Medians over a variant's boots: wall s, guest ms at ready, guest ms
    from init's start to ready; and how many boots got there."""
    rs = [r for r in rs if r]
    own = [r[1] - r[2] for r in rs if r[2] is not None]
    return {"ok": len(rs), "wall": med([r[0] for r in rs]), "guest": med([r[1] for r in rs]),
            "own": med(own)}


def bench_boot(tmp, n):
    for need in (os.path.join(IMG, "vmlinuz"), BUSYBOX, os.path.join(IMG, "root/sbin/init")):
        if not os.path.exists(need):
            failures.append("boot: no %s (make image)" % need)
            return
    if not shutil.which("qemu-system-x86_64"):
        failures.append("boot: qemu-system-x86_64 not installed")
        return
    make_variant(tmp, "keel")
    make_busybox_root(make_variant(tmp, "bb"))
    res = {v: dict(zip(("cpio", "gz"), pack(os.path.join(tmp, v), os.path.join(tmp, v))))
           for v in VARIANTS}
    # Interleaved, so both variants see the same (shared, noisy) host load.
    rs = [[boot(os.path.join(tmp, v + ".cpio.gz"), VARIANTS[v]) for v in VARIANTS]
          for _ in range(n)]
    for i, v in enumerate(VARIANTS):
        res[v].update(summary([r[i] for r in rs]))
    print("# boot under QEMU TCG (1 vCPU, -nic none, same kernel + modules), median of %d,"
          " interleaved" % n)
    print("%-34s %5s %8s %9s %9s %10s %10s" % ("init", "boots", "wall s", "guest ms",
                                              "init ms", "initramfs", "gzip"))
    for v, r in res.items():
        print("%-34s %5d %8s %9s %9s %10d %10d" % (VARIANTS[v]["title"], r["ok"], fmt(r["wall"]),
              fmt(r["guest"], "%.0f"), fmt(r["own"], "%.0f"), r["cpio"], r["gz"]))
    k, b = res["keel"], res["bb"]
    print("ratio keel/busybox: wall %s, guest %s, init ms %s, initramfs gzip %s" % (
        ratio(k["wall"], b["wall"]), ratio(k["guest"], b["guest"]), ratio(k["own"], b["own"]),
        ratio(k["gz"], b["gz"])))
    print("(wall: QEMU start to the ready line; guest ms: guest clock at it; init ms: from\n"
          " init's first line to it -- busybox's first line comes from its sysinit shell\n"
          " once /proc is mounted, 10 ms resolution; keel's initramfs also holds runc-shim)")
    if not k["ok"] or not b["ok"]:
        failures.append("boot: a variant never reached its ready line")


# ---------------------------------------------------------------- PID 1

def children(pid):
    """Host PIDs of pid's children (zombies included: they stay listed)."""
    kids = set()
    try:
        for t in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, t)) as f:
                kids.update(int(k) for k in f.read().split())
    except OSError:
        pass
    return kids


def status_kb(pid, key):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_s(pid):
    """CPU time pid has run, all threads (schedstat: ns on CPU)."""
    total = 0
    for t in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/schedstat" % (pid, t)) as f:
            total += int(f.read().split()[0])
    return total / 1e9


def start_pid1(argv, exe, timeout=5.0):
    """unshare --fork ARGV; returns (unshare Popen, host PID of the ns's PID 1)
    once PID 1 runs exe (busybox is exec'd by a shell first)."""
    u = subprocess.Popen(["unshare", "--pid", "--mount", "--fork"] + argv,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    procs.append(u)
    want = os.path.realpath(exe)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and u.poll() is None:
        for k in children(u.pid):
            try:
                if os.readlink("/proc/%d/exe" % k) == want:
                    return u, k
            except OSError:
                pass
        time.sleep(0.01)
    return u, None


def storm(storm_bin, pid1, baseline):
    """(s from the storm's start, s from its parent's exit) to the last
    orphan reaped, and PID 1's CPU s meanwhile; or None. Reaped = no child
    of PID 1 but the baseline (zombies stay listed until PID 1 waits)."""
    stamp = storm_bin + ".exit"
    cpu0 = cpu_s(pid1)
    t0 = time.monotonic()
    subprocess.run(["nsenter", "-t", str(pid1), "-p", storm_bin, str(ORPHANS), stamp],
                   stdout=subprocess.DEVNULL, check=True, timeout=60)
    with open(stamp) as f:
        t1 = float(f.read())
    while time.monotonic() - t0 < 60:
        if not children(pid1) - baseline:
            t2 = time.monotonic()
            return t2 - t0, t2 - t1, cpu_s(pid1) - cpu0
        time.sleep(0.001)
    return None


def stop_pid1(u, pid1):
    for pid, sig, wait in ((pid1, signal.SIGTERM, 5), (pid1, signal.SIGKILL, 5),
                           (u.pid, signal.SIGKILL, 5)):
        if pid is not None and u.poll() is None:
            try:
                os.kill(pid, sig)
                u.wait(wait)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def measure_pid1(name, argv, exe, storm_bin, n):
    u, pid1 = start_pid1(argv, exe)
    try:
        if pid1 is None:
            return {"name": name, "error": "did not start as PID 1"}
        time.sleep(0.5)   # let it settle into its idle loop
        rss = status_kb(pid1, "VmRSS")
        baseline = children(pid1)
        times = [storm(storm_bin, pid1, baseline) for _ in range(n)]
        if None in times:
            return {"name": name, "error": "orphans not reaped within 60 s"}
        return {"name": name, "rss": rss, "hwm": status_kb(pid1, "VmHWM"),
                "total": med([t[0] for t in times]), "reap": med([t[1] for t in times]),
                "cpu": med([t[2] * 1000 for t in times])}
    finally:
        stop_pid1(u, pid1)


def bench_pid1(tmp, n):
    for need, what in ((INIT, "make"), (TINI, "apt-get install tini"), (BUSYBOX, "make image")):
        if not os.access(need, os.X_OK):
            failures.append("pid1: no %s (%s)" % (need, what))
            return
    cc = shutil.which("musl-gcc") or shutil.which("cc")
    missing = [t for t, ok in (("unshare", shutil.which("unshare")),
                               ("nsenter", shutil.which("nsenter")), ("a C compiler", cc)) if not ok]
    if missing:
        failures.append("pid1: not installed: " + ", ".join(missing))
        return
    storm_bin = os.path.join(tmp, "storm")
    with open(storm_bin + ".c", "w") as f:
        f.write(STORM_C)
    run([cc, "-O2", "-static", "-o", storm_bin, storm_bin + ".c"])
    spec, etc = os.path.join(tmp, "spec"), os.path.join(tmp, "etc")
    os.mkdir(spec)
    os.mkdir(etc)
    with open(os.path.join(etc, "inittab"), "w") as f:
        f.write(HOST_INITTAB)
    # busybox init only reads /etc/inittab: bind ours over /etc in its mount ns.
    bb_argv = ["/bin/sh", "-c", 'mount --bind "$1" /etc && exec "$2" init', "sh", etc, BUSYBOX]
    rows = [measure_pid1("tini-static", [TINI, "--", "sleep", "infinity"], TINI, storm_bin, n),
            measure_pid1("keel init", [INIT, "keel.container=1", "keel.specdir=" + spec],
                         INIT, storm_bin, n),
            measure_pid1("busybox init", bb_argv, BUSYBOX, storm_bin, n)]
    print("# PID 1 in a PID namespace on the host; storm of %d orphans, median of %d"
          % (ORPHANS, n))
    print("%-13s %11s %7s %8s %7s %7s %9s %10s %9s" % (
        "init", "idle RSS kB", "HWM kB", "storm s", "reap s", "CPU ms", "RSS/tini",
        "reap/tini", "CPU/tini"))
    tini = rows[0]
    for r in rows:
        if "error" in r:
            print("%-13s n/a: %s" % (r["name"], r["error"]))
            continue
        print("%-13s %11d %7d %8.3f %7.3f %7.1f %9s %10s %9s" % (
            r["name"], r["rss"], r["hwm"], r["total"], r["reap"], r["cpu"],
            ratio(r["rss"], tini.get("rss")), ratio(r["reap"], tini.get("reap")),
            ratio(r["cpu"], tini.get("cpu"))))
    print("(storm s: storm start (2000 forks) to no orphan left as a child of PID 1;\n"
          " reap s: from the storm parent's exit (its own CLOCK_MONOTONIC stamp);\n"
          " CPU ms: PID 1's own CPU time per storm (schedstat); tini also has its sleep child)")
    for r in rows[:2]:
        if "error" in r:
            failures.append("pid1: %s %s" % (r["name"], r["error"]))


def bench_sizes():
    sz = [(name, os.path.getsize(p)) for name, p in
          (("keel init", INIT), ("tini-static", TINI), ("busybox", BUSYBOX)) if os.path.exists(p)]
    print("# static binaries (bytes): " + ", ".join("%s %d" % s for s in sz))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    tmp = tempfile.mkdtemp(prefix="keel-bench-init.")
    try:
        bench_boot(tmp, n)
        bench_pid1(tmp, n)
        bench_sizes()
    except (subprocess.SubprocessError, OSError) as e:
        failures.append("%s" % e)
    finally:
        cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("bench init: could not run: %s" % f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
