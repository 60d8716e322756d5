#!/usr/bin/env python3
"""The benchmark suite of issue 6 (driven by scripts/bench-suite).

Generates sourcing instances on a size ladder (LP and MIP) and, for each,
measures in the same run on the same machine:

  planner          `planner solve FILE --format json -v` end to end, with the
                   phases of its -v line (decode, validate, presolve, build, solve, extract, write)
  planner-mono     the same with --no-decompose (one monolithic GLPK model)
  glpsol-mps       `glpsol --mps` on the monolithic MPS that `planner export` writes
  glpsol-mathprog  `glpsol -m models/sourcing.mod -d` the exported MathProg data
  highs-mps        HiGHS (highspy, scripts/highs_run.py) on the same MPS file,
                   one thread (a peer, not a baseline)

Every MIP path runs to the same relative gap, --mip-gap (default 1e-6:
the planner's --mip-gap, HiGHS's mip_rel_gap, glpsol's --mipgap), so the
times compare like with like (HiGHS's own default is 1e-4, the planner's
1e-9).

With --v2 every instance is generated with `planner generate --v2` (every
version 2 feature: curves, buyers outside the coalition, border floors,
soft caps, by-product facilities) and named NAME-v2.

Each path: median wall clock of several runs (runs interleaved across the
paths; timed by the C launcher scripts/bench_run.c from its fork to the
end of its wait), peak memory (the launcher's wait4: the largest resident
set of any process of the command; for `planner` also the sum over its processes, since
the solve runs in a worker process), objective agreement with glpsol on the
MPS file (1e-6 relative, else the row is marked FAILED), a hard time limit
(recorded as TIMEOUT). Writes a table on stdout, OUT/suite.csv and
OUT/suite.svg (time against size, log-log).
"""

import argparse
import csv
import math
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

# name, ladder, seed, minerals, mines, refineries, buyers (sizes are totals across minerals)
LP_LADDER = [
    ("lp-1e3", 1, 10, 85, 42, 17),
    ("lp-1e4", 1, 10, 265, 132, 52),
    ("lp-1e5", 1, 12, 925, 462, 186),
    ("lp-3e5", 1, 12, 1665, 830, 283),
    ("lp-1e6", 1, 16, 4300, 1710, 430),
]
# Monolithic GLPK branch-and-cut hits a wall between about 1,000 and 4,000
# flow variables on these instances (10 independent blocks multiply its
# search tree), so the MIP ladder stops where glpsol still finishes. Seeds and
# mineral counts are picked so that it does: neighbours such as 4 minerals,
# 120/60/24 (4,900 flow variables), 8 minerals, 110/55/22 (2,182) or 10
# minerals, 100/50/20 (1,384) ran past 60-240 s when probed, and the time
# varies by 50x between seeds of one size.
MIP_LADDER = [
    ("mip-800", 1, 6, 60, 30, 12),
    ("mip-1.1k", 4, 10, 90, 45, 18),
    ("mip-1.9k", 1, 6, 90, 45, 18),
    ("mip-4.3k", 1, 4, 110, 55, 22),
    # The large rungs of issue 17 (contracts and supplier limits at the
    # sizes procurement planners decide): glpsol stops at the time limit
    # on them, HiGHS and the planner are the comparison.
    ("mip-8k", 3, 6, 200, 100, 30),
    ("mip-36k", 3, 8, 500, 250, 60),
    ("mip-1e5", 1, 12, 925, 462, 186),
]
QUICK = {"lp-1e3", "lp-1e4", "mip-800", "mip-1.9k"}
PATHS = ["planner", "planner-mono", "glpsol-mps", "glpsol-mathprog", "highs-mps"]
MONOLITHIC = {"planner-mono", "glpsol-mps", "glpsol-mathprog", "highs-mps"}
HIGHS_RUN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "highs_run.py")
TOLERANCE = 1e-6


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# Running one command: wall clock, peak memory, hard time limit


def descendants(pid):
    """pid and all its descendants (via /proc/PID/task/TID/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def hwm_kb(pid):
    """(command name, VmHWM in KiB) of a live process, or None."""
    try:
        name, hwm = None, None
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Name:"):
                    name = line.split()[1]
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
                    break
        return (name, hwm) if hwm is not None else None
    except OSError:
        return None


LAUNCHER = None


def launcher():
    """The C launcher scripts/bench_run.c, compiled once per run of the suite
    (gcc) next to this script's outputs in a temporary folder."""
    global LAUNCHER
    if LAUNCHER is None:
        here = os.path.dirname(os.path.abspath(__file__))
        target = os.path.join(tempfile.mkdtemp(prefix="bench-run-"), "bench-run")
        subprocess.run(["gcc", "-O2", "-o", target, os.path.join(here, "bench_run.c")], check=True)
        LAUNCHER = target
    return LAUNCHER


def run_measured(cmd, limit, stdout_path, stderr_path, workdir):
    """Runs cmd under the C launcher (scripts/bench_run.c) with a hard
    wall-clock limit.

    Returns dict: seconds (the launcher's wall clock of the command, from
    its fork to the end of its wait: Python's and the launcher's own start
    are not counted), rc, timeout, peak_kb (largest process, from the
    launcher's wait4), tree_kb (sum over the command's processes of their
    peak resident sets, sampled every 100 ms from 100 ms on; at least
    peak_kb), sampled_kb (the largest sampled process: the only memory
    figure of a run that timed out)."""
    memfile = os.path.join(workdir, "time.out")
    if os.path.exists(memfile):
        os.remove(memfile)
    full = [launcher(), memfile] + cmd
    peaks = {}  # pid -> peak KiB (not counting the launcher itself)
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, start_new_session=True)
        stop = threading.Event()

        def sample():
            # The first sample waits 100 ms: scanning /proc from Python takes
            # CPU from the command, which on 2 cores and a 30 ms run was a
            # measurable share (the planner solves on both cores).
            while not stop.wait(0.1):
                for p in descendants(proc.pid)[1:]:
                    r = hwm_kb(p)
                    if r and r[0] != "bench-run":
                        peaks[p] = max(peaks.get(p, 0), r[1])

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # A blocking wait with a timer that kills at the limit: Popen.wait
        # with a timeout polls in steps of up to 50 ms, which rounded every
        # short run up to the next 50 ms.
        killed = threading.Event()

        def kill_tree():
            killed.set()
            tree = descendants(proc.pid)  # the planner's worker may sit in its own session
            for sig in (signal.SIGTERM, signal.SIGKILL):
                for p in reversed(tree):
                    try:
                        os.kill(p, sig)
                    except OSError:
                        pass
                try:
                    os.killpg(proc.pid, sig)
                except OSError:
                    pass
                if sig == signal.SIGTERM:
                    time.sleep(3)
                    if proc.poll() is not None:
                        break

        timer = threading.Timer(limit, kill_tree)
        timer.daemon = True
        timer.start()
        proc.wait()
        timer.cancel()
        timed_out = killed.is_set()
        seconds = time.perf_counter() - start
        stop.set()
        sampler.join()
    peak_kb = None
    try:
        with open(memfile) as f:
            fields = f.read().split()
        seconds = float(fields[0])
        peak_kb = int(fields[1])
    except (OSError, ValueError, IndexError):
        pass
    tree_kb = sum(peaks.values()) if peaks else None
    sampled_kb = max(peaks.values()) if peaks else None
    if peak_kb is not None:
        tree_kb = max(tree_kb or 0, peak_kb)
    return {"seconds": seconds, "rc": proc.returncode, "timeout": timed_out,
            "peak_kb": peak_kb, "tree_kb": tree_kb, "sampled_kb": sampled_kb}


# ----------------------------------------------------------------------------
# Reading objectives and the planner's phases

PHASE_LINE = re.compile(r"planner: (\d+) variables, (\d+) constraints, (\d+) non-zeros; (.*)$")
PHASE = re.compile(r"^(.*\S) ([0-9.]+) s$")


def planner_result(stdout_path, stderr_path, mip_gap=None):
    """A plan counts when optimal, or (a MIP run to a gap) feasible within that gap."""
    obj, status, phases, model = None, None, {}, None
    try:
        with open(stdout_path, "rb") as f:
            head = f.read(8192).decode("utf-8", "replace")
        m = re.search(r'"status":\s*"([^"]+)"', head)
        status = m.group(1) if m else None
        m = re.search(r'"objective":\s*(-?[0-9.eE+-]+)', head)
        obj = float(m.group(1)) if m else None
    except OSError:
        pass
    try:
        with open(stderr_path, "rb") as f:
            for line in f.read().decode("utf-8", "replace").splitlines():
                m = PHASE_LINE.search(line)
                if m:
                    model = tuple(int(m.group(i)) for i in (1, 2, 3))
                    for part in m.group(4).split(", "):
                        pm = PHASE.match(part.strip())
                        if pm:
                            phases[pm.group(1)] = float(pm.group(2))
    except OSError:
        pass
    ok = status == "optimal"
    if not ok and status == "feasible" and mip_gap is not None:
        m = re.search(r'"gap":\s*(-?[0-9.eE+-]+)', head)
        ok = m is not None and float(m.group(1)) <= mip_gap * (1 + 1e-9)
    return obj, ok, phases, model


def glpsol_mps_result(sol_path, mip_gap=None):
    """Optimal, or (a MIP run to a gap: glpsol then says INTEGER NON-OPTIMAL;
    the suite gives glpsol no time limit of its own) stopped at that gap."""
    obj, optimal = None, False
    accepted = ("OPTIMAL", "INTEGER OPTIMAL") + (("INTEGER NON-OPTIMAL",) if mip_gap is not None else ())
    try:
        with open(sol_path) as f:
            for line in f:
                if line.startswith("c Status:"):
                    optimal = line.split(":", 1)[1].strip() in accepted
                elif line.startswith("s "):
                    obj = float(line.split()[-1])
                    break
    except (OSError, ValueError):
        pass
    return obj, optimal


def glpsol_math_result(stdout_path, mip):
    obj, optimal = None, False
    try:
        with open(stdout_path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        optimal = ("INTEGER OPTIMAL SOLUTION FOUND" if mip else "OPTIMAL LP SOLUTION FOUND") in text
        m = re.findall(r"^OBJECTIVE (\S+)$", text, re.M)
        obj = float(m[-1]) if m else None
    except (OSError, ValueError):
        pass
    return obj, optimal and obj is not None


# ----------------------------------------------------------------------------
# Instances


def highs_result(stdout_path):
    """(objective, optimal) from scripts/highs_run.py's output."""
    try:
        with open(stdout_path) as f:
            text = f.read()
    except OSError:
        return None, False
    m = re.search(r"^OBJECTIVE (\S+)", text, re.M)
    ok = re.search(r"^STATUS Optimal", text, re.M) is not None
    return (float(m.group(1)) if m else None), ok and m is not None


def prepare(planner, name, seed, minerals, mines, refineries, buyers, mip, inst_dir, v2=False):
    base = os.path.join(inst_dir, name)
    info = {"instance": name, "ladder": "mip" if mip else "lp", "seed": seed, "minerals": minerals,
            "mines": mines, "refineries": refineries, "buyers": buyers}
    cmd = [planner, "generate", "--seed", str(seed), "--minerals", str(minerals), "--mines", str(mines),
           "--refineries", str(refineries), "--buyers", str(buyers)] + (["--mip"] if mip else []) \
        + (["--v2"] if v2 else []) + ["-o", base + ".json"]
    subprocess.run(cmd, check=True)
    out = subprocess.run([planner, "validate", base + ".json"], check=True, capture_output=True, text=True).stdout
    m = re.search(r"(\d+) flow variables", out)
    info["flow_vars"] = int(m.group(1)) if m else None
    t0 = time.perf_counter()
    subprocess.run([planner, "export", base + ".json", "--to", "mps", "--output", base + ".mps"], check=True)
    t1 = time.perf_counter()
    subprocess.run([planner, "export", base + ".json", "--to", "mathprog-data", "--output", base + ".dat"], check=True)
    t2 = time.perf_counter()
    info["export_mps_s"], info["export_dat_s"] = t1 - t0, t2 - t1
    with open(base + ".mps") as f:  # the monolithic model's size, from the MPS header
        for _ in range(12):
            line = f.readline()
            for key, field in (("Rows:", "rows"), ("Columns:", "columns"), ("Non-zeros:", "nonzeros")):
                if line.startswith("* " + key):
                    info[field] = int(line.split()[2])
    info["files"] = base
    return info


def commands(path, planner, model, base, work, threads, mip_gap=None):
    """The command of one path; `mip_gap` (for a MIP) is the relative gap
    every path stops at."""
    out, err = os.path.join(work, path + ".out"), os.path.join(work, path + ".err")
    gap = [] if mip_gap is None else ["--mip-gap", repr(mip_gap)]
    if path == "planner":
        cmd = [planner, "solve", base + ".json", "--format", "json", "-v", "--threads", str(threads)] + gap
    elif path == "planner-mono":
        cmd = [planner, "solve", base + ".json", "--format", "json", "-v", "--no-decompose"] + gap
    elif path == "glpsol-mps":
        cmd = ["glpsol", "--mps", base + ".mps", "-w", os.path.join(work, "glpsol.sol")] \
            + ([] if mip_gap is None else ["--mipgap", repr(mip_gap)])
    elif path == "highs-mps":
        cmd = [sys.executable, HIGHS_RUN, base + ".mps"] + gap
    else:
        cmd = ["glpsol", "-m", model, "-d", base + ".dat"] + ([] if mip_gap is None else ["--mipgap", repr(mip_gap)])
    return cmd, out, err


def result_of(path, out, err, work, mip, mip_gap=None):
    if path.startswith("planner"):
        obj, ok, phases, model = planner_result(out, err, mip_gap if mip else None)
        return obj, ok, phases, model
    if path == "glpsol-mps":
        obj, ok = glpsol_mps_result(os.path.join(work, "glpsol.sol"), mip_gap if mip else None)
        return obj, ok, {}, None
    if path == "highs-mps":
        obj, ok = highs_result(out)
        return obj, ok, {}, None
    obj, ok = glpsol_math_result(out, mip)
    return obj, ok, {}, None


# ----------------------------------------------------------------------------
# Formatting


def fmt_s(x):
    if x is None:
        return "-"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def fmt_ratio(x, lower_bound=False):
    if x is None:
        return "-"
    s = f"{x:.1f}" if x >= 10 else f"{x:.2f}"
    return (">" + s) if lower_bound else s


def median(xs):
    return statistics.median(xs) if xs else None


# ----------------------------------------------------------------------------
# SVG plot (by hand: no matplotlib here)

COLORS = {"planner": "#1f77b4", "planner-mono": "#ff7f0e", "glpsol-mps": "#2ca02c",
          "glpsol-mathprog": "#9467bd", "highs-mps": "#e377c2", "planner non-solve": "#d62728", "planner phases": "#8c564b"}
EXTRA = ["planner non-solve", "planner phases"]


def svg_plot(rows, path, limit, title):
    panels = [("lp", "LP ladder"), ("mip", "MIP ladder")]
    pw, ph, ml, mr, mt, mb = 460, 340, 70, 20, 50, 60
    width, height = len(panels) * (pw + ml + mr) + 10, ph + mt + mb + 140
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15">{esc(title)}</text>']
    for pi, (ladder, label) in enumerate(panels):
        ox = 10 + pi * (pw + ml + mr) + ml
        oy = mt
        lrows = [r for r in rows if r["ladder"] == ladder and r.get("nonzeros")]
        if not lrows:
            continue
        series = {}
        for r in lrows:
            y = r["median_s"] if r["status"] != "TIMEOUT" else limit
            series.setdefault(r["path"], []).append((r["nonzeros"], y, r["status"]))
            if r["path"] == "planner" and r.get("nonsolve_s") is not None and r["status"] != "TIMEOUT":
                series.setdefault("planner non-solve", []).append((r["nonzeros"], max(r["nonsolve_s"], 1e-3), "ok"))
                inproc = sum(v for k, v in r["phases"].items() if k != "solve")
                series.setdefault("planner phases", []).append((r["nonzeros"], max(inproc, 1e-3), "ok"))
        xs = [p[0] for s in series.values() for p in s]
        ys = [p[1] for s in series.values() for p in s if p[1] and p[1] > 0]
        x0, x1 = 10 ** math.floor(math.log10(min(xs))), 10 ** math.ceil(math.log10(max(xs)))
        y0, y1 = 10 ** math.floor(math.log10(min(ys))), 10 ** math.ceil(math.log10(max(ys)))
        x1, y1 = max(x1, 10 * x0), max(y1, 10 * y0)  # a single point or decade still gets an axis

        def X(v):
            return ox + pw * (math.log10(v) - math.log10(x0)) / (math.log10(x1) - math.log10(x0))

        def Y(v):
            return oy + ph - ph * (math.log10(v) - math.log10(y0)) / (math.log10(y1) - math.log10(y0))

        parts.append(f'<text x="{ox + pw / 2}" y="{oy - 10}" text-anchor="middle" font-size="13">{label}</text>')
        parts.append(f'<rect x="{ox}" y="{oy}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
        e = math.log10(x0)
        while e <= math.log10(x1) + 1e-9:
            v = 10 ** e
            parts.append(f'<line x1="{X(v):.1f}" y1="{oy}" x2="{X(v):.1f}" y2="{oy + ph}" stroke="#ddd"/>')
            parts.append(f'<text x="{X(v):.1f}" y="{oy + ph + 16}" text-anchor="middle">1e{int(round(e))}</text>')
            e += 1
        e = math.log10(y0)
        while e <= math.log10(y1) + 1e-9:
            v = 10 ** e
            parts.append(f'<line x1="{ox}" y1="{Y(v):.1f}" x2="{ox + pw}" y2="{Y(v):.1f}" stroke="#ddd"/>')
            lab = f"{v:g}" if 1e-3 <= v <= 1e4 else f"1e{int(round(e))}"
            parts.append(f'<text x="{ox - 6}" y="{Y(v) + 4:.1f}" text-anchor="end">{lab}</text>')
            e += 1
        if ladder == "lp" and y0 <= limit <= y1:
            parts.append(f'<line x1="{ox}" y1="{Y(limit):.1f}" x2="{ox + pw}" y2="{Y(limit):.1f}" '
                         f'stroke="#999" stroke-dasharray="2,3"/>')
            parts.append(f'<text x="{ox + 4}" y="{Y(limit) - 4:.1f}" fill="#777">time limit {limit:g} s</text>')
        # slope-1 guide (time proportional to non-zeros) through the planner's
        # in-process non-solve phases at the largest size
        ns = sorted(series.get("planner phases", []))
        if ns:
            gx, gy, _ = ns[-1]
            a, b = max(x0, gx / 1e3), min(x1, gx * 1e3)
            ya, yb = gy * a / gx, gy * b / gx
            if ya < y0:
                a, ya = a * y0 / ya, y0
            if yb > y1:
                b, yb = b * y1 / yb, y1
            parts.append(f'<line x1="{X(a):.1f}" y1="{Y(ya):.1f}" x2="{X(b):.1f}" y2="{Y(yb):.1f}" '
                         f'stroke="#888" stroke-width="1" stroke-dasharray="1,4"/>')
        for name in PATHS + EXTRA:
            pts = sorted(series.get(name, []))
            if not pts:
                continue
            c = COLORS[name]
            dash = ' stroke-dasharray="4,3"' if name in EXTRA else ""
            d = " ".join(f"{X(x):.1f},{Y(y):.1f}" for x, y, _ in pts)
            parts.append(f'<polyline points="{d}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
            for x, y, st in pts:
                if st == "TIMEOUT":  # side by side when several paths stop at the limit
                    cx = X(x) + 11 * (PATHS.index(name) - 1.5)
                    parts.append(f'<path d="M{cx - 5:.1f},{Y(y) + 4:.1f} L{cx:.1f},{Y(y) - 6:.1f} '
                                 f'L{cx + 5:.1f},{Y(y) + 4:.1f} Z" fill="white" stroke="{c}" stroke-width="2"/>')
                elif st == "FAILED":
                    parts.append(f'<text x="{X(x):.1f}" y="{Y(y) + 4:.1f}" text-anchor="middle" fill="{c}">x</text>')
                else:
                    parts.append(f'<circle cx="{X(x):.1f}" cy="{Y(y):.1f}" r="3.5" fill="{c}"/>')
        parts.append(f'<text x="{ox + pw / 2}" y="{oy + ph + 36}" text-anchor="middle">'
                     f'non-zeros of the monolithic model (log)</text>')
        parts.append(f'<text transform="translate({ox - 50},{oy + ph / 2}) rotate(-90)" text-anchor="middle">'
                     f'seconds, median wall clock (log)</text>')
    ly = mt + ph + mb + 10
    legend = [("planner", "planner solve (decomposed, 2 threads), end to end"),
              ("planner-mono", "planner solve --no-decompose"),
              ("glpsol-mps", "glpsol --mps on the exported MPS (pure GLPK)"),
              ("glpsol-mathprog", "glpsol -m models/sourcing.mod -d exported data"),
              ("planner non-solve", "planner: end to end minus the solve phase (processes included)"),
              ("planner phases", "planner: decode, validate, presolve, build, extract, write (measured inside)"),
              ("slope", "slope 1: time proportional to the non-zeros")]
    for i, (k, text) in enumerate(legend):
        x, y = 20 + (i % 2) * 480, ly + (i // 2) * 20
        if k == "slope":
            parts.append(f'<line x1="{x}" y1="{y}" x2="{x + 28}" y2="{y}" stroke="#888" stroke-dasharray="1,4"/>')
        else:
            dash = ' stroke-dasharray="4,3"' if k in EXTRA else ""
            parts.append(f'<line x1="{x}" y1="{y}" x2="{x + 28}" y2="{y}" stroke="{COLORS[k]}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{x + 36}" y="{y + 4}">{esc(text)}</text>')
    parts.append(f'<text x="20" y="{ly + 80}" fill="#555">open triangle: stopped at the time limit '
                 f'(true time is higher); x: objective disagreement or failure</text>')
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ----------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--planner", required=True, help="the planner binary")
    ap.add_argument("--model", default="models/sourcing.mod")
    ap.add_argument("--quick", action="store_true", help="only the small sizes (smoke test)")
    ap.add_argument("--runs", type=int, default=3, help="runs per path (median); default 3")
    ap.add_argument("--time-limit", type=float, default=300, help="wall-clock limit per run, seconds; default 300")
    ap.add_argument("--single-run-above", type=float, default=120,
                    help="a path whose first run takes longer than this many seconds (or times out) "
                         "is run once (the 1e6 monolithic paths); default 120")
    ap.add_argument("--out", default="bench-out", help="output folder; default bench-out")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mip-gap", type=float, default=1e-6,
                    help="relative gap every path stops at on the MIP ladder; default 1e-6")
    ap.add_argument("--only", default=None, help="comma-separated instance names (e.g. lp-1e5,mip-800)")
    ap.add_argument("--paths", default=",".join(PATHS), help="comma-separated paths to run")
    ap.add_argument("--v2", action="store_true", help="generate every instance with every version 2 feature (names NAME-v2)")
    ap.add_argument("--replot", action="store_true",
                    help="run nothing: redraw OUT/suite.svg and reprint the table from OUT/suite.csv")
    args = ap.parse_args()
    if args.replot:
        rows, phase_names = read_csv(os.path.join(os.path.abspath(args.out), "suite.csv"))
        write_outputs(rows, phase_names, os.path.abspath(args.out), args, rewrite_csv=False)
        print_table(rows, phase_names, args)
        return 0

    out_dir = os.path.abspath(args.out)
    inst_dir = os.path.join(out_dir, "instances")
    work = os.path.join(out_dir, "work")
    os.makedirs(inst_dir, exist_ok=True)
    os.makedirs(work, exist_ok=True)
    model = os.path.abspath(args.model)
    paths = [p for p in args.paths.split(",") if p]
    if "highs-mps" in paths:
        try:
            import highspy  # noqa: F401  (a peer for the table only)
        except ImportError:
            log("bench-suite: highspy is not installed (pip install highspy): the highs-mps path is skipped")
            paths.remove("highs-mps")
    ladder = [(n, False, *c) for n, *c in LP_LADDER] + [(n, True, *c) for n, *c in MIP_LADDER]
    if args.quick:
        ladder = [l for l in ladder if l[0] in QUICK]
    if args.only:
        want = set(args.only.split(","))
        ladder = [l for l in ladder if l[0] in want]

    glpsol_version = subprocess.run(["glpsol", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    log(f"bench-suite: {len(ladder)} instances, paths {', '.join(paths)}, runs {args.runs}, "
        f"time limit {args.time_limit:g} s; {glpsol_version}")

    rows = []
    phase_names = []
    for name, mip, seed, minerals, mines, refineries, buyers in ladder:
        if args.v2:
            name += "-v2"
        info = prepare(args.planner, name, seed, minerals, mines, refineries, buyers, mip, inst_dir, v2=args.v2)
        log(f"{name}: {info['flow_vars']} flow variables, {info.get('columns')} columns, {info.get('rows')} rows, "
            f"{info.get('nonzeros')} non-zeros (export: MPS {info['export_mps_s']:.2f} s, "
            f"MathProg data {info['export_dat_s']:.2f} s)")
        runs = {p: [] for p in paths}
        active = list(paths)
        for k in range(args.runs):
            if not active:
                break
            for p in list(active):
                cmd, out, err = commands(
                    p, args.planner, model, info["files"], work, args.threads, args.mip_gap if mip else None)
                r = run_measured(cmd, args.time_limit, out, err, work)
                obj, ok, phases, msize = (None, False, {}, None) if r["timeout"] else result_of(p, out, err, work, mip, args.mip_gap)
                r.update(objective=obj, optimal=ok, phases=phases, model=msize)
                # Exit 4 is the planner's "stopped at a looser gap with a plan" (the MIP gap asked).
                accepted_rc = (0, 4) if (mip and p.startswith("planner")) else (0,)
                if not r["timeout"] and (r["rc"] not in accepted_rc or not ok):
                    try:
                        with open(err, "rb") as f:
                            tail = f.read().decode("utf-8", "replace").strip().splitlines()[-3:]
                    except OSError:
                        tail = []
                    r["error"] = f"exit {r['rc']}, not optimal or no objective: " + " | ".join(tail)
                runs[p].append(r)
                mem = (f"{r['peak_kb'] / 1024:.0f} MB" if r["peak_kb"] else
                       f">={r['sampled_kb'] / 1024:.0f} MB" if r["sampled_kb"] else "-")
                log(f"  {name} {p} run {k + 1}: {'TIMEOUT' if r['timeout'] else fmt_s(r['seconds']) + ' s'}, "
                    f"{mem}, objective {obj!r}" + (f" [{r['error']}]" if r.get("error") else ""))
                if r["timeout"] or r["seconds"] > args.single_run_above or r.get("error"):
                    active.remove(p)
        # Aggregate
        ref = None
        mps_runs = [r for r in runs.get("glpsol-mps", []) if not r["timeout"] and not r.get("error")]
        if mps_runs:
            ref = mps_runs[0]["objective"]
        else:
            for p in paths:
                good = [r for r in runs[p] if not r["timeout"] and not r.get("error")]
                if good:
                    ref = good[0]["objective"]
                    break
        for p in paths:
            rs = runs[p]
            row = dict(info)
            row.pop("files", None)
            row["path"] = p
            row["runs"] = len(rs)
            good = [r for r in rs if not r["timeout"] and not r.get("error")]
            timeouts = [r for r in rs if r["timeout"]]
            if timeouts:
                row["status"] = "TIMEOUT"
                row["median_s"] = None
                row["note"] = f"stopped at the {args.time_limit:g} s limit"
            elif len(good) < len(rs) or not rs:
                row["status"] = "FAILED"
                row["note"] = next((r["error"] for r in rs if r.get("error")), "no run")
                row["median_s"] = median([r["seconds"] for r in rs])
            else:
                row["status"] = "ok"
                row["note"] = ""
                row["median_s"] = median([r["seconds"] for r in rs])
            secs = [r["seconds"] for r in rs if not r["timeout"]]
            row["min_s"] = min(secs) if secs else None
            row["max_s"] = max(secs) if secs else None
            pk = [r["peak_kb"] for r in rs if r["peak_kb"] and not r["timeout"]]
            tk = [r["tree_kb"] for r in rs if r["tree_kb"] and not r["timeout"]]
            row["peak_mb"] = max(pk) / 1024 if pk else None
            row["tree_mb"] = max(tk) / 1024 if tk else None
            row["peak_lower_bound"] = False
            if row["peak_mb"] is None and timeouts:
                # stopped at the limit: the launcher reports nothing; the sampled
                # peak until the kill is a lower bound
                sk = [r["sampled_kb"] for r in timeouts if r["sampled_kb"]]
                if sk:
                    row["peak_mb"] = max(sk) / 1024
                    row["peak_lower_bound"] = True
            objs = [r["objective"] for r in good if r["objective"] is not None]
            row["objective"] = objs[0] if objs else None
            if objs and ref is not None:
                diffs = [abs(o - ref) / max(1.0, abs(ref)) for o in objs]
                row["rel_diff"] = max(diffs)
                # Two plans each within the MIP gap of the optimum may differ by twice it.
                tolerance = max(TOLERANCE, 2 * args.mip_gap) if info["ladder"] == "mip" else TOLERANCE
                if row["rel_diff"] > tolerance and row["status"] == "ok":
                    row["status"] = "FAILED"
                    row["note"] = f"objective differs from glpsol on the MPS by {row['rel_diff']:.2e} relative"
            else:
                row["rel_diff"] = None
            # phases (planner paths): median per phase over the good runs
            ph = {}
            for r in good:
                for k2, v in r["phases"].items():
                    ph.setdefault(k2, []).append(v)
                    if k2 not in phase_names:
                        phase_names.append(k2)
            row["phases"] = {k2: median(v) for k2, v in ph.items()}
            models = [r["model"] for r in good if r["model"]]
            if models:
                row["model_vars"], row["model_rows"], row["model_nonzeros"] = models[0]
            if "solve" in row["phases"] and row["median_s"]:
                # end to end minus the solve phase, per run, then the median
                ns = [r["seconds"] - r["phases"].get("solve", 0) for r in good]
                row["nonsolve_s"] = median(ns)
                row["nonsolve_share"] = median([(r["seconds"] - r["phases"].get("solve", 0)) / r["seconds"] for r in good])
                # what no phase covers: process start-up and exit, the fork,
                # publishing the report
                row["other_s"] = median([r["seconds"] - sum(r["phases"].values()) for r in good])
            else:
                row["nonsolve_s"] = row["nonsolve_share"] = row["other_s"] = None
            rows.append(row)
        # ratios against glpsol on the MPS file
        base = next((r for r in rows if r["instance"] == name and r["path"] == "glpsol-mps"), None)
        for r in rows:
            if r["instance"] != name:
                continue
            r["speedup_vs_glpsol_mps"] = None
            r["speedup_lower_bound"] = False
            r["mem_vs_glpsol_mps"] = None
            if base is None:
                continue
            if base["status"] == "ok" and r["median_s"] and r["status"] in ("ok", "FAILED"):
                r["speedup_vs_glpsol_mps"] = base["median_s"] / r["median_s"]
            elif base["status"] == "TIMEOUT" and r["median_s"] and r["status"] != "TIMEOUT":
                r["speedup_vs_glpsol_mps"] = args.time_limit / r["median_s"]
                r["speedup_lower_bound"] = True
            elif r["status"] == "TIMEOUT" and base["status"] == "ok":
                r["speedup_vs_glpsol_mps"] = base["median_s"] / args.time_limit
                r["speedup_upper_bound"] = True
            if base["peak_mb"] and r["peak_mb"] and not (base["peak_lower_bound"] and r["peak_lower_bound"]):
                r["mem_vs_glpsol_mps"] = r["peak_mb"] / base["peak_mb"]
                r["tree_mem_vs_glpsol_mps"] = (r["tree_mb"] or r["peak_mb"]) / base["peak_mb"]
                # against a glpsol stopped at the limit the ratio is an upper bound
                r["mem_bound"] = ("upper" if base["peak_lower_bound"] and r is not base else
                                  "lower" if r["peak_lower_bound"] and r is not base else "")
        write_outputs(rows, phase_names, out_dir, args)  # after every instance: partial results survive

    print_table(rows, phase_names, args)
    log(f"wrote {os.path.join(out_dir, 'suite.csv')} and {os.path.join(out_dir, 'suite.svg')}")
    return 1 if any(r["status"] == "FAILED" for r in rows) else 0


def read_csv(path):
    """Rows of a suite.csv, typed as main() builds them (for --replot)."""
    rows, phase_names = [], []
    with open(path, newline="") as f:
        for rec in csv.DictReader(f):
            row = {}
            for k, v in rec.items():
                if k.startswith("phase_") and k.endswith("_s"):
                    name = k[len("phase_"):-2]
                    if name not in phase_names:
                        phase_names.append(name)
                    if v != "":
                        row.setdefault("phases", {})[name] = float(v)
                    continue
                if v == "":
                    row[k] = None
                elif k in ("ladder", "instance", "path", "status", "note", "speedup_bound", "peak_bound", "mem_bound"):
                    row[k] = v
                else:
                    try:
                        row[k] = int(v)
                    except ValueError:
                        row[k] = float(v)
            row.setdefault("phases", {})
            row["speedup_lower_bound"] = row.get("speedup_bound") == "lower"
            row["speedup_upper_bound"] = row.get("speedup_bound") == "upper"
            row["peak_lower_bound"] = row.get("peak_bound") == "lower"
            rows.append(row)
    return rows, phase_names


def write_outputs(rows, phase_names, out_dir, args, rewrite_csv=True):
    cols = ["ladder", "instance", "seed", "minerals", "mines", "refineries", "buyers", "flow_vars", "columns", "rows",
            "nonzeros", "path", "runs", "status", "median_s", "min_s", "max_s", "speedup_vs_glpsol_mps",
            "speedup_bound", "peak_mb", "peak_bound", "tree_mb", "mem_vs_glpsol_mps", "tree_mem_vs_glpsol_mps",
            "mem_bound", "objective",
            "rel_diff", "model_vars", "model_rows", "model_nonzeros"] + \
           [f"phase_{p}_s" for p in phase_names] + ["other_s", "nonsolve_s", "nonsolve_share", "note"]
    tmp = os.path.join(out_dir, "suite.csv.tmp")
    with open(tmp if rewrite_csv else os.devnull, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            vals = dict(r)
            vals["speedup_bound"] = ("lower" if r.get("speedup_lower_bound") else
                                     "upper" if r.get("speedup_upper_bound") else "")
            vals["peak_bound"] = "lower" if r.get("peak_lower_bound") else ""
            for p in phase_names:
                vals[f"phase_{p}_s"] = r["phases"].get(p)
            out = []
            for c in cols:
                v = vals.get(c)
                if isinstance(v, float):
                    v = f"{v:.12g}" if c == "objective" else f"{v:.6g}"
                out.append("" if v is None else v)
            w.writerow(out)
    if rewrite_csv:
        os.replace(tmp, os.path.join(out_dir, "suite.csv"))
    title = f"Sourcing planner vs GLPK: median wall clock, {machine()}, {time.strftime('%Y-%m-%d')}"
    svg_plot(rows, os.path.join(out_dir, "suite.svg"), args.time_limit, title)


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        pass
    return f"{os.cpu_count()} cores {cpu}"


def print_table(rows, phase_names, args):
    hdr = ["instance", "flow vars", "non-zeros", "path", "runs", "median s", "speed-up", "peak MB", "mem x",
           "non-solve", "objective", "rel diff", "status"]
    lines = []
    for r in rows:
        sp = r.get("speedup_vs_glpsol_mps")
        sp_s = fmt_ratio(sp, r.get("speedup_lower_bound"))
        if r.get("speedup_upper_bound"):
            sp_s = "<" + fmt_ratio(sp)
        mem = (">=" if r.get("peak_lower_bound") else "") + (f"{r['peak_mb']:.0f}" if r["peak_mb"] else "-")
        if r["path"] == "planner" and r.get("tree_mb") and r["peak_mb"] and r["tree_mb"] > r["peak_mb"] * 1.05:
            mem += f" ({r['tree_mb']:.0f})"
        memx = ({"upper": "<", "lower": ">"}.get(r.get("mem_bound"), "") + f"{r['mem_vs_glpsol_mps']:.2f}"
                if r.get("mem_vs_glpsol_mps") else "-")
        ns = f"{100 * r['nonsolve_share']:.1f}%" if r.get("nonsolve_share") is not None else ""
        med = "TIMEOUT" if r["status"] == "TIMEOUT" else fmt_s(r["median_s"])
        obj = f"{r['objective']:.12g}" if r["objective"] is not None else "-"
        rd = f"{r['rel_diff']:.1e}" if r.get("rel_diff") is not None else "-"
        lines.append([r["instance"], str(r["flow_vars"]), str(r.get("nonzeros")), r["path"], str(r["runs"]), med,
                      sp_s, mem, memx, ns, obj, rd, r["status"]])
    widths = [max(len(h), *(len(l[i]) for l in lines)) if lines else len(h) for i, h in enumerate(hdr)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(hdr, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for l in lines:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(l, widths)) + " |")
    # phases of the planner path
    pr = [r for r in rows if r["path"] in ("planner", "planner-mono") and r["phases"]]
    if pr:
        print()
        hdr2 = (["instance", "path", "end to end s"] + [p + " s" for p in phase_names]
                + ["outside phases s", "non-solve s", "non-solve share"])
        lines2 = []
        for r in pr:
            lines2.append([r["instance"], r["path"], fmt_s(r["median_s"])] +
                          [f"{r['phases'][p]:.3f}" if p in r["phases"] else "-" for p in phase_names] +
                          [f"{r['other_s']:.3f}" if r.get("other_s") is not None else "-",
                           f"{r['nonsolve_s']:.3f}" if r.get("nonsolve_s") is not None else "-",
                           f"{100 * r['nonsolve_share']:.1f}%" if r.get("nonsolve_share") is not None else "-"])
        w2 = [max(len(h), *(len(l[i]) for l in lines2)) for i, h in enumerate(hdr2)]
        print("| " + " | ".join(h.ljust(w) for h, w in zip(hdr2, w2)) + " |")
        print("|" + "|".join("-" * (w + 2) for w in w2) + "|")
        for l in lines2:
            print("| " + " | ".join(v.ljust(w) for v, w in zip(l, w2)) + " |")
    print()
    print("speed-up: glpsol --mps median / path median (>N: glpsol stopped at the time limit, so a lower bound); "
          "mem x: peak resident set / glpsol --mps's (planner: largest process; in brackets the sum over its "
          "parent and worker processes; >=: sampled until a run was stopped at the limit, so a lower bound); "
          "non-solve: share of end to end outside the solve phase.")


if __name__ == "__main__":
    sys.exit(main())
