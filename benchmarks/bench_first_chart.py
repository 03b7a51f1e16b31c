"""How long after opening the page does the first chart appear?

Run from the repository root (needs Debian's /usr/bin/chromium and playwright)::

    python benchmarks/bench_first_chart.py [--runs 7] [--root /work/main] [--doc LABEL]

Starts ``streamlit run app.py`` from ``--root`` (another checkout, e.g. ``main`` for a
"before" figure; this one by default) and opens the page once to warm the server up (its
first run imports the app). Then, ``--runs`` times:

* **cold**: a fresh browser context (an empty cache, a new session) opens the page;
* **warm**: a second page in the same context opens it again (the browser's cache).

Each visit is timed from the navigation's start to the frame that shows the first
Plotly chart painted (a graph div with its points, two animation frames after it was
drawn). Also read from the browser: when the request for plotly.js started and ended
(``performance`` resource timing), the bytes it moved (0 or a few hundred bytes: from
the cache or revalidated), and from the server's log its first script run (ms).

Prints the medians and the worst cases; ``--doc LABEL`` adds them as a row of the
table in ``docs/browser-latency.md`` (section "The first chart after opening the page").
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_browser_latency import TIMED_LAUNCHER, server_runs
from browser_helpers import ROOT, streamlit_server, ui
from doc_tables import add_rows

DOC = ROOT / "docs" / "browser-latency.md"
SECTION = "## The first chart after opening the page"
TARGET_MS = 2_500
HEADER = (
    "| what ran | visit | first chart painted: median (ms) | worst (ms) | plotly.js "
    "requested at (ms) | plotly.js received at (ms) | plotly.js bytes moved | first "
    "script run (ms) | target < 2.5 s |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---|"
)

# Installed before the page's scripts: the time (ms since the navigation started) of
# the frame that shows the first Plotly graph with points.
FIRST_CHART = """
(() => {
  const mark = window.__firstChart = {drawn: null, painted: null};
  const drawn = () => [...document.querySelectorAll('.js-plotly-plot')]
    .some(g => g._fullLayout && (g._fullData || []).some(t => (t.x || []).length > 0));
  const poll = () => {
    if (mark.drawn === null && drawn()) {
      mark.drawn = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => {
        mark.painted = performance.now();
      }));
      return;
    }
    if (mark.drawn === null) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();
"""

RESULT = """
() => {
  const first = performance.getEntriesByType('resource')
    .find(e => new URL(e.name).pathname.endsWith('/plotly.min.js'));
  // No request at all: plotly.js came from the browser's own store.
  return {painted: window.__firstChart.painted,
          plotlyStart: first ? first.startTime : NaN,
          plotlyEnd: first ? first.responseEnd : NaN,
          plotlyBytes: first ? first.transferSize : 0};
}
"""


def visit(context, url: str) -> dict:
    """Open ``url`` in a new page of ``context``; the timings of its first chart."""
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_function("() => window.__firstChart.painted !== null", timeout=120_000)
        result = page.evaluate(RESULT)
        ui.wait_for_app_idle(page, {"finished": 0, "messages": 0}, timeout=120_000)
        return result
    finally:
        page.close()


def new_context(browser):
    context = browser.new_context(viewport=ui.VIEWPORT)
    context.add_init_script(ui.INIT_SCRIPT)
    context.add_init_script(FIRST_CHART)
    return context


def measure(root: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    streamlit_server.REPO_ROOT = root  # the server runs that checkout's app.py
    log_dir = Path(tempfile.mkdtemp(prefix="bench-first-chart-"))
    visits: dict[str, list[dict]] = {"cold": [], "warm": []}
    with (
        streamlit_server.streamlit_server(log_dir, launcher=TIMED_LAUNCHER) as server,
        sync_playwright() as playwright,
    ):
        browser = ui.launch_chromium(playwright)
        try:
            warm_up = new_context(browser)
            visit(warm_up, server.url)
            warm_up.close()
            for _ in range(runs):
                context = new_context(browser)
                try:
                    for kind in ("cold", "warm"):
                        since = time.time()
                        result = visit(context, server.url)
                        runs_logged = server_runs(server, since)
                        result["first_run"] = runs_logged[0] if runs_logged else float("nan")
                        visits[kind].append(result)
                        print(
                            f"{kind}: first chart {result['painted']:.0f} ms, plotly.js "
                            f"{result['plotlyStart']:.0f}–{result['plotlyEnd']:.0f} ms "
                            f"({result['plotlyBytes']:,} B), first run "
                            f"{result['first_run']:.0f} ms",
                            flush=True,
                        )
                finally:
                    context.close()
        finally:
            browser.close()
    return visits


def rows(label: str, visits: dict) -> list[str]:
    lines = []
    for kind, results in visits.items():
        painted = [r["painted"] for r in results]
        median = statistics.median(painted)

        def mid(key: str, results=results) -> float:
            return statistics.median(r[key] for r in results)

        lines.append(
            f"| {label} | {kind} | {median:,.0f} | {max(painted):,.0f} | "
            f"{mid('plotlyStart'):,.0f} | {mid('plotlyEnd'):,.0f} | "
            f"{mid('plotlyBytes'):,.0f} | {mid('first_run'):,.0f} | "
            f"{'met' if median < TARGET_MS else '**missed**'} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--doc", metavar="LABEL", help="add the figures to the doc")
    args = parser.parse_args()
    lines = rows(args.doc or str(args.root), measure(args.root.resolve(), args.runs))
    print()
    print(HEADER)
    print("\n".join(lines))
    if args.doc:
        command = "python benchmarks/bench_first_chart.py --runs 7 [--root /work/main]"
        add_rows(DOC, SECTION, HEADER, lines, command)
        print(f"\nadded to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
