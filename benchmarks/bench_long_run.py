"""A long Run to convergence in a real browser: progress, Stop, and the page meanwhile.

Run from the repository root (needs Debian's /usr/bin/chromium and playwright)::

    python benchmarks/bench_long_run.py [--n 200000] [--k 10] [--max-iter 500] [--stop-after 5]

Starts ``streamlit run app.py`` as the browser tests do (``tests/browser/server.py``) and
drives headless Chromium at 1400x900. The data: n generated points ("Well-separated
blobs", 3 true components), K components, tol = 0 (so every iteration up to max_iter is
done), k-means++ start. Measured from the click event, in the browser's clock:

* **engine alone**: the same run with ``EMStepper.run`` in this process, no app;
* **full run**: click on "Run to convergence" → first progress bar shown, the progress
  updates seen (how often the text changed), and the status line on the last half-step;
* **Stop**: a second run from a new initialisation, "Stop" clicked ``--stop-after``
  seconds in → the status line on the last half-step computed (the progress bar gone);
* **Back while running**: a click on "Back" (one Step was taken before the run) during
  the run → the status line changed;
* **short run**: Old Faithful, K = 2, default settings → status line converged (the run
  ends inside the click, within ``jobs.FOREGROUND_SECONDS``).

Prints the figures as a small markdown table.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

from browser_helpers import streamlit_server, ui

# Records, in the browser's clock, every change of the progress bar's text and of the
# status line, and the time of the next click.
RECORD = """
() => {
  const progressText = () => {
    const bar = document.querySelector('[data-testid="stProgress"]');
    return bar ? bar.innerText.trim() : null;
  };
  const statusText = () => {
    const line = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
      .find(el => /^Iteration \\d+,/.test(el.innerText.trim()));
    return line ? line.innerText.trim() : null;
  };
  const rec = window.__rec = {t0: null, progress: [], status: [],
                              lastProgress: progressText(), lastStatus: statusText()};
  document.addEventListener('click', () => { rec.t0 = performance.now(); },
                            {capture: true, once: true});
  const look = () => {
    const p = progressText(), s = statusText(), now = performance.now();
    if (p !== rec.lastProgress) { rec.progress.push([now, p]); rec.lastProgress = p; }
    if (s !== rec.lastStatus) { rec.status.push([now, s]); rec.lastStatus = s; }
  };
  if (rec.observer) rec.observer.disconnect();
  rec.observer = new MutationObserver(look);
  rec.observer.observe(document.body, {subtree: true, childList: true, characterData: true});
}
"""


def record(page) -> None:
    page.evaluate(RECORD)


def recorded(page) -> dict:
    return page.evaluate(
        "() => ({t0: window.__rec.t0, progress: window.__rec.progress,"
        " status: window.__rec.status, now: performance.now()})"
    )


def type_number(page, label: str, value) -> None:
    before = ui.app_activity(page)
    field = page.get_by_role("spinbutton", name=label, exact=True)
    if field.input_value().replace(",", "") == str(value):
        return
    field.fill(str(value))
    field.press("Enter")
    ui.wait_for_app_idle(page, before, timeout=120_000)


def press_on_slider(page, label: str, key: str) -> None:
    box = page.locator('[data-testid="stSlider"]').filter(has_text=label)
    box.get_by_role("slider").focus()
    before = ui.app_activity(page)
    page.keyboard.press(key)
    ui.wait_for_app_idle(page, before, timeout=120_000)


def choose_generated(page, n: int, k: int, max_iter: int) -> None:
    group = page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').filter(
        has_text="Source"
    )
    ui.click(page, group.get_by_text("Generate", exact=True))
    type_number(page, "Points n", n)
    for _ in range(k - 2):
        press_on_slider(page, "Components K", "ArrowRight")
    press_on_slider(page, "tol", "End")  # tol = 0
    type_number(page, "max_iter", max_iter)


def progress_bar(page):
    return page.locator('[data-testid="stProgress"]')


def wait_until_ended(page, timeout_s: float) -> None:
    """The run has ended: no progress bar, the page idle."""
    deadline = time.monotonic() + timeout_s
    while progress_bar(page).count():
        assert time.monotonic() < deadline, "the run did not end"
        time.sleep(0.2)
    ui.wait_for_app_idle(page, timeout=120_000)


def engine_seconds(n: int, k: int, max_iter: int) -> float:
    from gmm.data.generators import generate
    from gmm.run import RunSettings

    X = generate("separated", n, 3, 2, 0).X
    stepper = RunSettings(n_components=k, init="k-means++", tol=0.0, max_iter=max_iter).start(X)
    start = time.perf_counter()
    stepper.run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--max-iter", type=int, default=500)
    parser.add_argument("--stop-after", type=float, default=5.0)
    parser.add_argument("--skip-engine", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    if not args.skip_engine:
        rows.append(
            (
                "engine alone, EMStepper.run",
                f"{engine_seconds(args.n, args.k, args.max_iter):.1f} s",
            )
        )
    with (
        tempfile.TemporaryDirectory() as logs,
        streamlit_server.streamlit_server(Path(logs)) as server,
        sync_playwright() as playwright,
    ):
        browser = ui.launch_chromium(playwright)
        page = ui.open_app(browser, server.url)

        record(page)  # a short run on Old Faithful: ends inside the click
        ui.click(page, ui.button(page, "Run to convergence"))
        short = recorded(page)
        done = next(t for t, s in short["status"] if s and "converged ✓" in s)
        rows.append(
            (
                "short run (Old Faithful, K = 2): click → converged status",
                f"{done - short['t0']:.0f} ms",
            )
        )
        rows.append(
            (
                "short run: progress bar shown",
                "yes" if any(p for _, p in short["progress"]) else "no",
            )
        )

        choose_generated(page, args.n, args.k, args.max_iter)
        ui.click(page, ui.button(page, "Step (E+M)"), timeout=120_000)  # Back has somewhere to go
        record(page)
        ui.button(page, "Run to convergence").click()
        progress_bar(page).wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        record_before_back = recorded(page)
        assert ui.button(page, "Back").is_enabled() and progress_bar(page).count()
        ui.button(page, "Back").click()
        page.wait_for_function(
            "n => window.__rec.status.length > n",
            arg=len(record_before_back["status"]),
            timeout=60_000,
        )
        back = recorded(page)
        wait_until_ended(page, timeout_s=3600)
        full = recorded(page)
        t0 = full["t0"]
        texts = [(t, p) for t, p in full["progress"] if p]
        first = texts[0][0] - t0
        end = full["status"][-1][0] - t0
        gaps = [b[0] - a[0] for a, b in itertools.pairwise(texts)]
        back_click = record_before_back["now"]
        back_seen = back["status"][len(record_before_back["status"])][0]
        rows += [
            ("long run: click → first progress bar", f"{first:.0f} ms"),
            ("long run: click → last half-step on screen", f"{end / 1000:.1f} s"),
            (
                "long run: progress updates",
                f"{len(texts)}, median gap {sorted(gaps)[len(gaps) // 2]:.0f} ms" if gaps else "1",
            ),
            ("long run: first / last progress text", f"{texts[0][1]!r} / {texts[-1][1]!r}"),
            ("Back during the run: ≤ click → status changed", f"{back_seen - back_click:.0f} ms"),
            ("long run: final status", full["status"][-1][1]),
        ]

        ui.click(page, ui.button(page, "Initialize"), timeout=120_000)
        record(page)
        ui.button(page, "Run to convergence").click()
        progress_bar(page).wait_for(timeout=60_000)
        page.wait_for_timeout(int(args.stop_after * 1000))
        record(page)
        ui.button(page, "Stop").click()
        wait_until_ended(page, timeout_s=600)
        stop = recorded(page)
        stopped_at = stop["status"][-1][0] - stop["t0"]
        gone = next(t for t, p in stop["progress"] if p is None) - stop["t0"]
        rows += [
            ("Stop: click → progress bar gone", f"{gone:.0f} ms"),
            ("Stop: click → last computed half-step on screen", f"{stopped_at:.0f} ms"),
            ("Stop: final status", stop["status"][-1][1]),
        ]
        browser.close()
    print(f"n = {args.n:,}, K = {args.k}, tol = 0, max_iter = {args.max_iter}\n")
    print("| what | measured |\n| --- | --- |")
    for what, value in rows:
        print(f"| {what} | {value} |")


if __name__ == "__main__":
    main()
