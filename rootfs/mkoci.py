#!/usr/bin/env python3
"""Packs busybox-static as an OCI image layout archive, offline.

  mkoci.py [--busybox /bin/busybox] [--name keel.local/busybox:latest] OUT.tar

One gzip layer (/bin/busybox, a /bin link per applet, /etc/passwd, /etc/group),
a config (amd64, linux, Cmd /bin/sh, PATH=/bin), a manifest and index.json
naming the image for `ctr image import` (annotation io.containerd.image.name)
and OCI tools (org.opencontainers.image.ref.name). Deterministic: sorted
entries, mtime 0, owner 0:0, gzip without name or time; digests are sha256.
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import tarfile

OCI = "application/vnd.oci.image."


def tar_bytes(entries):
    """entries: (TarInfo, bytes or None), already in order."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for info, data in entries:
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()


def entry(name, data=None, mode=0o644, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.linkname = kind, mode, link
    if data is not None:
        info.size = len(data)
    return info, data


def layer_entries(busybox):
    with open(busybox, "rb") as f:
        bb = f.read()
    applets = subprocess.run([busybox, "--list"], capture_output=True, text=True,
                             check=True).stdout.split()
    files = {"bin/busybox": entry("bin/busybox", bb, 0o755),
             "etc/passwd": entry("etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n"
                                 b"nobody:x:65534:65534:nobody:/:/bin/false\n"),
             "etc/group": entry("etc/group", b"root:x:0:\nnogroup:x:65534:\n")}
    for a in applets:
        if a != "busybox" and "/" not in a:
            files[f"bin/{a}"] = entry(f"bin/{a}", mode=0o777, kind=tarfile.SYMTYPE, link="busybox")
    dirs = [entry(d, mode=0o755, kind=tarfile.DIRTYPE) for d in ("bin", "etc", "root", "tmp")]
    dirs[-1][0].mode = 0o1777
    return dirs + [files[k] for k in sorted(files)]


class Blobs:
    def __init__(self):
        self.blobs = {}

    def add(self, data, media):
        d = hashlib.sha256(data).hexdigest()
        self.blobs[d] = data
        return {"mediaType": OCI + media, "digest": "sha256:" + d, "size": len(data)}


def jbytes(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def image(busybox, name):
    """The archive's bytes."""
    layer = tar_bytes(layer_entries(busybox))
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", compresslevel=9, mtime=0, filename="") as g:
        g.write(layer)
    blobs = Blobs()
    ldesc = blobs.add(gz.getvalue(), "layer.v1.tar+gzip")
    cfg = {"architecture": "amd64", "os": "linux", "created": "1970-01-01T00:00:00Z",
           "config": {"Env": ["PATH=/bin"], "Cmd": ["/bin/sh"], "WorkingDir": "/"},
           "rootfs": {"type": "layers",
                      "diff_ids": ["sha256:" + hashlib.sha256(layer).hexdigest()]}}
    man = {"schemaVersion": 2, "mediaType": OCI + "manifest.v1+json",
           "config": blobs.add(jbytes(cfg), "config.v1+json"), "layers": [ldesc]}
    mdesc = blobs.add(jbytes(man), "manifest.v1+json")
    mdesc["annotations"] = {"io.containerd.image.name": name,
                            "org.opencontainers.image.ref.name": name.rpartition(":")[2]}
    index = {"schemaVersion": 2, "mediaType": OCI + "index.v1+json", "manifests": [mdesc]}
    files = [entry("blobs", mode=0o755, kind=tarfile.DIRTYPE),
             entry("blobs/sha256", mode=0o755, kind=tarfile.DIRTYPE)]
    files += [entry(f"blobs/sha256/{d}", blobs.blobs[d]) for d in sorted(blobs.blobs)]
    files += [entry("index.json", jbytes(index)),
              entry("oci-layout", jbytes({"imageLayoutVersion": "1.0.0"}))]
    return tar_bytes(files)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--busybox", default="/bin/busybox")
    ap.add_argument("--name", default="keel.local/busybox:latest")
    ap.add_argument("out")
    a = ap.parse_args()
    data = image(a.busybox, a.name)
    with open(a.out + ".tmp", "wb") as f:
        f.write(data)
    os.replace(a.out + ".tmp", a.out)


if __name__ == "__main__":
    main()
