"""Does one session's Choose K sweep slow another session's Step?

Run from the repository root (needs Debian's /usr/bin/chromium and playwright)::

    python benchmarks/bench_two_sessions.py [--repeats 8] [--n 10000] [--modes threads,processes]
        [--modes idle:1,nice:2,...]

For each mode, starts ``streamlit run app.py`` (``tests/browser/server.py``) and opens two
browser contexts, that is two Streamlit sessions, on generated data of ``--n`` points:

* session A, on Explore (tol = 0, so that no Step finds EM converged), clicks
  "Step (E+M)": ``--repeats`` steps with nothing else
  running (*idle*), and ``--repeats`` steps while
* session B, on Choose K, runs a sweep (K = 1 … 8, four covariance types, 3 restarts:
  96 EM runs) (*during the sweep*); B then presses Stop.

The idle and the sweep's steps alternate in ``--blocks`` blocks (default 2), so that
the load of other processes on the machine weighs on both alike.

Each step is timed from the click to the painted chart, as ``bench_browser_latency.py``
does. The modes: ``threads`` runs the sweep in a thread of the server
(``GMM_WORKERS=0``, as before), ``processes`` in the worker pool of
``pages/shared/workers.py`` as configured, and ``PRIORITY:COUNT`` (e.g. ``idle:1``,
``nice:2``) in a pool of ``COUNT`` workers that step aside by ``PRIORITY``
(``GMM_WORKERS``, ``GMM_WORKER_PRIORITY``: ``idle`` for ``SCHED_IDLE``, ``nice``,
``same``). Prints the medians, the worst cases and their ratio to
idle (target: the median during a sweep within 1.5× of idle); ``--doc`` also writes them
into ``docs/browser-latency.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench_browser_latency import TIMED_LAUNCHER, generate, measure_click, server_runs
from browser_helpers import ROOT, streamlit_server, ui

DOC = ROOT / "docs" / "browser-latency.md"
SECTION = "## Two sessions at once: a sweep beside a Step"
TARGET_RATIO = 1.5
#: The page's default sweep: K = 1 … 8, four covariance types, three restarts.
SWEEP_RUNS = "96 EM runs"


def open_choose_k(page) -> None:
    links = page.locator('[data-testid="stSidebarNav"] a')
    ui.click(page, links.filter(has_text="Choose K"), min_charts=0)


def sweep_running(page) -> bool:
    return page.get_by_role("button", name="Stop", exact=True).count() > 0


def never_converge(page) -> None:
    """tol = 0 in the sidebar, so that every Step computes a new iteration."""
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="tol").get_by_role("slider")
    thumb.focus()
    before = ui.app_activity(page)
    page.keyboard.press("End")
    ui.wait_for_app_idle(page, before)


def fresh_start(page) -> None:
    """A new run ("Another start"), far from EM's fixed point, so that every Step
    still changes the picture."""
    ui.click(page, ui.button(page, "Another start"))
    ui.click(page, ui.button(page, "Step (E+M)"))  # warm-up of the new run


def run_sweep(page) -> None:
    page.get_by_role("button", name="Run sweep").click()
    page.get_by_role("button", name="Stop", exact=True).wait_for()


def stop_sweep(page) -> None:
    """Press Stop and wait until the sweep has ended (its Stop button gone)."""
    page.get_by_role("button", name="Stop", exact=True).click()
    page.get_by_role("button", name="Stop", exact=True).wait_for(state="detached", timeout=120_000)
    page.wait_for_timeout(1_000)


def steps(page, server, count: int, while_=lambda: True) -> tuple[list[float], list[float]]:
    """Click Step ``count`` times while ``while_()`` holds.

    Returns
    -------
    painted, server_run : list of float
        Click → painted chart, and the server's script run for the click (ms).
    """
    step = ui.button(page, "Step (E+M)")
    painted, runs = [], []
    for _ in range(count):
        if not while_():
            break
        since = time.time()
        painted.append(measure_click(page, step)["total"])
        runs.append(max(server_runs(server, since) or [float("nan")]))
    return painted, runs


def mode_environment(mode: str) -> dict[str, str]:
    """The server's environment variables for a mode (see the module's docstring)."""
    if mode == "threads":
        return {"GMM_WORKERS": "0", "GMM_WORKER_PRIORITY": ""}
    if mode == "processes":
        return {"GMM_WORKERS": "", "GMM_WORKER_PRIORITY": ""}
    priority, _, count = mode.partition(":")
    if priority not in ("idle", "nice", "same") or not count.isdigit():
        raise SystemExit(f"unknown mode {mode!r}: threads, processes or PRIORITY:COUNT")
    return {"GMM_WORKERS": count, "GMM_WORKER_PRIORITY": priority}


def bench_mode(browser, mode: str, n: int, repeats: int, blocks: int) -> dict:
    """Idle steps and steps during a sweep, in ``blocks`` alternating blocks, so that
    other load on the machine weighs on both alike."""
    os.environ.update(mode_environment(mode))
    log_dir = Path(tempfile.mkdtemp(prefix="bench-two-sessions-"))
    with streamlit_server.streamlit_server(log_dir, launcher=TIMED_LAUNCHER) as server:
        explorer = ui.open_app(browser, server.url)
        sweeper = ui.open_app(browser, server.url)
        try:
            generate(explorer, n)
            never_converge(explorer)
            generate(sweeper, n)
            steps(explorer, server, 2)  # warm-up
            open_choose_k(sweeper)
            sweeper.get_by_text(SWEEP_RUNS).first.wait_for()
            if mode != "threads":  # the pool starts once per server: not part of the step
                run_sweep(sweeper)
                stop_sweep(sweeper)
            r = {"mode": mode, "idle": [], "busy": [], "idle_server": [], "busy_server": []}
            r.update(seconds=0.0, covered=True, progress="")
            for _ in range(blocks):
                fresh_start(explorer)
                painted, runs = steps(explorer, server, max(1, repeats // blocks))
                r["idle"] += painted
                r["idle_server"] += runs
                fresh_start(explorer)
                run_sweep(sweeper)
                started = time.monotonic()
                painted, runs = steps(
                    explorer,
                    server,
                    max(1, repeats // blocks),
                    while_=lambda: sweep_running(sweeper),
                )
                r["busy"] += painted
                r["busy_server"] += runs
                still_running = sweep_running(sweeper)
                r["seconds"] += time.monotonic() - started
                r["progress"] = sweeper.locator('[data-testid="stProgress"]').inner_text()
                r["covered"] &= still_running
                if still_running:
                    stop_sweep(sweeper)
            assert not ui.exceptions(explorer) and not ui.exceptions(sweeper)
            return r
        finally:
            explorer.context.close()
            sweeper.context.close()


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), max(values)


def table(results: list[dict]) -> str:
    lines = [
        "| sweep runs in | what | idle median (ms) | idle worst (ms) | during sweep median "
        "(ms) | during sweep worst (ms) | median ratio | worst ratio | target ≤ 1.5× |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        for what, idle, busy in (
            ("click → painted", r["idle"], r["busy"]),
            ("server script run", r["idle_server"], r["busy_server"]),
        ):
            idle_med, idle_max = summary(idle)
            busy_med, busy_max = summary(busy)
            ratio = busy_med / idle_med
            verdict = "met" if ratio <= TARGET_RATIO else "**missed**"
            lines.append(
                f"| {r['mode']} | {what} | {idle_med:,.0f} | {idle_max:,.0f} | "
                f"{busy_med:,.0f} | {busy_max:,.0f} | {ratio:.2f}× | "
                f"{busy_max / idle_max:.2f}× | {verdict} |"
            )
    return "\n".join(lines)


def write_doc(markdown: str, command: str, results: list[dict], n: int, repeats: int) -> None:
    text = DOC.read_text() if DOC.exists() else "# Browser latency\n"
    before, after = text, ""
    if SECTION in text:  # replace this section only: others follow it
        start = text.index(SECTION)
        following = text.find("\n## ", start + len(SECTION))
        before = text[:start]
        after = "" if following < 0 else text[following:]
    text = before.rstrip() + "\n"
    notes = "\n".join(
        f"- {r['mode']}: {len(r['busy'])} steps in {r['seconds']:.0f} s of sweep, "
        f"which then showed {r['progress']!r}"
        + ("" if r["covered"] else " (**the sweep ended before the last step**)")
        for r in results
    )
    text += (
        f"""
{SECTION}

Measured with

```bash
{command}
```

Two browser contexts (two sessions) on one server, both on generated data of
n = {n:,} points. Session A steps on Explore ({repeats} steps idle and {repeats} while
session B runs a Choose K sweep of 96 EM runs: K = 1 … 8, four covariance types, three
restarts), alternated in blocks so that other load on the machine weighs on both alike.
Click → painted chart, as above. *threads*: the sweep in a thread of the server
(`GMM_WORKERS=0`, as before); *processes*: its EM runs in the shared worker pool
(`pages/shared/workers.py`) as it ships; *idle:1*, *nice:2*, …: a pool of that many
workers under `SCHED_IDLE` or at niceness 19.

{markdown}

{notes}
"""
        + after
    )
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--modes", default="threads,processes")
    parser.add_argument("--blocks", type=int, default=2, help="idle/sweep blocks, alternated")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--label", default="", help="added to each mode's name in the table")
    parser.add_argument("--doc", action="store_true", help="write the figures into the doc")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    streamlit_server.REPO_ROOT = args.root.resolve()  # the server runs that checkout's app
    results = []
    with sync_playwright() as playwright:
        browser = ui.launch_chromium(playwright)
        try:
            for mode in args.modes.split(","):
                results.append(bench_mode(browser, mode, args.n, args.repeats, args.blocks))
                results[-1]["mode"] = f"{mode}{args.label}"
                r = results[-1]
                print(
                    f"{mode}: idle {[round(t) for t in r['idle']]} ms "
                    f"(server {[round(t) for t in r['idle_server']]}), during the sweep "
                    f"{[round(t) for t in r['busy']]} ms "
                    f"(server {[round(t) for t in r['busy_server']]}; {r['progress']})",
                    flush=True,
                )
        finally:
            browser.close()
    markdown = table(results)
    print()
    print(markdown)
    if args.doc:
        command = (
            f"python benchmarks/bench_two_sessions.py --repeats {args.repeats} --n {args.n} "
            f"--modes {args.modes} --blocks {args.blocks}"
        )
        write_doc(markdown, command, results, args.n, args.repeats)
        print(f"\nwritten to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
