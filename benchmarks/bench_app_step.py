"""Server time of one click on "Step (E+M)" on the Explore page, through AppTest.

AppTest reruns the whole app (sidebar, page and figure serialisation); in the browser a
click reruns only the page's fragment, so these figures are an upper bound on the server
time per step. Usage::

    python benchmarks/bench_app_step.py

Prints a markdown table: median and max over repeats, for n generated points.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(at: AppTest) -> float:
    at._finished_page_script_hash = ""  # see tests/app/apptest_helpers.py::run
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def measure(n: int, repeats: int) -> list[float]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    run(at)
    at.radio(key="source_kind").set_value("Generate")
    run(at)
    at.selectbox(key="gen_kind").set_value("overlapping")
    at.number_input(key="gen_n").set_value(n)
    at.number_input(key="gen_k").set_value(5)
    run(at)
    at.slider(key="k").set_value(5)
    run(at)
    times = []
    for _ in range(repeats):
        next(b for b in at.button if b.label == "Step (E+M)").click()
        times.append(run(at))
    return times


def main() -> None:
    print("| n | K | median step (ms) | max (ms) | repeats |")
    print("|---:|---:|---:|---:|---:|")
    for n, repeats in ((1_000, 8), (10_000, 8), (100_000, 5), (200_000, 5)):
        times = measure(n, repeats)
        print(
            f"| {n:,} | 5 | {1000 * statistics.median(times):.0f} | "
            f"{1000 * max(times):.0f} | {repeats} |"
        )


if __name__ == "__main__":
    main()
