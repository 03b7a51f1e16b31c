"""The Choose K sweep and the history's memory, timed on whichever ``gmm`` is imported.

Two figures from issue 14:

* **sweep**: :func:`gmm.fit_sweep` over K = 1..8 x the four covariance types x 5 restarts
  (160 EM runs, k-means start, default ``tol`` and ``max_iter``) at n = 10,000, d = 2;
  wall-clock seconds, median of ``--repeats``.
* **history memory**: an :class:`gmm.EMStepper` at n = 10^6, K = 10, d = 3 run for 250
  iterations (500 snapshots, ``tol=0``); ``tracemalloc`` measures what the stepper holds
  beyond the data: its history alone, then everything it keeps (the history, the cached
  E-steps and any per-point moments), and after ``release_cache()``.

To compare two versions in one run, point ``--other`` at another checkout: each sweep runs
in a child process with one checkout first on ``sys.path``, the two checkouts in turn
(interleaved), and both figures are printed, with the ratio of the medians::

    python benchmarks/bench_sweep.py                       # this checkout only
    python benchmarks/bench_sweep.py --other /work/main    # and the other, same run
    python benchmarks/bench_sweep.py --skip-memory         # the sweep only (~1 min)

This is not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc


def make_data(n: int, d: int, seed: int = 0):
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=5.0, size=(5, d))
    labels = rng.integers(0, 5, size=n)
    shapes = rng.normal(scale=0.6, size=(5, d, d)) + np.eye(d)
    return centres[labels] + np.einsum("nij,nj->ni", shapes[labels], rng.normal(size=(n, d)))


def time_sweep(repeats: int) -> dict:
    from gmm.sweep import fit_sweep

    X = make_data(10_000, 2)
    times, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fit_sweep(X, range(1, 9), n_restarts=5, seed=0)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    best = result.best("bic")
    return {
        "median_s": statistics.median(times),
        "median_cpu_s": statistics.median(cpu),
        "times_s": times,
        "best": best.label,
        "iterations": sum(r.n_iter for r in result.rows),
    }


def measure_history(iterations: int) -> dict:
    import numpy as np

    import gmm

    X = make_data(10**6, 3, seed=1)
    initial = gmm.initialize(X[:20_000], 10, "full", "random_from_data", random_state=0)
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    stepper = gmm.EMStepper(X, initial, tol=0.0, max_iter=iterations)
    start = time.perf_counter()
    stepper.run()
    seconds = time.perf_counter() - start
    held = tracemalloc.get_traced_memory()[0] - base
    peak = tracemalloc.get_traced_memory()[1] - base
    stepper.release_cache()
    after_release = tracemalloc.get_traced_memory()[0] - base
    history = list(stepper.snapshots)
    del stepper
    history_only = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return {
        "snapshots": len(history),
        "history_MB": history_only / 1e6,
        "held_MB": held / 1e6,
        "after_release_MB": after_release / 1e6,
        "peak_MB": peak / 1e6,
        "data_MB": X.nbytes / 1e6,
        "seconds": seconds,
        "ms_per_iteration": 1e3 * seconds / iterations,
        "ll": float(np.asarray(history[-1].log_likelihood)),
    }


def run_here(args) -> dict:
    import gmm

    out = {"gmm": os.path.dirname(gmm.__file__)}
    out["sweep"] = time_sweep(args.repeats)
    if not args.skip_memory:
        out["history"] = measure_history(args.iterations)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=250)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--other", help="another checkout to time in the same run")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.json:
        print(json.dumps(run_here(args)))
        return
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    roots = [here] + ([os.path.abspath(args.other)] if args.other else [])
    # One sweep per child process, the checkouts in turn (interleaved, so that both see
    # the same load); the memory figure once, at the end, from each checkout.
    runs = {root: [] for root in roots}
    for repeat in range(args.repeats):
        for root in roots:
            last = repeat == args.repeats - 1
            command = [sys.executable, os.path.abspath(__file__), "--json", "--repeats", "1"]
            command += ["--iterations", str(args.iterations)]
            command += [] if last and not args.skip_memory else ["--skip-memory"]
            env = dict(os.environ, PYTHONPATH=root)
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            runs[root].append(json.loads(done.stdout.strip().splitlines()[-1]))
    results = []
    for root in roots:
        merged = dict(runs[root][-1])
        merged["sweep"] = dict(merged["sweep"])
        merged["sweep"]["times_s"] = [r["sweep"]["times_s"][0] for r in runs[root]]
        merged["sweep"]["median_s"] = statistics.median(merged["sweep"]["times_s"])
        merged["sweep"]["median_cpu_s"] = statistics.median(
            r["sweep"]["median_cpu_s"] for r in runs[root]
        )
        results.append(merged)
    print(
        "| gmm from | sweep median wall (s) | median CPU (s) | runs, wall (s) |"
        " iterations of the kept fits | best by BIC |"
    )
    print("|---|---:|---:|---|---:|---|")
    for r in results:
        s = r["sweep"]
        runs = ", ".join(f"{t:.1f}" for t in s["times_s"])
        print(
            f"| {r['gmm']} | {s['median_s']:.2f} | {s['median_cpu_s']:.2f} | {runs} |"
            f" {s['iterations']} | {s['best']} |"
        )
    if len(results) == 2:
        wall = results[1]["sweep"]["median_s"] / results[0]["sweep"]["median_s"]
        cpu = results[1]["sweep"]["median_cpu_s"] / results[0]["sweep"]["median_cpu_s"]
        print(
            f"\nsweep: {roots[1]} takes {wall:.1f} times as long as {roots[0]} "
            f"(CPU time: {cpu:.1f} times)"
        )
    if not args.skip_memory:
        print(
            "\n| gmm from | snapshots | history alone (MB) | stepper holds (MB) |"
            " after release_cache (MB) | peak (MB) | data (MB) | ms/iteration |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for r in results:
            h = r["history"]
            print(
                f"| {r['gmm']} | {h['snapshots']} | {h['history_MB']:.2f} | {h['held_MB']:.1f} |"
                f" {h['after_release_MB']:.1f} | {h['peak_MB']:.1f} | {h['data_MB']:.0f} |"
                f" {h['ms_per_iteration']:.0f} |"
            )


if __name__ == "__main__":
    main()
