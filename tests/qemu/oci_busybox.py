import hashlib, io, json, sys, tarfile, os, shutil
busybox, out, name = sys.argv[1], sys.argv[2], sys.argv[3]
blobs = {}
def blob(data):
    d = hashlib.sha256(data).hexdigest(); blobs[d] = data
    return {"digest": "sha256:" + d, "size": len(data)}
lb = io.BytesIO()
with tarfile.open(fileobj=lb, mode="w") as t:
    for d in ("bin", "proc", "sys", "dev", "tmp", "etc"):
        i = tarfile.TarInfo(d); i.type = tarfile.DIRTYPE; i.mode = 0o755; t.addfile(i)
    t.add(busybox, arcname="bin/busybox")
    for a in ("sh", "echo", "cat", "sleep", "id", "ls", "true", "head", "dd", "grep", "readlink"):
        i = tarfile.TarInfo("bin/" + a); i.type = tarfile.SYMTYPE; i.linkname = "busybox"; t.addfile(i)
layer = lb.getvalue()
diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
cfg = {"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/bin"], "Cmd": ["/bin/sh"]},
       "rootfs": {"type": "layers", "diff_ids": [diff_id]}}
cdesc = dict(blob(json.dumps(cfg).encode()), mediaType="application/vnd.oci.image.config.v1+json")
ldesc = dict(blob(layer), mediaType="application/vnd.oci.image.layer.v1.tar")
man = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": cdesc, "layers": [ldesc]}
mdesc = dict(blob(json.dumps(man).encode()), mediaType="application/vnd.oci.image.manifest.v1+json",
             annotations={"io.containerd.image.name": name, "org.opencontainers.image.ref.name": "latest"})
index = {"schemaVersion": 2, "manifests": [mdesc]}
def add(t, n, data):
    i = tarfile.TarInfo(n); i.size = len(data); t.addfile(i, io.BytesIO(data))
with tarfile.open(out, "w") as t:
    add(t, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
    add(t, "index.json", json.dumps(index).encode())
    for d, data in blobs.items():
        add(t, "blobs/sha256/" + d, data)
