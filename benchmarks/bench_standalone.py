"""Size and build time of the standalone HTML animation (``gmm.figures.standalone``).

Run from the repository root::

    python benchmarks/bench_standalone.py            # n = 1k, 10k, 100k; d = 1, 2, 3
    python benchmarks/bench_standalone.py --browser  # and the time to open and play it
    python benchmarks/bench_standalone.py --sizes 10000 --dims 1   # one case

For each n and d: overlapping d-dimensional data (``gmm.generate``, seed 0), K = 3 from random data
points, ``tol = 0`` and ``max_iter = 50``, so that the history has 101 snapshots (100
half-steps after the initialisation). Prints the EM time, the page's build time (best of
3), its size, and what each part of the packed block weighs when gzipped alone (an
estimate of its share: the parts are compressed together in the page). With
``--browser``: Debian's Chromium, offline, from file://: the time until the first
half-step is drawn and the mean time per half-step of playing the whole run at the
fastest speed. No asserts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gmm import EMStepper, e_step, generate
from gmm.figures.packing import from_text, unpack
from gmm.figures.standalone import standalone_animation

SIZES = (1_000, 10_000, 100_000)
REPEATS = 3
DATA = re.compile(r'data-bytes="(\d+)">([^<]*)</script>')


def history(n: int, d: int) -> EMStepper:
    X = generate("overlapping", n, 3, d, 0).X
    stepper = EMStepper.start(X, 3, init="random_from_data", random_state=0, tol=0, max_iter=50)
    stepper.run()
    return stepper


def rows_of(stepper: EMStepper):
    """The responsibilities of some rows at an E-step, as `gmm.animation` computes them."""
    return lambda index, rows: (
        e_step(stepper.X[rows], stepper.snapshots[index].params).responsibilities
    )


def parts(page: str) -> dict[str, int]:
    """Bytes of each part of the packed block, gzipped alone."""
    found = DATA.search(page)
    script, manifest, arrays = unpack(from_text(found.group(2), int(found.group(1))))
    size = {"plotly.js": script.encode()}
    size |= {f"manifest: {k}": json.dumps(v).encode() for k, v in manifest.items()}
    size |= {f"array: {k} ({a.dtype})": a.tobytes() for k, a in arrays.items()}
    return {name: len(gzip.compress(raw, 9)) for name, raw in size.items()}


def in_browser(path: Path, last: int) -> tuple[float, float]:
    """Seconds to the first drawn half-step, and per half-step while playing at 8×."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(viewport={"width": 1300, "height": 1100}, offline=True)
        page = context.new_page()
        began = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("document.documentElement.dataset.gmmState", timeout=120_000)
        opened = time.perf_counter() - began
        page.select_option("#gmm-speed", label="8×")
        began = time.perf_counter()
        page.click("#gmm-play")
        page.wait_for_function(
            f"document.documentElement.dataset.gmmShown === '{last}'", timeout=600_000
        )
        played = (time.perf_counter() - began) / last
        browser.close()
    return opened, played


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--browser", action="store_true", help="also open and play it")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="n, comma-separated")
    parser.add_argument("--dims", default="1,2,3", help="d, comma-separated")
    args = parser.parse_args()
    cases = [(int(n), int(d)) for d in args.dims.split(",") for n in args.sizes.split(",")]
    for n, d in cases:
        began = time.perf_counter()
        stepper = history(n, d)
        em = time.perf_counter() - began
        builds = []
        for _ in range(REPEATS):
            began = time.perf_counter()
            names = [f"x{j + 1}" for j in range(d)]
            page = standalone_animation(
                stepper.X, stepper.snapshots, rows_of(stepper), column_names=names
            )
            builds.append(time.perf_counter() - began)
        size = len(page.encode("utf-8"))
        last = len(stepper.snapshots) - 1
        print(
            f"d = {d}, n = {n:>7,}: {last} half-steps; EM {em:.2f} s; build {min(builds):.2f} s "
            f"(best of {REPEATS}); page {size / 1e6:.3f} MB ({size:,} bytes)"
        )
        for name, weight in parts(page).items():
            if weight > 2000:
                print(f"    {name:<28} {weight / 1e3:8.1f} kB gzipped")
        if args.browser:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "em.html"
                path.write_text(page, encoding="utf-8")
                opened, played = in_browser(path, last)
            print(
                f"    browser: first half-step drawn {opened:.2f} s; {played * 1e3:.0f} ms/half-step"
            )


if __name__ == "__main__":
    main()
