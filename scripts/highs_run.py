#!/usr/bin/env python3
"""Solves an MPS file with HiGHS (highspy, a peer solver for benchmarks only)
and prints `STATUS <model status>` and `OBJECTIVE <value %.12g>` (or, stopped
with a plan, `INCUMBENT`), and for a MIP `BOUND` and `GAP`.

    highs_run.py FILE.mps [--threads N] [--mip-gap G] [--time-limit S]

Used by scripts/bench_suite.py as the `highs-mps` path."""
import argparse
import sys

import highspy


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mps")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--mip-gap", type=float, default=None)
    ap.add_argument("--time-limit", type=float, default=None)
    args = ap.parse_args()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", args.threads)
    if args.mip_gap is not None:
        h.setOptionValue("mip_rel_gap", args.mip_gap)
    if args.time_limit is not None:
        h.setOptionValue("time_limit", args.time_limit)
    if h.readModel(args.mps) != highspy.HighsStatus.kOk:
        print("STATUS read-error")
        return 1
    h.run()
    status = h.getModelStatus()
    print("STATUS", h.modelStatusToString(status))
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kOptimal:
        print("OBJECTIVE %.12g" % info.objective_function_value)
    elif info.primal_solution_status != 0:
        # Stopped with a plan (a time limit): its cost, bound and gap.
        print("INCUMBENT %.12g" % info.objective_function_value)
    if h.getLp().integrality_ and len(h.getLp().integrality_) > 0:
        print("BOUND %.12g" % info.mip_dual_bound)
        print("GAP %.6g" % info.mip_gap)
    return 0


if __name__ == "__main__":
    sys.exit(main())
