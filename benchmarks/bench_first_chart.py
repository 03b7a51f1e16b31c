"""How long after opening the page does the first chart appear?

Run from the repository root (needs Debian's /usr/bin/chromium and playwright)::

    python benchmarks/bench_first_chart.py [--runs 7] [--root before=/work/main
        --root after=.] [--doc]

Starts ``streamlit run app.py`` from each ``--root`` checkout (this one by default) and
opens each page once to warm its server up (its first run imports the app). Then,
``--runs`` rounds, in which the checkouts take turns (so that the machine's other load
weighs on all alike):

* **cold**: a fresh browser context (an empty cache, a new session) opens the page;
* **warm**: a second page in the same context opens it again (the browser's cache);
* **third**: a third page does (Chromium keeps V8's compiled code of a cached script
  from its second load on, and uses it from the third).

Each visit is timed from the navigation's start to the frame that shows the first
Plotly chart painted (a graph div with its points, two animation frames after it was
drawn). Also read from the browser: which plotly.js bundle came first (the partial one
of ``assets/vendor`` or the package's full one), when its request started and ended
(``performance`` resource timing), the bytes it moved (0 or a few hundred bytes: from
the cache or revalidated), when it had run (``assets/plotly_loader.js``'s mark; main's
``gmm:plotly-ready`` before it) and when the chart was drawn (Plotly has filled in its
``_fullData``; printed per visit with the start of the next frame, which waits for
Plotly's drawing to end), and from the server's log its first script run (ms).

Prints the medians and the worst cases; ``--doc`` adds them as rows of the table in ``docs/browser-latency.md`` (section "The first chart after opening the page").
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from bench_browser_latency import TIMED_LAUNCHER, server_runs
from browser_helpers import ROOT, streamlit_server, ui
from doc_tables import add_rows

DOC = ROOT / "docs" / "browser-latency.md"
SECTION = "## The first chart after opening the page: a quiet machine, and SVG for small views"
TARGET_MS = 2_500
#: The visits of each round, in one browser context.
VISITS = ("cold", "warm", "third")
HEADER = (
    "| what ran | visit | first chart painted: median (ms) | worst (ms) | plotly.js "
    "bundle | requested at (ms) | received at (ms) | bytes moved | run by (ms) | chart "
    "drawn at (ms) | first script run (ms) | target < 2.5 s |\n"
    "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|"
)

# Installed before the page's scripts: the time (ms since the navigation started) of
# the frame that shows the first Plotly graph with points.
FIRST_CHART = """
(() => {
  const mark = window.__firstChart = {drawn: null, frame: null, painted: null};
  const drawn = () => [...document.querySelectorAll('.js-plotly-plot')]
    .some(g => g._fullLayout && (g._fullData || []).some(t => (t.x || []).length > 0));
  const poll = () => {
    if (mark.drawn === null && drawn()) {
      mark.drawn = performance.now();
      requestAnimationFrame(() => {
        mark.frame = performance.now(); // the frame that paints it begins
        requestAnimationFrame(() => {
          mark.painted = performance.now();
        });
      });
      return;
    }
    if (mark.drawn === null) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})();
"""

RESULT = r"""
() => {
  const first = performance.getEntriesByType('resource')
    .find(e => /plotly[^/]*\.min\.js$/.test(new URL(e.name).pathname));
  const ready = performance.getEntriesByType('mark')
    .find(m => /^gmm:plotly(-partial|-full)?-ready$/.test(m.name));
  // No request at all: plotly.js came from the browser's cache.
  return {painted: window.__firstChart.painted,
          drawn: window.__firstChart.drawn,
          frame: window.__firstChart.frame,
          bundle: first ? (first.name.includes('partial') ? 'partial' : 'full') : '?',
          plotlyStart: first ? first.startTime : NaN,
          plotlyEnd: first ? first.responseEnd : NaN,
          plotlyReady: ready ? ready.startTime : NaN,
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


def start_server(stack: contextlib.ExitStack, root: Path):
    """A server of ``root``'s app, warmed up (its first run imports the app)."""
    streamlit_server.REPO_ROOT = root  # read when the server starts
    log_dir = Path(tempfile.mkdtemp(prefix="bench-first-chart-"))
    return stack.enter_context(streamlit_server.streamlit_server(log_dir, launcher=TIMED_LAUNCHER))


def measure(roots: dict[str, Path], runs: int) -> dict[str, dict]:
    """Cold and warm visits to each checkout's server, ``runs`` rounds, the checkouts
    taking turns within each round so that other load weighs on all alike."""
    from playwright.sync_api import sync_playwright

    results = {label: {kind: [] for kind in VISITS} for label in roots}
    with contextlib.ExitStack() as stack:
        servers = {label: start_server(stack, root) for label, root in roots.items()}
        playwright = stack.enter_context(sync_playwright())
        browser = ui.launch_chromium(playwright)
        stack.callback(browser.close)  # before Playwright stops, then the servers
        for server in servers.values():
            warm_up = new_context(browser)
            visit(warm_up, server.url)
            warm_up.close()
        for _ in range(runs):
            for label, server in servers.items():
                context = new_context(browser)
                try:
                    for kind in VISITS:
                        since = time.time()
                        result = visit(context, server.url)
                        logged = server_runs(server, since)
                        result["first_run"] = logged[0] if logged else float("nan")
                        results[label][kind].append(result)
                        print(
                            f"{label} {kind}: first chart {result['painted']:.0f} ms "
                            f"(drawn {result['drawn']:.0f}, its frame {result['frame']:.0f}), plotly.js ({result['bundle']}) "
                            f"{result['plotlyStart']:.0f}–{result['plotlyEnd']:.0f} ms "
                            f"({result['plotlyBytes']:,} B), run by "
                            f"{result['plotlyReady']:.0f} ms, first run "
                            f"{result['first_run']:.0f} ms",
                            flush=True,
                        )
                finally:
                    context.close()
    return results


def rows(label: str, visits: dict) -> list[str]:
    lines = []
    for kind, results in visits.items():
        painted = [r["painted"] for r in results]
        median = statistics.median(painted)

        def mid(key: str, results=results) -> float:
            return statistics.median(r[key] for r in results)

        bundles = "/".join(sorted({r["bundle"] for r in results}))
        lines.append(
            f"| {label} | {kind} | {median:,.0f} | {max(painted):,.0f} | {bundles} | "
            f"{mid('plotlyStart'):,.0f} | {mid('plotlyEnd'):,.0f} | "
            f"{mid('plotlyBytes'):,.0f} | {mid('plotlyReady'):,.0f} | {mid('drawn'):,.0f} | "
            f"{mid('first_run'):,.0f} | "
            f"{'met' if median < TARGET_MS else '**missed**'} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--root",
        action="append",
        metavar="LABEL=PATH",
        help="a checkout to serve, under a label (repeat to compare; default: this one)",
    )
    parser.add_argument("--doc", action="store_true", help="add the figures to the doc")
    args = parser.parse_args()
    roots = dict(item.split("=", 1) for item in args.root or [f"this branch={ROOT}"])
    results = measure({label: Path(path).resolve() for label, path in roots.items()}, args.runs)
    lines = [line for label, visits in results.items() for line in rows(label, visits)]
    print()
    print(HEADER)
    print("\n".join(lines))
    if args.doc:
        command = "python benchmarks/bench_first_chart.py --runs 7 --root before=/work/main ..."
        add_rows(DOC, SECTION, HEADER, lines, command)
        print(f"\nadded to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
