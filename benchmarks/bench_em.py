"""Time per EM iteration: the ``gmm`` engine against scikit-learn.

Both estimators get the same data and exactly the same initial state (scikit-learn via
``weights_init``, ``means_init`` and ``precisions_init``), ``tol=0`` so that neither
stops early, and the same fixed number of iterations: 20, or 10 at n = 10^6. Each
``fit`` is timed as a whole (checks, initial state, the iterations, the final E-step for
the labels; nothing subtracted) and divided by the number of iterations. The two
libraries are timed in turn, ``--repeats`` times each, interleaved, so that both see the
same load on a shared machine; the medians are reported, and their ratio.

Cases (issue 14): K = 5, full covariances at n = 10^4, 10^5, 10^6 for d = 2 and 3; tied,
diag and spherical at n = 10^4, 10^5 and 10^6, d = 2. BLAS threads are left at their
defaults unless ``--threads`` limits them with threadpoolctl; the thread counts in force
are printed.

Usage::

    /work/venv/bin/python benchmarks/bench_em.py --threads 1   # ~4 minutes
    /work/venv/bin/python benchmarks/bench_em.py --quick       # n up to 10^5
    /work/venv/bin/python benchmarks/bench_em.py --only full   # one covariance type
    /work/venv/bin/python benchmarks/bench_em.py --threads 1 --cpu  # CPU time, 1 thread

The "ratio" column is scikit-learn's time divided by ours (above 1: we are faster).
This is not a test: it asserts nothing; it prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.mixture import GaussianMixture as SklearnMixture
from threadpoolctl import threadpool_info, threadpool_limits

import gmm
from gmm import GaussianMixture, initialize

N_COMPONENTS = 5


def make_data(n: int, d: int, seed: int = 0) -> np.ndarray:
    """K = 5 overlapping Gaussian blobs with random shapes, shuffled."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=5.0, size=(N_COMPONENTS, d))
    labels = rng.integers(0, N_COMPONENTS, size=n)
    shapes = rng.normal(scale=0.6, size=(N_COMPONENTS, d, d)) + np.eye(d)
    return centres[labels] + np.einsum("nij,nj->ni", shapes[labels], rng.normal(size=(n, d)))


CLOCK = time.perf_counter  # --cpu: time.process_time (steadier on a loaded machine)


def timed_fit(model, X) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: tol=0 never converges
        start = CLOCK()
        model.fit(X)
        return CLOCK() - start


def bench_case(n: int, d: int, covariance_type: str, iterations: int, repeats: int):
    X = make_data(n, d)
    start = initialize(X, N_COMPONENTS, covariance_type, "random_from_data", random_state=1)
    settings = dict(
        covariance_type=covariance_type,
        tol=0.0,
        max_iter=iterations,
        reg_covar=1e-6,
        weights_init=start.weights,
        means_init=start.means,
        precisions_init=start.precisions,
    )
    ours_times, theirs_times = [], []
    for _ in range(repeats):  # interleaved: both see the same load
        ours = GaussianMixture(N_COMPONENTS, **settings)
        ours_times.append(timed_fit(ours, X))
        theirs = SklearnMixture(N_COMPONENTS, **settings)
        theirs_times.append(timed_fit(theirs, X))
    ours_s, theirs_s = np.median(ours_times), np.median(theirs_times)
    return {
        "n": n,
        "d": d,
        "covariance_type": covariance_type,
        "ours_ms": 1e3 * ours_s / iterations,
        "sklearn_ms": 1e3 * theirs_s / iterations,
        "iterations": (ours.n_iter_, theirs.n_iter_),
        # sanity: both ran the same EM, so their final per-point log-likelihoods agree
        "bound_gap": abs(ours.lower_bound_ - theirs.lower_bound_)
        / max(abs(theirs.lower_bound_), 1e-300),
    }


def blas_summary() -> str:
    found = {
        (i["internal_api"], i["num_threads"], os.path.basename(i["filepath"]))
        for i in threadpool_info()
    }
    return "; ".join(f"{api} x{threads} ({name})" for api, threads, name in sorted(found))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument(
        "--iterations-large", type=int, default=10, help="iterations per fit at n = 10^6"
    )
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", choices=("full", "tied", "diag", "spherical"))
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="limit BLAS/OpenMP threads (default: leave as they are)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="skip n = 10^6 and time each case once"
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time with the process's CPU clock instead of the wall clock (use with --threads 1)",
    )
    args = parser.parse_args(argv)
    global CLOCK
    CLOCK = time.process_time if args.cpu else time.perf_counter
    repeats = 1 if args.quick else args.repeats
    sizes = (10**4, 10**5) if args.quick else (10**4, 10**5, 10**6)
    cases = [(n, d, "full") for d in (2, 3) for n in sizes]
    cases += [(n, 2, t) for t in ("tied", "diag", "spherical") for n in sizes]
    cases = [case for case in cases if args.only in (None, case[2])]

    limits = threadpool_limits(limits=args.threads) if args.threads else None
    total = time.perf_counter()
    rows = [
        bench_case(n, d, t, args.iterations_large if n >= 10**6 else args.iterations, repeats)
        for n, d, t in cases
    ]
    total = time.perf_counter() - total

    print(
        f"EM iteration time, K = {N_COMPONENTS}, tol=0, {args.iterations} iterations "
        f"per fit ({args.iterations_large} at n = 10^6), medians of {repeats} interleaved fits, "
        f"{'CPU' if args.cpu else 'wall-clock'} time"
    )
    print(
        f"gmm {getattr(gmm, '__version__', 'dev')}, scikit-learn {sklearn.__version__}, "
        f"NumPy {np.__version__}, SciPy {scipy.__version__}, Python "
        f"{platform.python_version()}, {os.cpu_count()} CPU(s)"
    )
    print(
        f"BLAS threads ({f'limited to {args.threads}' if args.threads else 'defaults'})"
        f": {blas_summary()}"
    )
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(
        "| n | d | covariance | ours ms/iter | scikit-learn ms/iter | ratio (sklearn / ours) |"
        " iterations (ours, sklearn) | final lower bound, rel. gap |"
    )
    print("|---:|---:|---|---:|---:|---:|---|---:|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['d']} | {r['covariance_type']} | {r['ours_ms']:.2f} | "
            f"{r['sklearn_ms']:.2f} | {r['sklearn_ms'] / r['ours_ms']:.1f} | "
            f"{r['iterations'][0]}, {r['iterations'][1]} | {r['bound_gap']:.1e} |"
        )
    print()
    print(f"total benchmark time: {total:.0f} s")
    if limits is not None:
        limits.restore_original_limits()


if __name__ == "__main__":
    main()
