"""Playback: Plotly animation frames against a server-side timer, measured.

Frames: one figure carrying every half-step, played by plotly.js in the browser.
Timer: the page's fragment reruns every tick and sends one snapshot's figure.
For n points and a run of about 100 half-steps this prints the build time and JSON size
of the animation figure (paid before the first frame can play) and of a single-snapshot
figure (paid at every tick). Usage::

    python benchmarks/bench_playback.py
"""

from __future__ import annotations

import time

import gmm
from gmm import figures


def history(n: int, half_steps: int = 100):
    data = gmm.generate("overlapping", n, 3, 2, 0)
    stepper = gmm.EMStepper.start(data.X, 3, init="random_from_data", random_state=0, tol=0.0)
    stepper.run(max_iter=half_steps // 2)
    return data.X, stepper


def snapshot_arrays(stepper, snapshot):
    params = snapshot.params
    return (
        stepper.responsibilities(snapshot.index),
        params.means,
        params.full_covariances,
        params.weights,
    )


def timed(build):
    start = time.perf_counter()
    figure = build()
    built = time.perf_counter() - start
    start = time.perf_counter()
    size = len(figure.to_json())
    return built, time.perf_counter() - start, size


def main() -> None:
    print("| n | approach | build (s) | to_json (s) | JSON (MB) |")
    print("|---:|---|---:|---:|---:|")
    for n in (1_000, 10_000, 100_000):
        X, stepper = history(n)
        frames = [snapshot_arrays(stepper, s) for s in stepper.snapshots]
        labels = [s.label for s in stepper.snapshots]
        for name, build in (
            (
                f"frames ({len(frames)} half-steps, hover γ)",
                lambda: figures.animation_2d(X, frames, labels),
            ),
            (
                f"frames ({len(frames)} half-steps, no hover γ)",
                lambda: figures.animation_2d(X, frames, labels, frame_hover=False),
            ),
            ("timer: one tick", lambda: figures.scatter_2d(X, *frames[-1])),
        ):
            built, serialised, size = timed(build)
            print(f"| {n:,} | {name} | {built:.2f} | {serialised:.2f} | {size / 1e6:.1f} |")


if __name__ == "__main__":
    main()
