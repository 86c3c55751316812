#!/bin/sh
# The busybox OCI image archive the build preloads into containerd
# (rootfs/mkoci.py, docs/image.md#system-images): reproducible, every digest
# and size right, named keel.local/busybox:latest; a private containerd
# imports it and `ctr run` of it with runc-shim as the runtime prints hi.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/containerd_lib.sh"
ct_require
A=$CT/a.tar
python3 "$KEEL_ROOT/rootfs/mkoci.py" "$A"
python3 "$KEEL_ROOT/rootfs/mkoci.py" "$CT/b.tar"
check "two builds give the same bytes" cmp -s "$A" "$CT/b.tar"

# Every descriptor's digest and size against the blob; the config's diff_id
# against the uncompressed layer; the names; the config's fields.
problems=$(python3 - "$A" <<'PY'
import gzip, hashlib, io, json, sys, tarfile
t = tarfile.open(sys.argv[1])
files = {m.name: t.extractfile(m).read() for m in t.getmembers() if m.isfile()}
def blob(desc, media):
    d = desc["digest"].removeprefix("sha256:")
    data = files.get("blobs/sha256/" + d)
    if data is None or hashlib.sha256(data).hexdigest() != d or len(data) != desc["size"]:
        print(f"bad blob {d}")
    if desc["mediaType"] != "application/vnd.oci.image." + media:
        print(f"media type {desc['mediaType']}")
    return data or b"{}"
if json.loads(files["oci-layout"]) != {"imageLayoutVersion": "1.0.0"}:
    print("oci-layout")
index = json.loads(files["index.json"])
(mdesc,) = index["manifests"]
ann = mdesc.get("annotations", {})
if ann != {"io.containerd.image.name": "keel.local/busybox:latest",
           "org.opencontainers.image.ref.name": "latest"}:
    print(f"annotations {ann}")
man = json.loads(blob(mdesc, "manifest.v1+json"))
cfg = json.loads(blob(man["config"], "config.v1+json"))
(ldesc,) = man["layers"]
layer = gzip.decompress(blob(ldesc, "layer.v1.tar+gzip"))
if cfg["rootfs"]["diff_ids"] != ["sha256:" + hashlib.sha256(layer).hexdigest()]:
    print("diff_id")
if (cfg["architecture"], cfg["os"], cfg["config"]["Cmd"]) != ("amd64", "linux", ["/bin/sh"]):
    print(f"config {cfg}")
names = tarfile.open(fileobj=io.BytesIO(layer)).getnames()
for want in ("bin/busybox", "bin/sh", "bin/echo", "etc/passwd", "etc/group"):
    if want not in names:
        print(f"layer lacks {want}")
if names[:4] != ["bin", "etc", "root", "tmp"] or names[4:] != sorted(names[4:]):
    print("layer entries not directories first, then sorted")
PY
)
check_eq "digests, sizes, names and config of the archive" "" "$problems"

ct_wrapper runc-shim "$BIN/runc-shim"
if ! ct_start; then
	not_ok "private containerd starts"
	sed 's/^/# /' "$CT/containerd.log" | tail -20
	t_done
fi
SNAP=native
grep -qw overlay /proc/filesystems && SNAP=overlayfs
if ! ct image import --snapshotter "$SNAP" "$A" >/dev/null 2>&1; then
	SNAP=native
	ct image import --snapshotter "$SNAP" "$A" >/dev/null
fi
check_eq "ctr image import ($SNAP snapshotter): keel.local/busybox:latest" \
	keel.local/busybox:latest "$(ct image ls -q)"
run() { # ID ARGS...: ctr run --rm with runc-shim (logging wrapper) as the runtime
	id=$CT_PREFIX-$1
	shift
	ct run --rm --cgroup= --fifo-dir "$CT/fifo" --runc-binary "$CT/runc-shim" \
		--runc-root "$CT/rt" --snapshotter "$SNAP" keel.local/busybox:latest "$id" "$@"
}
check_eq "ctr run keel.local/busybox:latest echo hi (runc-shim) prints hi" hi "$(run hi echo hi)"
out=$(run cfg sh -c 'echo "$PATH $(id -u) $(head -n1 /etc/passwd)"; exit 3')
check_eq "the image's PATH, user root, /etc/passwd; exit status passed back" \
	"/bin 0 root:x:0:0:root:/root:/bin/sh 3" "$out $?"
[ "$T_FAILED" = 0 ] || grep '^call ' "$CT/calls.runc-shim" | tail -5 | sed 's/^/# /'
t_done
