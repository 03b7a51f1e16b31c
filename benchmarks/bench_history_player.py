"""The history played in the browser (issue 15): scrub, Back, playback and a new half-step.

Run from the repository root (needs Debian's /usr/bin/chromium and playwright)::

    python benchmarks/bench_history_player.py [--sizes 1000,10000,100000] [--repeats 5]
        [--dims 2]

For each number of columns d (``--dims 1,2,3``: the 1-D, 2-D or 3-D view) and each n
(generated data, the sidebar's defaults otherwise), in headless Chromium:

* **new half-step**: click on "Step (E+M)" → the scatter painted with the new ellipses
  (``bench_browser_latency.measure_click``: the click event to two animation frames
  after Plotly drew it), from the half-step computed ahead of the click; the bytes the
  page received for the click (the rerun that commits the step, with the new blocks);
* then a run of 100 half-steps (tol 0, max_iter 50), and in the browser alone:
  **scrub** (← on the focused half-step slider) and **Back** (the button), each from
  the input event to two animation frames after the frame was drawn;
* **playback** at 32× from the first half-step: frames per second from the first to the
  last drawn half-step, and whether any half-step was skipped.

Prints medians and worst cases as a markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_browser_latency import TIMED_LAUNCHER, generate, measure_click, type_number
from browser_helpers import streamlit_server, ui
from explore_actions import choose_option

# The time from the next input (key or click) to the browser's player having drawn another
# half-step and two animation frames more (assets/history_player.js sets gmmPosition).
ARM_INPUT = """
() => {
  const bench = window.__moved = {t0: null, painted: null,
    from: document.documentElement.dataset.gmmPosition};
  const start = () => { if (bench.t0 === null) bench.t0 = performance.now(); };
  document.addEventListener('keydown', start, {capture: true, once: true});
  document.addEventListener('pointerdown', start, {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (document.documentElement.dataset.gmmPosition === bench.from) return;
    observer.disconnect();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      bench.painted = performance.now();
    }));
  });
  observer.observe(document.documentElement, {attributes: true,
    attributeFilter: ['data-gmm-position']});
}
"""

# Each half-step drawn during playback, with its time.
WATCH_PLAYBACK = """
() => {
  const seen = window.__frames = [];
  const observer = new MutationObserver(() => {
    seen.push([performance.now(), Number(document.documentElement.dataset.gmmPosition)]);
  });
  observer.observe(document.documentElement, {attributes: true,
    attributeFilter: ['data-gmm-position']});
  window.__stopWatching = () => observer.disconnect();
}
"""


def timed_input(page, act) -> float:
    """ms from the input ``act()`` makes to the browser's new half-step on screen."""
    page.evaluate(ARM_INPUT)
    act()
    page.wait_for_function("() => window.__moved.painted !== null", timeout=30_000, polling=10)
    return page.evaluate("() => window.__moved.painted - window.__moved.t0")


def long_history(page) -> None:
    """A run of 100 half-steps: tol 0, max_iter 50, Run to convergence."""
    type_number(page, "max_iter", 50)
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="tol").get_by_role("slider")
    thumb.focus()
    before = ui.app_activity(page)
    page.keyboard.press("End")
    ui.wait_for_app_idle(page, before)
    ui.click(page, ui.button(page, "Run to convergence"), timeout=300_000)
    page.wait_for_timeout(1_500)  # the blocks reach the browser


def bench_size(browser, server, n: int, repeats: int, dim: int = 2) -> dict:
    page = ui.open_app(browser, server.url)
    try:
        generate(page, n)
        if dim != 2:
            choose_option(page, "Dimensions", str(dim))
        step = ui.button(page, "Step (E+M)")
        measure_click(page, step)  # warm-up
        clicks = []
        for _ in range(repeats):
            page.wait_for_timeout(700)  # the step ahead of the next click reaches the browser
            clicks.append(measure_click(page, step))
        long_history(page)
        last = ui.status(page)["last"]
        slider = page.get_by_role("slider", name="Half-step")
        slider.focus()
        scrub = [timed_input(page, lambda: page.keyboard.press("ArrowLeft")) for _ in range(20)]
        back = ui.button(page, "Back")
        backs = [timed_input(page, back.click) for _ in range(10)]
        slider.focus()
        page.keyboard.press("Home")
        page.wait_for_timeout(500)
        page.get_by_role("combobox", name="Speed").select_option(label="32×")
        page.evaluate(WATCH_PLAYBACK)
        ui.button(page, "Play").click()
        page.wait_for_function(
            f"() => document.documentElement.dataset.gmmPosition === '{last}'",
            timeout=120_000,
            polling=50,
        )
        frames = page.evaluate("() => { window.__stopWatching(); return window.__frames; }")
        positions = [p for _, p in frames]
        steps = sorted(set(positions))
        fps = (len(steps) - 1) / ((frames[-1][0] - frames[0][0]) / 1e3) if len(frames) > 1 else 0
        assert not ui.exceptions(page), ui.exceptions(page)
        return {
            "d": dim,
            "n": n,
            "click": [c["total"] for c in clicks],
            "bytes": [c["bytes"] for c in clicks],
            "scrub": scrub,
            "back": backs,
            "fps": fps,
            "skipped": sorted(set(range(positions[0], last + 1)) - set(positions)),
            "last": last,
        }
    finally:
        page.context.close()


def med_max(values) -> str:
    return f"{statistics.median(values):,.0f} / {max(values):,.0f}"


def table(rows: list[dict]) -> str:
    lines = [
        "| d | n | new half-step: click → painted, median / worst (ms) | bytes received per "
        "click, median | scrub ← → painted (ms) | Back → painted (ms) | playback at 32× "
        "(half-steps/s) | half-steps skipped |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['d']} | {r['n']:,} | {med_max(r['click'])} | {statistics.median(r['bytes']) / 1e3:,.0f} kB"
            f" | {med_max(r['scrub'])} | {med_max(r['back'])} | {r['fps']:.1f} | "
            f"{r['skipped'] or 'none'} of {r['last']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--dims", default="2", help="the views to measure, e.g. 1,2,3")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    log_dir = Path(tempfile.mkdtemp(prefix="bench-history-"))
    started = time.time()
    with (
        streamlit_server.streamlit_server(log_dir, launcher=TIMED_LAUNCHER) as server,
        sync_playwright() as playwright,
    ):
        browser = ui.launch_chromium(playwright)
        rows = [
            bench_size(browser, server, int(n), args.repeats, int(d))
            for d in args.dims.split(",")
            for n in args.sizes.split(",")
        ]
        browser.close()
    print(table(rows))
    print(f"\n({time.time() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
