#!/usr/bin/env python3
"""services/build.py's keys for nested runtimes (no VM): `uids = K` gives K
blocks of 65536 ids and the build refuses a service whose slot falls in
another's blocks; `unmask = /proc` takes every path below /proc off the
masked and read-only lists and nothing else; `cgroup = delegate` makes the
cgroup2 mount read-write. Checked on the built containerd config.json too."""
import json
import os
import sys

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "services"), os.path.dirname(os.path.abspath(__file__))]
import build  # noqa: E402
import qtap  # noqa: E402
from qtap import tap  # noqa: E402

CONFIG = os.path.join(ROOT, "build/image/root/containers/services/containerd/config.json")


def name_in_slot(lo, hi):
    """A service name whose slot lies in [lo, hi)."""
    for i in range(1000000):
        n = f"svc{i}"
        if lo <= build.uid_slot(n) < hi:
            return n
    return None


def check_ranges():
    ctd = {"args": "x", "uids": "17"}
    try:
        build.check_uid_ranges({"containerd": ctd, "httpd": {"args": "x"}})
        tap(True, "containerd's 17 blocks clash with no other service")
    except build.BadService as e:
        tap(False, "containerd's 17 blocks clash with no other service", str(e))
    first = build.uid_slot("containerd")
    inside = name_in_slot(first + 1, first + 17)
    try:
        build.check_uid_ranges({"containerd": ctd, inside: {"args": "x"}})
        tap(False, f"a service whose slot is in containerd's blocks ({inside}) is refused")
    except build.BadService as e:
        tap("share a uid range slot" in str(e),
            f"a service whose slot is in containerd's blocks ({inside}) is refused", str(e))
    outside = name_in_slot(first + 17, first + 400)
    try:
        build.check_uid_ranges({"containerd": ctd, outside: {"args": "x"}})
        tap(True, "one just past them is not")
    except build.BadService as e:
        tap(False, "one just past them is not", str(e))


def check_config():
    if not os.path.exists(CONFIG):
        tap(False, "containerd's config.json built (run make image)", CONFIG)
        return
    with open(CONFIG, encoding="utf-8") as f:
        c = json.load(f)
    lx = c["linux"]
    want = [{"containerID": 0, "hostID": build.UID_BASE + build.uid_slot("containerd") * 65536,
             "size": 17 * 65536}]
    tap(lx["uidMappings"] == want and lx["gidMappings"] == want,
        "uids = 17: one mapping of 17 x 65536 ids from its slot", lx["uidMappings"])
    hidden = lx.get("maskedPaths", []) + lx.get("readonlyPaths", [])
    tap(not any(p.startswith("/proc/") for p in hidden) and "/sys/firmware" in hidden,
        "unmask = /proc: nothing under /proc hidden, /sys/firmware still masked", hidden)
    cg = [m for m in c["mounts"] if m["destination"] == "/sys/fs/cgroup"]
    tap(len(cg) == 1 and "rw" in cg[0]["options"] and "ro" not in cg[0]["options"],
        "cgroup = delegate: /sys/fs/cgroup mounted read-write", cg)
    ns = {n["type"] for n in lx["namespaces"]}
    tap({"user", "cgroup", "network"} <= ns, "own user, cgroup and network namespaces", ns)


def main():
    check_ranges()
    check_config()
    d = build.make_config({"process": {}, "linux": {"maskedPaths": ["/proc/kcore", "/procx"]},
                           "mounts": [{"destination": "/sys/fs/cgroup", "options": ["ro"]}]},
                          {"args": "x", "unmask": ["/proc"]}, "t")
    tap(d["linux"]["maskedPaths"] == ["/procx"], "unmask is a path prefix, not a string prefix",
        d["linux"]["maskedPaths"])
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
