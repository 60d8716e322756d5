#!/usr/bin/env python3
"""Solver choices per block (issue 6), driven by scripts/bench-choices.

Runs `planner solve FILE --format json -v [CHOICE]` for each choice, one at a
time against the default, on the generator's LP ladder (decomposed, as
shipped) and MIP ladder (decomposed, and monolithic with --no-decompose for
the main MIP choices), runs interleaved, and reports per instance and
choice: median wall clock, ratio to the default's median, objective
agreement with the default (1e-6 relative) and, for MIPs, the
branch-and-cut nodes (the sum of the `branch-and-cut: N nodes` lines of the
-v log over the blocks). Load averages are recorded before and after each
instance. Writes a table on stdout and OUT/choices.csv.
"""

import argparse
import csv
import datetime
import math
import os
import re
import resource
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_suite import LP_LADDER, MIP_LADDER, log, machine, planner_result, run_measured  # noqa: E402

# More MIP instances of the same generator (name, seed, minerals, mines,
# refineries, buyers): other seeds of the ladder's sizes, and one of 8,484
# flow variables that only the decomposed solve finishes quickly.
MIP_EXTRA = [
    ("mip-s2-800", 2, 6, 60, 30, 12),
    ("mip-s5-1.1k", 5, 10, 90, 45, 18),
    ("mip-s2-1.9k", 2, 6, 90, 45, 18),
    ("mip-s3-4.1k", 3, 4, 110, 55, 22),
    ("mip-s2-4.2k", 2, 4, 110, 55, 22),
    ("mip-8.5k", 1, 4, 160, 80, 30),
]
# Monolithic GLPK takes 47 s on mip-s2-4.2k and 12 s on mip-8.5k with the
# defaults: left out of the monolithic runs.
MONO_SKIP = {"mip-s2-4.2k", "mip-8.5k"}

LP_DEFAULT_NAMES = ["lp-1e4", "lp-1e5", "lp-3e5"]

# (label, extra arguments). The first of each list is the reference.
LP_CHOICES = [
    ("default", []),  # SolveOptions.sourcing: no LP presolve, no scaling, advanced basis
    ("GLPK defaults (presolve, auto scaling)", ["--presolve", "--scaling", "auto"]),
    ("presolve", ["--presolve"]),
    ("scaling auto", ["--scaling", "auto"]),
    ("scaling geometric", ["--scaling", "geometric"]),
    ("scaling equilibrate", ["--scaling", "equilibrate"]),
    ("basis standard", ["--initial-basis", "standard"]),
    ("basis bixby", ["--initial-basis", "bixby"]),
]

MIP_CHOICES = [
    ("default", []),
    ("branching first", ["--branching", "first"]),
    ("branching last", ["--branching", "last"]),
    ("branching most", ["--branching", "most"]),
    ("branching dth", ["--branching", "dth"]),
    ("backtrack dfs", ["--backtrack", "dfs"]),
    ("backtrack bfs", ["--backtrack", "bfs"]),
    ("backtrack best-projection", ["--backtrack", "best-projection"]),
    ("cuts gomory", ["--cuts", "gomory"]),
    ("cuts mir", ["--cuts", "mir"]),
    ("cuts cover", ["--cuts", "cover"]),
    ("cuts clique", ["--cuts", "clique"]),
    ("cuts all", ["--cuts", "all"]),
    ("heuristics none", ["--heuristics", "none"]),
    ("heuristics +fpump", ["--heuristics", "rounding,fpump"]),
    ("heuristics +proxy", ["--heuristics", "rounding,proxy"]),
    ("heuristics all", ["--heuristics", "all"]),
    ("mip-presolve", ["--mip-presolve"]),
    ("mip-preprocessing none", ["--mip-preprocessing", "none"]),
    ("mip-preprocessing root", ["--mip-preprocessing", "root"]),
    ("GLPK LP defaults (presolve, auto scaling)", ["--presolve", "--scaling", "auto"]),
    ("scaling auto", ["--scaling", "auto"]),
    ("scaling geometric", ["--scaling", "geometric"]),
    ("scaling equilibrate", ["--scaling", "equilibrate"]),
    ("presolve", ["--presolve"]),
    ("basis bixby", ["--initial-basis", "bixby"]),
    ("relaxation-first", ["--relaxation-first"]),
]

# The choices that matter for one monolithic MIP (a subset of MIP_CHOICES).
MONO_NAMES = ["default", "branching dth", "branching most", "backtrack dfs", "backtrack best-projection",
              "cuts gomory", "cuts mir", "cuts cover", "cuts clique", "cuts all", "heuristics none",
              "heuristics +fpump", "heuristics +proxy", "mip-presolve", "mip-preprocessing none",
              "GLPK LP defaults (presolve, auto scaling)"]
MONO_CHOICES = [c for c in MIP_CHOICES if c[0] in MONO_NAMES]

SOLVE_LINE = re.compile(r"^solve: (\d+) simplex iterations, (\d+) branch-and-cut nodes", re.M)
TOLERANCE = 1e-6


def loadavg():
    return "%.2f %.2f %.2f" % os.getloadavg()


def ensure_instance(planner, inst_dir, reuse, name, seed, minerals, mines, refineries, buyers, mip):
    path = os.path.join(inst_dir, name + ".json")
    if reuse and os.path.exists(os.path.join(reuse, name + ".json")):
        return os.path.join(reuse, name + ".json")
    if not os.path.exists(path):
        cmd = [planner, "generate", "--seed", str(seed), "--minerals", str(minerals), "--mines", str(mines),
               "--refineries", str(refineries), "--buyers", str(buyers)] + (["--mip"] if mip else []) + ["-o", path]
        subprocess.run(cmd, check=True)
    return path


def flow_vars(planner, path):
    out = subprocess.run([planner, "validate", path], capture_output=True, text=True).stdout
    m = re.search(r"(\d+) flow variables", out)
    return int(m.group(1)) if m else None


def measure(planner, path, mode, choices, args, work):
    """Runs every choice args.runs times, interleaved; returns one row per choice."""
    base = [planner, "solve", path, "--format", "json", "-v"] + (["--no-decompose"] if mode == "mono" else [])
    samples = {label: [] for label, _ in choices}
    cpus = {label: [] for label, _ in choices}
    single = set()
    results = {label: None for label, _ in choices}
    # One discarded run of the default: file cache and page faults of the first run.
    run_measured(base, args.time_limit, os.path.join(work, "out.json"), os.path.join(work, "err.txt"), work)
    for run in range(args.runs):
        for label, extra in choices:
            if label in single:
                continue
            out, err = os.path.join(work, "out.json"), os.path.join(work, "err.txt")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            r = run_measured(base + extra, args.time_limit, out, err, work)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            # CPU seconds of the command's processes (the worker included:
            # each parent waits for its children): less disturbed by other
            # work on the machine than the wall clock.
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            obj, optimal, phases, _ = planner_result(out, err)
            try:
                with open(err, errors="replace") as f:
                    counts = SOLVE_LINE.findall(f.read())
                iterations = sum(int(i) for i, _ in counts) if counts else None
                nodes = sum(int(n) for _, n in counts) if counts else None
            except OSError:
                iterations, nodes = None, None
            status = "TIMEOUT" if r["timeout"] else ("ok" if optimal and r["rc"] == 0 else f"rc={r['rc']}")
            samples[label].append((r["seconds"], phases.get("solve")))
            cpus[label].append(cpu)
            if results[label] is None or status != "ok":
                results[label] = {"objective": obj, "status": status, "nodes": nodes, "iterations": iterations}
            if run == 0 and (r["timeout"] or r["seconds"] > args.single_run_above):
                single.add(label)
            log(f"  {os.path.basename(path)} {mode} [{label}] run {run + 1}: {r['seconds']:.3f} s cpu {cpu:.3f} s "
                f"{status} obj={obj} iterations={iterations} nodes={nodes}")
    rows = []
    ref = choices[0][0]
    ref_median = statistics.median(s for s, _ in samples[ref])
    ref_solves = [p for _, p in samples[ref] if p is not None]
    ref_solve = statistics.median(ref_solves) if ref_solves else None
    ref_cpu = statistics.median(cpus[ref])
    ref_obj = results[ref]["objective"]
    for label, extra in choices:
        times = [s for s, _ in samples[label]]
        solves = [p for _, p in samples[label] if p is not None]
        med = statistics.median(times)
        res = results[label]
        agree = None
        if res["objective"] is not None and ref_obj is not None:
            agree = abs(res["objective"] - ref_obj) / max(1.0, abs(ref_obj))
        status = res["status"]
        if status == "ok" and (agree is None or agree > TOLERANCE):
            status = "DIFFERS"
        rows.append({"choice": label, "args": " ".join(extra), "mode": mode, "runs": len(times),
                     "median_s": med, "min_s": min(times), "max_s": max(times),
                     "solve_s": statistics.median(solves) if solves else None,
                     "ratio": med / ref_median if ref_median else None,
                     "solve_ratio": (statistics.median(solves) / ref_solve) if solves and ref_solve else None,
                     "cpu_s": statistics.median(cpus[label]),
                     "cpu_ratio": statistics.median(cpus[label]) / ref_cpu if ref_cpu else None,
                     "iterations": res["iterations"],
                     "objective": res["objective"], "rel_diff": agree, "nodes": res["nodes"], "status": status})
    return rows


def fmt(x, digits=3):
    if x is None:
        return "-"
    return f"{x:.{digits}f}" if x < 10 else f"{x:.1f}"


def print_table(rows):
    hdr = ["instance", "flow vars", "mode", "choice", "runs", "median s", "x default", "solve s", "solve x",
           "cpu s", "cpu x", "iterations", "nodes", "objective", "rel diff", "status"]
    lines = []
    for r in rows:
        lines.append([r["instance"], str(r["flow_vars"]), r["mode"], r["choice"], str(r["runs"]), fmt(r["median_s"]),
                      fmt(r["ratio"], 2), fmt(r["solve_s"]), fmt(r["solve_ratio"], 2), fmt(r["cpu_s"]),
                      fmt(r["cpu_ratio"], 2), "-" if r["iterations"] is None else str(r["iterations"]),
                      "-" if r["nodes"] is None else str(r["nodes"]),
                      "-" if r["objective"] is None else f"{r['objective']:.12g}",
                      "-" if r["rel_diff"] is None else f"{r['rel_diff']:.1e}", r["status"]])
    widths = [max(len(h), *(len(l[i]) for l in lines)) for i, h in enumerate(hdr)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(hdr, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for l in lines:
        print("| " + " | ".join(v.ljust(w) for v, w in zip(l, widths)) + " |")


def geo(xs):
    xs = [x for x in xs if x]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


REFERENCE = {}


def count_ratio(r, key):
    """Iterations or nodes of a row over its instance's default (None if either is 0 or missing)."""
    ref = REFERENCE.get((r["instance"], r["mode"]), {}).get(key)
    return r[key] / ref if r.get(key) and ref else None


def summary(rows, order):
    for r in rows:
        if r["choice"] == "default":
            REFERENCE[(r["instance"], r["mode"])] = r
    """Per choice and mode: the geometric mean of the ratios over the
    instances, their range, and how many instances it changed the optimum on."""
    groups = {}
    for r in rows:
        if r["ratio"] and r["status"] in ("ok", "DIFFERS"):
            groups.setdefault((r["ladder"], r["mode"], r["choice"]), []).append(r)
    print()
    print("| ladder | mode | choice | instances | end to end x default (geo-mean) | min | max "
          "| solve phase x default (geo-mean) | min | max | cpu x default (geo-mean) | iterations x (geo-mean) "
          "| nodes x (geo-mean) | optimum changed | timeouts |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    keys = sorted({(r["ladder"], r["mode"], r["choice"]) for r in rows},
                  key=lambda k: (k[0], k[1], order[(k[0], k[1])].index(k[2])))
    for key in keys:
        rs = groups.get(key, [])
        timeouts = sum(1 for r in rows if (r["ladder"], r["mode"], r["choice"]) == key and r["status"] == "TIMEOUT")
        if rs:
            e2e, solve = [r["ratio"] for r in rs], [r["solve_ratio"] for r in rs if r["solve_ratio"]]
            print(f"| {key[0]} | {key[1]} | {key[2]} | {len(rs)} | {geo(e2e):.2f} | {min(e2e):.2f} | {max(e2e):.2f} | "
                  + (f"{geo(solve):.2f} | {min(solve):.2f} | {max(solve):.2f}" if solve else "- | - | -")
                  + f" | {fmt(geo([r['cpu_ratio'] for r in rs]), 2)}"
                  + f" | {fmt(geo([count_ratio(r, 'iterations') for r in rs]), 2)}"
                  + f" | {fmt(geo([count_ratio(r, 'nodes') for r in rs]), 2)}"
                  + f" | {sum(1 for r in rs if r['status'] == 'DIFFERS')} | {timeouts} |")
        else:
            print(f"| {key[0]} | {key[1]} | {key[2]} | 0 | - | - | - | - | - | - | - | - | - | - | {timeouts} |")


def load_range(rows):
    loads = [float(r["load_before"].split()[0]) for r in rows] + [float(r["load_after"].split()[0]) for r in rows]
    return f"{min(loads):.2f} to {max(loads):.2f}" if loads else "-"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--planner", required=True)
    ap.add_argument("--out", default="bench-out/choices")
    ap.add_argument("--instances", default=None, help="reuse NAME.json files of this folder (bench-suite's)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=60)
    ap.add_argument("--single-run-above", type=float, default=15)
    ap.add_argument("--only", default=None, help="comma-separated instance names")
    ap.add_argument("--ladders", default="lp,mip,mono", help="any of lp, mip, mono")
    ap.add_argument("--with-1e6", action="store_true", help="add lp-1e6 to the LP ladder")
    args = ap.parse_args()
    os.makedirs(os.path.join(args.out, "instances"), exist_ok=True)
    work = os.path.join(args.out, "work")
    os.makedirs(work, exist_ok=True)
    ladders = set(args.ladders.split(","))
    only = set(args.only.split(",")) if args.only else None
    lp_names = LP_DEFAULT_NAMES + (["lp-1e6"] if args.with_1e6 else [])
    plan = []
    if "lp" in ladders:
        plan += [(e, False, "lp", LP_CHOICES) for e in LP_LADDER if e[0] in lp_names]
    mips = list(MIP_LADDER) + MIP_EXTRA
    if "mip" in ladders:
        plan += [(e, True, "dec", MIP_CHOICES) for e in mips]
    if "mono" in ladders:
        plan += [(e, True, "mono", MONO_CHOICES) for e in mips if e[0] not in MONO_SKIP]
    if only:
        plan = [p for p in plan if p[0][0] in only]
    started = datetime.datetime.now(datetime.timezone.utc)
    log(f"bench-choices: {machine()}; start {started:%Y-%m-%d %H:%M} UTC; load {loadavg()}")
    rows = []
    for entry, mip, mode, choices in plan:
        name = entry[0]
        path = ensure_instance(args.planner, os.path.join(args.out, "instances"), args.instances, *entry, mip)
        fv = flow_vars(args.planner, path)
        before = loadavg()
        log(f"{name} ({fv} flow variables) {mode}: load {before}")
        for r in measure(args.planner, path, "mono" if mode == "mono" else "dec", choices, args, work):
            r.update({"instance": name, "flow_vars": fv, "ladder": "mip" if mip else "lp",
                      "load_before": before, "load_after": loadavg()})
            rows.append(r)
    ended = datetime.datetime.now(datetime.timezone.utc)
    fields = ["instance", "flow_vars", "ladder", "mode", "choice", "args", "runs", "median_s", "min_s", "max_s",
              "solve_s", "ratio", "solve_ratio", "cpu_s", "cpu_ratio", "iterations", "nodes", "objective", "rel_diff", "status", "load_before", "load_after"]
    with open(os.path.join(args.out, "choices.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow(r)
    print(f"Machine: {machine()}. {started:%Y-%m-%d %H:%M}-{ended:%H:%M} UTC. "
          f"Median of {args.runs} runs (one run above {args.single_run_above:g} s), time limit {args.time_limit:g} s. "
          f"1-minute load average at the start of the instances: {load_range(rows)}.")
    print()
    print_table(rows)
    summary(rows, {("lp", "dec"): [c for c, _ in LP_CHOICES], ("mip", "dec"): [c for c, _ in MIP_CHOICES],
                   ("mip", "mono"): [c for c, _ in MONO_CHOICES]})
    bad = [r for r in rows if r["status"] not in ("ok",)]
    return 1 if any(r["status"] == "DIFFERS" for r in bad) else 0


if __name__ == "__main__":
    sys.exit(main())
