#!/usr/bin/env python3
"""System images mounted by PID 1's disk worker (issue #11; docs/image.md
#system-images). The test builds its own: a squashfs with a static busybox
and a file, attached as a virtio disk with serial keel-imgtest, and a
test-only service `imgtest` whose root is the image's mount point, added to
build/image's initramfs with an `image` line in /etc/keel/mounts (and
squashfs.ko in the module list if the image lacks it). Boot 1: mounted
ro,nodev,nosuid, the service runs from it. Boot 2, no such disk, boot 3, a
disk of random bytes, and boot 4, a squashfs whose tables are zeroed: boot
goes on, the other services run, imgtest is held with the reason in keelctl
status, status --json, inspect and start."""
import json
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
SHIM = os.path.join(ROOT, "build/bin/runc-shim")
LINE = "image serial:keel-imgtest /system/imgtest squashfs imgtest"
HELLO = "hello from the system image"


def squashfs(tmp):
    """The image: busybox (static) with sh, cat, sleep; /hello; the mount
    points of runc-shim's default spec (the root is read-only)."""
    src = os.path.join(tmp, "sysroot")
    for d in ("bin", "proc", "dev", "sys", "tmp", "etc"):
        os.makedirs(os.path.join(src, d), exist_ok=True)
    shutil.copy(shutil.which("busybox"), os.path.join(src, "bin/busybox"))
    for a in ("sh", "cat", "sleep"):
        os.symlink("busybox", os.path.join(src, "bin", a))
    with open(os.path.join(src, "hello"), "w") as f:
        f.write(HELLO + "\n")
    out = os.path.join(tmp, "imgtest.sqfs")
    subprocess.run(["mksquashfs", src, out, "-all-root", "-noappend", "-quiet", "-no-progress"], check=True)
    return out


def modules_line(extra):
    """squashfs.ko in the module list: the image's, or added here."""
    with open(os.path.join(IMAGE, "root/etc/keel/modules")) as f:
        mods = f.read()
    if "/squashfs.ko" in mods:
        return "in the image's module list"
    kdir = re.search(r"^(/lib/modules/[^/]+)/", mods, re.M).group(1)
    ko = kdir + "/kernel/fs/squashfs/squashfs.ko"
    os.makedirs(os.path.dirname(extra + ko), exist_ok=True)
    shutil.copy(ko, extra + ko)
    os.makedirs(os.path.join(extra, "etc/keel"), exist_ok=True)
    with open(os.path.join(extra, "etc/keel/modules"), "w") as f:
        f.write(mods + ko + "\n")
    return "added by the test (the image has none yet)"


def bundle(extra):
    b = os.path.join(extra, "containers/services/imgtest")
    os.makedirs(os.path.join(b, "rootfs"))   # specdir wants one; root.path is the image
    subprocess.run([SHIM, "spec", "--bundle", b], check=True)
    with open(os.path.join(b, "config.json")) as f:
        spec = json.load(f)
    spec["root"] = {"path": "/system/imgtest", "readonly": True}
    spec["process"]["args"] = ["/bin/sh", "-c", "cat /hello; exec sleep 100000"]
    with open(os.path.join(b, "config.json"), "w") as f:
        json.dump(spec, f)


def test_image(tmp):
    """build/image's initramfs plus one more archive: the bundle, the
    mount table with the image line, perhaps squashfs.ko."""
    extra, img = os.path.join(tmp, "extra"), os.path.join(tmp, "img")
    os.makedirs(os.path.join(extra, "etc/keel"))
    os.makedirs(img)
    how = modules_line(extra)
    bundle(extra)
    with open(os.path.join(IMAGE, "root/etc/keel/mounts")) as f:
        table = f.read()
    with open(os.path.join(extra, "etc/keel/mounts"), "w") as f:
        f.write(table + LINE + "\n")
    names = subprocess.run("find . | LC_ALL=C sort", shell=True, cwd=extra, check=True,
                           capture_output=True).stdout
    cpio = subprocess.run(["cpio", "-o", "-H", "newc", "--owner", "0:0", "--quiet"], cwd=extra,
                          input=names, check=True, capture_output=True).stdout
    with open(os.path.join(IMAGE, "initramfs.cpio.gz"), "rb") as f:
        base = f.read()
    with open(os.path.join(img, "initramfs.cpio.gz"), "wb") as f:
        f.write(base + subprocess.run(["gzip", "-1"], input=cpio, check=True,
                                      capture_output=True).stdout)
    os.symlink(os.path.join(IMAGE, "vmlinuz"), os.path.join(img, "vmlinuz"))
    return img, how


def drive(path):
    return ["-drive", f"file={path},if=none,id=sysimg,format=raw,readonly=on",
            "-device", "virtio-blk-pci,drive=sysimg,serial=keel-imgtest"]


def boot_good(img, sqfs):
    with keelvm.VM(img, extra=drive(sqfs)) as vm:
        vm.wait_ready(120)
        rc, out = vm.run("grep ' /system/imgtest ' /proc/mounts", 20)
        opts = out.split()[3].split(",") if rc == 0 and len(out.split()) > 3 else []
        tap(rc == 0 and out.split()[2] == "squashfs" and "ro" in opts and "nodev" in opts
            and "nosuid" in opts and "noexec" not in opts,
            "the image is mounted squashfs ro,nodev,nosuid (exec allowed) on /system/imgtest", out)
        rc, out = vm.run("for i in $(seq 40); do keelctl logs imgtest | grep -q 'hello from' "
                         "&& break; sleep 0.5; done; keelctl status imgtest; keelctl logs imgtest",
                         40)
        tap(re.search(r"^imgtest\s+service\s+(running|ready)\b", out, re.M) is not None
            and HELLO in out, "imgtest runs from its image (its /hello in its log)", out)
        text = vm.console.decode(errors="replace")
        tap("image: /dev/vd" in text and "mounted read-only on /system/imgtest" in text,
            "one boot line says the image is mounted", text[-1200:])


def boot_held(img, extra, reason, what):
    with keelvm.VM(img, extra=extra) as vm:
        vm.wait_ready(120)
        rc, out = vm.run("keelctl status", 20)
        row = re.search(r"^imgtest\s.*$", out, re.M)
        row = row.group(0) if row else ""
        tap(re.search(r"\bfailed\b", row) is not None and reason in row,
            f"{what}: boot goes on; keelctl status holds imgtest: {row.split('  ')[-1].strip()}",
            out)
        tap(re.search(r"^httpd\s+service\s+(running|ready)\b", out, re.M) is not None,
            f"{what}: the other services run", out)
        rc, out = vm.run("keelctl status --json imgtest", 20)
        try:
            err = json.loads(out)[0]["error"]
        except (ValueError, IndexError, KeyError, TypeError):
            err = ""
        tap(reason in err, f"{what}: status --json error field has the reason", out)
        rc, out = vm.run("keelctl inspect imgtest; keelctl start imgtest", 20)
        tap(rc != 0 and out.count(reason) == 2,
            f"{what}: inspect and start name the reason; start refuses", out)
        text = vm.console.decode(errors="replace")
        tap(re.search(r"imgtest: missing its image: serial:keel-imgtest: [^\r\n]*not started",
                      text) is not None, f"{what}: one boot line names the service and why",
            text[-1200:])


def main():
    if not os.path.exists(os.path.join(IMAGE, "initramfs.cpio.gz")):
        print("ok - QEMU system images # SKIP no build/image (run make image)")
        return 0
    if not shutil.which("mksquashfs"):
        tap(False, "mksquashfs installed (mk/deps.sh: squashfs-tools)")
        return 1
    tmp = tempfile.mkdtemp(prefix="keel-imgmount.")
    try:
        sqfs = squashfs(tmp)
        img, how = test_image(tmp)
        tap(True, f"test image built: imgtest bundle, image line, squashfs.ko {how}")
        boot_good(img, sqfs)
        boot_held(img, [], "missing its image: serial:keel-imgtest: no such disk", "no disk")
        junk = os.path.join(tmp, "junk.img")
        with open(junk, "wb") as f:
            f.write(os.urandom(1 << 20))
        boot_held(img, drive(junk), "missing its image: serial:keel-imgtest: not a squashfs image",
                  "random bytes")
        bad = os.path.join(tmp, "corrupt.sqfs")   # its superblock kept, the rest zeroed
        with open(sqfs, "rb") as f, open(bad, "wb") as g:
            data = f.read()
            g.write(data[:96] + bytes(len(data) - 96))
        boot_held(img, drive(bad), "a corrupt image?", "a corrupt squashfs")
    except keelvm.Timeout as e:
        tap(False, f"timed out waiting for {e}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
