"""Build time and JSON size of the GMM Explorer figures.

Run from the repository root::

    python benchmarks/bench_figures.py

Prints, for n = 1k, 10k, 100k and 200k points (K = 3, masses 50/90%):
the time to build `gmm.figures.scatter_2d` (default 20 000-point display
cap and uncapped), the time of ``fig.to_json()`` (what Streamlit sends)
and the JSON size; then `loglik_curve` over 201 half-steps; then
`gmm.figures.scatter_3d` and `gmm.figures.density_1d` at n = 1k,
10k and 100k (default display cap).  No asserts.

``python benchmarks/bench_figures.py nd`` runs only the 3-D / 1-D part.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gmm.figures import density_1d, loglik_curve, scatter_2d, scatter_3d

SIZES = (1_000, 10_000, 100_000, 200_000)
SIZES_ND = (1_000, 10_000, 100_000)
MASSES = (0.5, 0.9)
K = 3
REPEATS = 3


def synthetic_snapshot(n: int, k: int = K, seed: int = 0):
    """Random data and responsibilities with the shapes of an EM snapshot."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * [3.0, 1.0]
    gamma = rng.dirichlet(np.full(k, 0.5), size=n)
    means = rng.normal(size=(k, 2))
    covariances = np.stack([np.array([[1.0, 0.3], [0.3, 0.5]]) * (i + 1) for i in range(k)])
    weights = np.full(k, 1.0 / k)
    return X, gamma, means, covariances, weights


def synthetic_snapshot_nd(n: int, dim: int, k: int = K, seed: int = 0):
    """Like `synthetic_snapshot` in ``dim`` dimensions (1 or 3)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, dim)) * np.linspace(3.0, 1.0, dim)
    gamma = rng.dirichlet(np.full(k, 0.5), size=n)
    means = rng.normal(size=(k, dim))
    base = 0.3 * np.ones((dim, dim)) + 0.7 * np.eye(dim)
    covariances = np.stack([base * (i + 1) for i in range(k)])
    weights = np.full(k, 1.0 / k)
    return X, gamma, means, covariances, weights


def best_time(build, repeats: int = REPEATS):
    """Smallest wall time of ``build()`` over ``repeats`` runs, and its result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = build()
        times.append(time.perf_counter() - start)
    return min(times), result


def report(label: str, build, repeats: int = REPEATS) -> None:
    """Print build time, to_json time and JSON size of one figure."""
    build_s, fig = best_time(build, repeats)
    json_s, text = best_time(fig.to_json, repeats)
    print(
        f"{label:<44} build {1e3 * build_s:8.1f} ms   to_json {1e3 * json_s:8.1f} ms"
        f"   {len(text) / 1e6:7.2f} MB"
    )


def bench_nd() -> None:
    """scatter_3d and density_1d at n = 1k, 10k, 100k (K = 3, masses 50/90%)."""
    scatter_3d(*synthetic_snapshot_nd(100, 3))  # warm up
    density_1d(*synthetic_snapshot_nd(100, 1))
    for n in SIZES_ND:
        X, gamma, means, covs, weights = synthetic_snapshot_nd(n, 3)
        report(f"scatter_3d n={n:>7,}", lambda: scatter_3d(X, gamma, means, covs, weights, MASSES))
    for n in SIZES_ND:
        X, gamma, means, covs, weights = synthetic_snapshot_nd(n, 1)
        report(f"density_1d n={n:>7,}", lambda: density_1d(X, gamma, means, covs, weights, MASSES))


def main() -> None:
    if sys.argv[1:] == ["nd"]:
        bench_nd()
        return
    snapshot = synthetic_snapshot(100)
    scatter_2d(*snapshot)  # warm up Plotly's lazily loaded validators
    for n in SIZES:
        X, gamma, means, covs, weights = synthetic_snapshot(n)
        report(f"scatter_2d n={n:>7,}", lambda: scatter_2d(X, gamma, means, covs, weights))
        if n > 20_000:
            report(
                f"scatter_2d n={n:>7,} max_points=None",
                lambda: scatter_2d(X, gamma, means, covs, weights, max_points=None),
            )
    m = 201
    phases = ["init"] + ["E", "M"] * 100
    iterations = [0] + [i for i in range(1, 101) for _ in range(2)]
    report(
        "loglik_curve 201 half-steps",
        lambda: loglik_curve(
            np.linspace(-10, -1, m),
            phases,
            50,
            iterations=iterations,
            lower_bound=np.linspace(-11, -1, m),
        ),
    )
    bench_nd()


if __name__ == "__main__":
    main()
