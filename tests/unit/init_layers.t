#!/bin/sh
# init/ in layers: the call graph between init's object files (who uses a
# symbol another file defines, from nm) has no cycle, and the layers of
# docs/init.md only call down. Needs `make all` (build/obj/init/*.o).
. "$(dirname "$0")/../lib.sh"
OBJ=$KEEL_ROOT/build/obj/init
if ! command -v nm python3 >/dev/null || ! ls "$OBJ"/*.o >/dev/null 2>&1; then
	not_ok "init call graph: needs nm, python3 and build/obj/init/*.o (make all)"
	t_done
fi
python3 - "$OBJ" <<'PY'
import collections, glob, os, subprocess, sys
defs, uses = {}, collections.defaultdict(set)
for o in sorted(glob.glob(sys.argv[1] + "/*.o")):
    f = os.path.basename(o)[:-2]
    for line in subprocess.run(["nm", o], capture_output=True, text=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "TDBR":
            defs[p[2]] = f
        elif len(p) == 2 and p[0] == "U":
            uses[f].add(p[1])
edges = {f: {defs[u] for u in us if u in defs and defs[u] != f} for f, us in uses.items()}
# Layers, bottom up (docs/init.md); a file may call its own layer or below.
layers = [
    "loop spawn logbuf backoff order service_conf cmdline detect console tiny_printf "
    "mounts modules netlo cgroup_root switch_root termsafe etc_file mount_table sysctl_conf "
    "datadisk diskwork sysimage bootchart bootchart_svg keelctl_conn",
    "service",
    "svc_logtime svc_log svc_run",
    "specdir supervisor",
    "supervisor_rescan supervisor_ctl",
    "ctl_reply ctl_follow boottime inspect ctl_cmds control keelctl keelctl_boot keelctl_exec keelctl_tty",
    "reap shell shutdown power signals powerbutton",
    "main",
]
level = {f: i for i, names in enumerate(layers) for f in names.split()}
bad = 0
for f in sorted(edges):
    for g in sorted(edges[f]):
        if level.get(f, -1) < level.get(g, 99):
            print("not ok - %s calls up into %s" % (f, g)); bad = 1
unknown = sorted(set(edges) - set(level))
if unknown:
    print("not ok - files in no layer (add them to docs/init.md and here): " + " ".join(unknown)); bad = 1
# Cycles (Tarjan), also inside one layer.
sys.setrecursionlimit(10000)
index, low, stack, on, cycles, n = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in edges.get(v, ()):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: cycles.append(sorted(c))
for v in sorted(set(edges) | {w for e in edges.values() for w in e}):
    if v not in index: visit(v)
for c in cycles:
    print("not ok - call cycle: " + " ".join(c)); bad = 1
if not bad:
    print("ok - init call graph: %d files, %d edges, no cycle, every call goes down a layer"
          % (len(set(edges) | set(level)), sum(len(e) for e in edges.values())))
sys.exit(bad)
PY
