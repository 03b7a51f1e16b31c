"""Three fits of the ``bench_em`` case n = 10^5, d = 2, K = 5, full, 20 iterations: a
script to run under a profiler (see docs/performance.md)::

    OPENBLAS_NUM_THREADS=1 pyinstrument -r text benchmarks/profile_fit.py

It asserts nothing and prints nothing.
"""

from __future__ import annotations

import warnings

from bench_em import N_COMPONENTS, make_data

from gmm import GaussianMixture, initialize


def main(n: int = 100_000, d: int = 2, fits: int = 3) -> None:
    X = make_data(n, d)
    start = initialize(X, N_COMPONENTS, "full", "random_from_data", random_state=1)
    warnings.simplefilter("ignore")  # tol=0: the convergence warning
    for _ in range(fits):
        GaussianMixture(
            N_COMPONENTS,
            tol=0.0,
            max_iter=20,
            weights_init=start.weights,
            means_init=start.means,
            precisions_init=start.precisions,
        ).fit(X)


if __name__ == "__main__":
    main()
