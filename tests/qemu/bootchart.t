#!/usr/bin/env python3
"""keelctl boot on the demo image (issue 13): one boot with a fresh data disk;
the table, --json and --svg from the guest. The timeline must be ordered and
plausible (phases back to back from the kernel's start to "keel: ready",
each unit's events in order, onboot jobs one after another and before the
services, httpd ready, the critical path ending at the last ready service).
The SVG is rendered in headless Chromium; the screenshot must not be blank
and each bar wide enough to sample must show its phase's colour where the
JSON's numbers put it. KEEL_BOOTCHART_SAVE=FILE keeps the SVG (docs/)."""
import json
import os
import re
import shutil
import subprocess
import sys
import struct
import tempfile
import zlib

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "rootfs"), os.path.dirname(os.path.abspath(__file__))]
import keelvm  # noqa: E402

import qtap  # noqa: E402
from qtap import tap  # noqa: E402
IMAGE = os.path.join(ROOT, "build/image")
# bootchart_svg.c's colours per phase of a bar.
COLOURS = {"init": "#8080c0", "create": "#f09020", "start": "#e8d020",
           "notify": "#40a0f0", "service": "#40b040", "job": "#2050c0"}


def boot(tmp):
    """Boots, returns (ready_ms, table, json text, svg text, console)."""
    disk = keelvm.ensure_disk(os.path.join(tmp, "data.img"), 64 << 20)
    with keelvm.VM(IMAGE, disk=disk) as vm:
        m = vm.wait_ready(120)
        out = [vm.run(c, 60) for c in ("keelctl boot", "keelctl boot --json",
                                       "keelctl boot --svg")]
        vm.send("keelctl poweroff\n")
        vm.wait_end(60)
        console = vm.console.decode(errors="replace")
    for i, (rc, _) in enumerate(out):
        tap(rc == 0, f"keelctl boot step {i + 1} exits 0", out[i][1])
    return int(m.group(1)), out[0][1], out[1][1], out[2][1], console


def check_timeline(d, ready_ms):
    ph = d["phases"]
    tap([p["name"] for p in ph][0] == "kernel" and ph[0]["start_ms"] == 0
        and 50 <= ph[0]["end_ms"] <= 30000,
        f"kernel -> init plausible ({ph[0]['end_ms']} ms)", ph)
    tap(all(a["end_ms"] == b["start_ms"] for a, b in zip(ph, ph[1:]))
        and all(p["end_ms"] >= p["start_ms"] for p in ph), "phases back to back", ph)
    tap(ph[-1]["name"] == "services" and abs(ph[-1]["end_ms"] - ready_ms) <= 50,
        f"last phase ends at 'keel: ready in {ready_ms} ms' ({ph[-1]['end_ms']})", ph)
    tap(any(p["name"] == "switch_root" and p["end_ms"] > p["start_ms"] for p in ph),
        "switch_root (leaving the initramfs rootfs) measured", ph)
    units = d["units"]
    bad = []
    for u in units:
        seq = [u[k] for k in ("wanted_ms", "spawn_ms", "created_ms", "started_ms")]
        seq.append(u["ready_ms"] if u["kind"] == "service" else u["exited_ms"])
        if None in seq or seq != sorted(seq) or seq[1] < ph[0]["end_ms"]:
            bad.append((u["name"], seq))
    tap(units and not bad, "every unit: wanted <= spawn <= created <= started <= ready/exited",
        bad or units)
    jobs = [u for u in units if u["kind"] == "onboot"]
    svcs = [u for u in units if u["kind"] == "service"]
    tap(all(a["exited_ms"] <= b["spawn_ms"] for a, b in zip(jobs, jobs[1:])),
        "onboot jobs run one after another", jobs)
    tap(not jobs or all(s["spawn_ms"] >= jobs[-1]["exited_ms"] for s in svcs),
        "services spawn after the last onboot job", units)
    httpd = [u for u in svcs if u["name"] == "httpd"]
    tap(httpd and httpd[0]["ready_ms"] is not None, "httpd ready (notify-fd) recorded", httpd)
    last = max(svcs, key=lambda u: u["ready_ms"] or -1)
    tap(d["critical_path"] and d["critical_path"][-1] == last["name"],
        f"critical path ends at the last ready service ({last['name']})", d["critical_path"])


def check_table(table, d):
    rows = re.findall(r"^([* ]) (\S+) +(onboot|service) ", table, re.M)
    tap([r[1] for r in rows] == [u["name"] for u in d["units"]],
        "table: one row per unit, sorted by start", table)
    tap(sorted(r[1] for r in rows if r[0] == "*") == sorted(d["critical_path"]),
        "table: critical rows marked *", table)


def screenshot(svg, png, width, height):
    exe = shutil.which("chromium")
    if not exe:
        return "no chromium (mk/deps.sh installs it)"
    home = tempfile.mkdtemp(prefix="keel-chromium.")
    try:
        r = subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu",
                            "--hide-scrollbars", "--force-device-scale-factor=1",
                            f"--user-data-dir={home}", f"--window-size={width},{height}",
                            f"--screenshot={png}", "file://" + svg],
                           capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return None if os.path.exists(png) else r.stderr[-800:]


def read_png(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB/RGBA non-interlaced
    PNG, what Chromium writes: zlib and the five row filters, no PIL needed."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    assert depth == 8 and ctype in (2, 6) and not interlace, f"PNG type {hdr}"
    bpp = 3 if ctype == 2 else 4
    raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
        prev = line
    return w, h, rows


def rgb(hexcolour):
    return tuple(int(hexcolour[i:i + 2], 16) for i in (1, 3, 5))


def bar_segments(d):
    """(row, from_ms, to_ms, colour) per stretch the chart must draw."""
    n = len(d["phases"])
    for i, p in enumerate(d["phases"]):
        yield i, p["start_ms"], p["end_ms"], "init"
    for i, u in enumerate(d["units"]):
        row = n + i
        yield row, u["spawn_ms"], u["created_ms"], "create"
        yield row, u["created_ms"], u["started_ms"], "start"
        if u["kind"] == "service" and u["ready_ms"] != u["started_ms"]:
            yield row, u["started_ms"], u["ready_ms"], "notify"
        if u["kind"] == "onboot":
            yield row, u["started_ms"], u["exited_ms"], "job"


def check_svg(svg, d, tmp):
    attrs = dict(re.findall(r'data-(left|plot|top|row|bar|end)="(\d+)"', svg[:1000]))
    tap(len(attrs) == 6, "svg: layout attributes on the <svg> element", svg[:400])
    if len(attrs) != 6:
        return
    left, plot, top, rowh, end = (int(attrs[k]) for k in ("left", "plot", "top", "row", "end"))
    w, h = (int(v) for v in re.search(r'width="(\d+)" height="(\d+)"', svg).groups())
    path, png = os.path.join(tmp, "boot.svg"), os.path.join(tmp, "boot.png")
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg)
    why = screenshot(path, png, w, h)
    tap(why is None, "svg: headless chromium rendered a screenshot", why)
    if why:
        return
    pw, ph, px = read_png(png)
    flat = [c for row in px for c in row]
    white, colours = flat.count((255, 255, 255)), len(set(flat))
    tap((pw, ph) == (w, h) and white < 0.97 * w * h and colours > 8,
        f"svg: screenshot {pw}x{ph} not blank ({colours} colours, "
        f"{100 - 100 * white // (w * h)}% not white)", (pw, ph))
    checked, wrong = 0, []
    for row, a, b, kind in bar_segments(d):
        x0, x1 = left + a * plot / end, left + b * plot / end
        if x1 - x0 < 6:
            continue   # too thin to sample away from the edges
        x, y = int((x0 + x1) / 2), top + row * rowh + rowh // 2
        got, want = px[y][x], rgb(COLOURS[kind])
        checked += 1
        if max(abs(g - e) for g, e in zip(got, want)) > 24:
            wrong.append(f"row {row} {kind} {a}..{b} ms at ({x},{y}): {got} != {want}")
    tap(checked >= 4 and not wrong, f"svg: {checked} bars have their colour where the numbers say",
        "\n".join(wrong) or "too few bars to check")


def main():
    if not os.path.exists(os.path.join(IMAGE, "initramfs.cpio.gz")):
        print("ok - QEMU tier # SKIP no build/image (run make image)")
        return 0
    tmp = tempfile.mkdtemp(prefix="keel-bootchart.")
    try:
        ready_ms, table, text, svg, console = boot(tmp)
        try:
            d = json.loads(text)
        except ValueError as e:
            tap(False, "keelctl boot --json parses", f"{e}\n{text[:800]}\n{console[-800:]}")
            return 1
        tap(True, "keelctl boot --json parses")
        check_timeline(d, ready_ms)
        check_table(table, d)
        check_svg(svg, d, tmp)
        if os.environ.get("KEEL_BOOTCHART_SAVE"):
            with open(os.environ["KEEL_BOOTCHART_SAVE"], "w", encoding="utf-8") as f:
                f.write(svg)
        for line in table.splitlines():
            print("#   " + line)
    except keelvm.Timeout as e:
        tap(False, "boot and keelctl boot in time", e)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return qtap.failed


if __name__ == "__main__":
    sys.exit(main())
