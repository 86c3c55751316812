#!/usr/bin/env python3
"""Turns services/NAME/ folders into OCI bundles under /containers.

The secure defaults live in ONE place: `runc-shim spec`. Each service folder
holds `sandbox` (only what differs from the defaults, one `key = value  # why`
per line), an optional `service.conf` (init's supervision policy, copied
verbatim) and an optional `files/` tree copied into its rootfs. Bundles share
content through hard links (busybox, libraries), so the initramfs stores it
once. See docs/services.md for the keys.
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
UID_BASE = 100000   # first host uid/gid of the per-service ranges
UID_SIZE = 65536    # one full 16-bit range per service, as rootless podman
UID_SLOTS = 65000   # ranges below 2^32; a service's slot comes from its name
# Keys a line of `sandbox` may hold, each with a check of its value (a regex
# for the whole value); `MULTI` ones may repeat.
KEYS = {
    "onboot": r"\d\d", "args": r".+", "env": r"[A-Za-z_][A-Za-z0-9_]*=.*", "cwd": r"/.*",
    "user": r"\d+(:\d+)?", "applets": r"[\w .-]+", "bin": r"\S+ /\S+",
    "net": r"host", "pid": r"host", "userns": r"host", "caps": r"none|CAP_[A-Z_]+( CAP_[A-Z_]+)*",
    "state": r"/\S+( [A-Za-z0-9][A-Za-z0-9._-]*)?", "bind": r"/\S+ /\S+ (ro|rw)( r?(shared|slave|private))?",
    "tmpfs": r"/\S+", "unmask": r"/\S+", "seccomp": r"none", "syscalls": r"[a-z0-9_ ]+",
    "memory": r"\d+", "pids": r"\d+", "hostname": r"[A-Za-z0-9-]+",
    "disk": r"/dev/[a-z0-9]+ /\S+ ext4 [a-z]+(,[a-z]+)*", "rundir": r"/run/[\w./-]+",
    "uids": r"[1-9]\d?", "cgroup": r"delegate",
    "image": r"(serial:[A-Za-z0-9._-]{1,20}|/dev/[a-z0-9]+) /[\w./-]+",
}
MULTI = {"env", "bin", "state", "bind", "tmpfs", "unmask", "rundir"}
FORMAT_DIR = "/dev/keel-format"   # init/datadisk.h: PID 1 puts a blank disk's node there


class BadService(Exception):
    pass


class NoSpec(Exception):
    """runc-shim cannot print its defaults (not built yet): exit status 3."""


def parse_sandbox(path):
    """Reads a sandbox file into {key: value or [values]}; strict."""
    conf = {}
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            key, sep, val = (s.strip() for s in line.partition("="))
            if not sep or key not in KEYS:
                raise BadService(f"{path}:{n}: bad line (want one of {sorted(KEYS)} = value)")
            if not re.fullmatch(KEYS[key], val):
                raise BadService(f"{path}:{n}: {key}: bad value '{val}'")
            if key in MULTI:
                conf.setdefault(key, []).append(val)
            elif key in conf:
                raise BadService(f"{path}:{n}: {key}: given twice")
            else:
                conf[key] = val
    if "args" not in conf:
        raise BadService(f"{path}: args: missing")
    return conf


class Rootfs:
    """Fills one bundle rootfs, hard-linking content shared between bundles."""
    shared = {}   # source path -> first installed copy

    def __init__(self, path):
        self.path = path
        for d in ("bin", "sbin", "etc", "proc", "sys", "dev", "tmp", "run", "data"):
            os.makedirs(os.path.join(path, d), exist_ok=True)

    def install(self, src, dest):
        out = os.path.join(self.path, dest.lstrip("/"))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        if os.path.lexists(out):
            return
        first = Rootfs.shared.get(src)
        if first:
            os.link(first, out)
        else:
            shutil.copy2(src, out)
            Rootfs.shared[src] = out

    def applets(self, busybox, names):
        self.install(busybox, "/bin/busybox")
        for a in names:
            link = os.path.join(self.path, "bin", a)
            if not os.path.lexists(link):
                os.symlink("busybox", link)

    def binary(self, src, dest):
        """A host file; for a dynamic ELF binary also its ELF interpreter and
        the shared libraries ldd names, each at the path ldd gives."""
        self.install(src, dest)
        with open(src, "rb") as f:
            if f.read(4) != b"\x7fELF":
                return
        out = subprocess.run(["ldd", src], capture_output=True, text=True).stdout
        for tok in out.split():
            if tok.startswith("/"):
                self.install(os.path.realpath(tok), tok)

    def mount_points(self, mounts, image_root):
        """Our rootfs is read-only to the container (owned by host root):
        every mount point must already exist, a file for a file bind."""
        for m in mounts:
            out = os.path.join(self.path, m["destination"].lstrip("/"))
            if os.path.lexists(out):
                continue
            src = os.path.join(image_root, m.get("source", "").lstrip("/"))
            if m.get("type") == "bind" and os.path.isfile(src):
                os.makedirs(os.path.dirname(out), exist_ok=True)
                open(out, "w").close()
            else:
                os.makedirs(out)

    def files(self, tree):
        if os.path.isdir(tree):
            shutil.copytree(tree, self.path, symlinks=True, dirs_exist_ok=True)


def caps_block(caps, uid):
    """The declared caps. Ambient (and so inheritable, which ambient needs)
    only for a non-root process: root keeps them across exec anyway, and an
    empty inheritable set is the safe default (CVE-2022-24769)."""
    c = caps.split() if caps != "none" else []
    block = {k: list(c) for k in ("bounding", "effective", "permitted")}
    for k in ("inheritable", "ambient"):
        block[k] = list(c) if uid != 0 else []
    return block


def bind(src, dest, mode, extra=()):
    return {"destination": dest, "type": "bind", "source": src,
            "options": ["rbind", "nosuid", "nodev", mode, *extra]}


def uid_slot(name):
    """A service's host uid range depends on its name only, so adding a
    service never changes the owner of another's files on the data disk."""
    return zlib.crc32(name.encode()) % UID_SLOTS + 1


def uid_blocks(conf):
    """`uids = K`: K consecutive 65536-id blocks (a nested runtime hands the
    blocks after its first to its own containers)."""
    return int(conf.get("uids", "1"))


def check_uid_ranges(confs):
    """Each service owns slots [slot, slot + K): no two may overlap."""
    owner = {}
    for name, conf in confs.items():
        first = uid_slot(name)
        if first + uid_blocks(conf) > UID_SLOTS + 1:
            raise BadService(f"{name}: uids: range runs past the last slot")
        for s in range(first, first + uid_blocks(conf)):
            if s in owner:
                raise BadService(f"{name} and {owner[s]} share a uid range slot: rename one")
            owner[s] = name


def apply_namespaces(spec, conf, name):
    lx = spec["linux"]
    drop = set()
    if conf.get("net") == "host":
        drop.add("network")
    if conf.get("pid") == "host":
        drop.add("pid")
    if conf.get("userns") == "host":
        drop.add("user")
        lx.pop("uidMappings", None)
        lx.pop("gidMappings", None)
    else:
        host = UID_BASE + uid_slot(name) * UID_SIZE
        m = [{"containerID": 0, "hostID": host, "size": UID_SIZE * uid_blocks(conf)}]
        lx["uidMappings"], lx["gidMappings"] = m, [dict(m[0])]
    lx["namespaces"] = [n for n in lx.get("namespaces", []) if n["type"] not in drop]


def state_dirs(conf, name):
    """`state = DEST [HOST]`: /data/HOST (default: the service's name)."""
    for s in conf.get("state", []):
        dest, _, host = s.partition(" ")
        yield dest, host or name


def apply_mounts(spec, conf, name):
    mounts = spec.setdefault("mounts", [])
    for dest, host in state_dirs(conf, name):
        mounts.append(bind(f"/data/{host}", dest, "rw"))
    for b in conf.get("bind", []):
        src, dest, mode, *prop = b.split()
        mounts.append(bind(src, dest, mode, prop))
    for r in conf.get("rundir", []):
        mounts.append(bind(r, r, "rw"))
    if "disk" in conf:
        # The one node PID 1 hands over (only when the disk is blank); no
        # nodev here, and the device cgroup lets block devices through.
        mounts.append({"destination": "/dev/disk", "type": "bind", "source": FORMAT_DIR,
                       "options": ["rbind", "nosuid", "noexec", "ro"]})
        spec["linux"].setdefault("resources", {})["devices"] = [
            {"allow": False, "access": "rwm"}, {"allow": True, "type": "b", "access": "rw"}]
    for t in conf.get("tmpfs", []):
        mounts.append({"destination": t, "type": "tmpfs", "source": "tmpfs",
                       "options": ["nosuid", "nodev", "noexec", "mode=1777", "size=4m"]})


def apply_limits(spec, conf):
    res = spec["linux"].setdefault("resources", {})
    if "memory" in conf:
        res.setdefault("memory", {})["limit"] = int(conf["memory"]) * 1024 * 1024
    if "pids" in conf:
        res.setdefault("pids", {})["limit"] = int(conf["pids"])


def delegate_cgroup(spec):
    """A read-write cgroup2 mount of its own cgroup namespace: with a user
    and a cgroup namespace, runc-shim then hands the cgroup's delegation
    files to the container's root (runc's rule), so it can make child
    cgroups with limits below its own and nowhere else."""
    for m in spec.get("mounts", []):
        if m["destination"] == "/sys/fs/cgroup":
            m["options"] = [o for o in m["options"] if o != "ro"] + ["rw"]
            return
    raise BadService("cgroup = delegate: the defaults have no /sys/fs/cgroup mount")


def make_config(defaults, conf, name):
    spec = json.loads(json.dumps(defaults))
    proc = spec["process"]
    proc["args"] = shlex.split(conf["args"])
    proc["terminal"] = False
    proc["env"] = proc.get("env", []) + conf.get("env", [])
    proc["cwd"] = conf.get("cwd", "/")
    if "user" in conf:
        uid, _, gid = conf["user"].partition(":")
        proc["user"] = {"uid": int(uid), "gid": int(gid or uid)}
    if "caps" in conf:
        proc["capabilities"] = caps_block(conf["caps"], proc.get("user", {}).get("uid", 0))
    spec["hostname"] = conf.get("hostname", name)
    spec["root"] = {"path": "rootfs", "readonly": True}
    apply_namespaces(spec, conf, name)
    apply_mounts(spec, conf, name)
    apply_limits(spec, conf)
    lx = spec["linux"]
    for p in conf.get("unmask", []):
        for k in ("maskedPaths", "readonlyPaths"):
            lx[k] = [x for x in lx.get(k, []) if x != p and not x.startswith(p + "/")]
    if conf.get("cgroup") == "delegate":
        delegate_cgroup(spec)
    if conf.get("seccomp") == "none":
        lx.pop("seccomp", None)
    elif "syscalls" in conf and "seccomp" in lx:
        # Added to the default allowlist, which is otherwise left as it is.
        lx["seccomp"].setdefault("syscalls", []).append(
            {"names": conf["syscalls"].split(), "action": "SCMP_ACT_ALLOW"})
    return spec


def bundle_dir(out, name, conf):
    if "onboot" in conf:
        return os.path.join(out, "onboot", f"{conf['onboot']}-{name}")
    return os.path.join(out, "services", name)


def system_image(conf, name):
    """(DEVICE, MOUNTPOINT) of `image =`, or None. The launcher attaches
    build/image/NAME.sqfs with the virtio serial keel-NAME, so a serial
    device must be that one."""
    if "image" not in conf:
        return None
    dev, mnt = conf["image"].split()
    if dev.startswith("serial:") and dev != f"serial:keel-{name}":
        raise BadService(f"{name}: image: {dev}: want serial:keel-{name} (the disk keelvm attaches)")
    if ".." in mnt.split("/") or mnt.rstrip("/") in ("", "/containers", "/data"):
        raise BadService(f"{name}: image: {mnt}: not a mount point of its own")
    return dev, mnt


def rootfs_dir(args, name, dest, image):
    """Where the rootfs is filled: in the bundle (initramfs), or for a
    system image in --system/NAME, which rootfs/mksquash.sh packs into
    NAME.sqfs; PID 1 mounts that read-only at MOUNTPOINT (made here in
    the initramfs), the bundle's root.path and where bundle/rootfs points."""
    if not image:
        return os.path.join(dest, "rootfs")
    if not args.system:
        raise BadService(f"{name}: image = needs build.py --system DIR")
    os.makedirs(os.path.join(args.root, image[1].lstrip("/")), exist_ok=True)
    # bundle/rootfs leads there too: init checks every bundle has a rootfs/.
    os.symlink(image[1], os.path.join(dest, "rootfs"))
    return os.path.join(args.system, name)


def install_bins(root, conf, args, name):
    """`bin = SRC DEST` lines; SRC `@NAME` is one of keel's own build outputs
    (static binaries, the busybox OCI archive) rather than a host file."""
    own = {"@mke2fs": args.mke2fs, "@runc-shim": args.shim, "@busybox.oci.tar": args.oci}
    for b in conf.get("bin", []):
        s, d = b.split()
        if s.startswith("@") and not own.get(s):
            raise BadService(f"{name}: bin: {s}: not one of {sorted(own)} (or not built)")
        root.binary(own.get(s, s), d)


def build_one(args, defaults, name, table):
    src = os.path.join(args.services, name)
    conf = parse_sandbox(os.path.join(src, "sandbox"))
    dest = bundle_dir(args.out, name, conf)
    image = system_image(conf, name)
    os.makedirs(dest, exist_ok=True)
    root = Rootfs(rootfs_dir(args, name, dest, image))
    root.applets(args.busybox, conf.get("applets", "sh").split())
    install_bins(root, conf, args, name)
    root.files(os.path.join(src, "files"))
    spec = make_config(defaults, conf, name)
    if image:
        spec["root"] = {"path": image[1], "readonly": True}
    root.mount_points(spec.get("mounts", []), args.root)
    with open(os.path.join(dest, "config.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=1)
    if os.path.exists(os.path.join(src, "service.conf")):
        shutil.copy2(os.path.join(src, "service.conf"), dest)
    uid, gid = host_owner(spec)
    if uid == 0 or gid == 0:   # DESIGN.md: only PID 1 and runc-shim's setup hold host root
        raise BadService(f"{name}: would run as host root (userns = host needs user = a non-zero uid)")
    for _, host in state_dirs(conf, name):
        table.append(f"dir /data/{host} {uid} {gid} 0700")
    for r in conf.get("rundir", []):
        table.append(f"dir {r} {uid} {gid} 0755")
    if "disk" in conf:
        table.insert(0, f"disk {conf['disk']} {uid}:{gid}")
    if "image" in conf:   # mounted by PID 1's disk worker before the services start
        table.append("image {} {} squashfs {}".format(*conf["image"].split(), name))
    return dest


def host_owner(spec):
    """The host uid/gid the process runs as: through the user namespace's
    mapping when it has one."""
    user = spec["process"].get("user", {})
    ids = []
    for key, kind in (("uid", "uidMappings"), ("gid", "gidMappings")):
        m = spec["linux"].get(kind)
        ids.append(user.get(key, 0) + (m[0]["hostID"] if m else 0))
    return tuple(ids)


def service_names(services=HERE):
    return sorted(d for d in os.listdir(services)
                  if os.path.isfile(os.path.join(services, d, "sandbox")))


def default_spec(shim):
    """keel's defaults: `runc-shim spec` writes config.json into a bundle dir,
    as `runc spec` does."""
    with tempfile.TemporaryDirectory(prefix="keel-spec.") as tmp:
        r = subprocess.run([shim, "spec", "--bundle", tmp], capture_output=True, text=True)
        try:
            with open(os.path.join(tmp, "config.json"), encoding="utf-8") as f:
                spec = json.load(f)
        except (OSError, json.JSONDecodeError):
            spec = None
    if not isinstance(spec, dict) or "process" not in spec or "linux" not in spec:
        raise NoSpec(f"{shim} spec: no OCI config.json (exit {r.returncode}: {r.stderr.strip()})")
    return spec


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="the /containers folder to fill")
    ap.add_argument("--root", required=True, help="image root (etc/keel/mounts)")
    ap.add_argument("--shim", required=True)
    ap.add_argument("--busybox", required=True)
    ap.add_argument("--mke2fs", required=True)
    ap.add_argument("--system", help="where to fill the rootfs of services with an image")
    ap.add_argument("--services", default=HERE, help="the service folders (default: beside build.py)")
    ap.add_argument("--oci", help="the busybox OCI archive (rootfs/mkoci.py)")
    args = ap.parse_args()
    # The image's own busybox: every bundle hard-links it (stored once).
    Rootfs.shared[args.busybox] = args.busybox
    table_file = os.path.join(args.root, "etc/keel/mounts")
    try:
        defaults = default_spec(args.shim)
        table = []
        names = service_names(args.services)
        check_uid_ranges({n: parse_sandbox(os.path.join(args.services, n, "sandbox"))
                          for n in names})
        for name in names:
            build_one(args, defaults, name, table)
    except NoSpec as e:
        print(f"services: {e}", file=sys.stderr)
        sys.exit(3)
    except (BadService, OSError, ValueError) as e:
        sys.exit(f"services: {e}")
    # PID 1 mounts the disk and makes each dir (init/mount_table.h).
    with open(table_file, "w", encoding="utf-8") as f:
        f.write("# keel mount table, written by services/build.py (docs/image.md)\n")
        f.write("".join(d + "\n" for d in table))


if __name__ == "__main__":
    main()
