"""plotly.js's partial bundle against the full one: size, load-and-run time, first draw.

Run from the repository root (needs Debian's /usr/bin/chromium and playwright)::

    python benchmarks/bench_plotly_bundles.py [--runs 7]

Each run opens a blank page in a fresh browser context (an empty cache, no compiled
code kept) for each bundle in turn, served from memory by Playwright (no server, no
network), and times, in the page:

* **load and run**: from adding the ``<script>`` to its ``load`` event (fetching from
  memory, parsing, compiling and running plotly.js);
* **first draw**: ``Plotly.newPlot`` of the Explore page's default chart as a shape, 272
  points and 6 outlines, all ``scattergl`` (WebGL set up, shaders compiled).

Prints the sizes (raw and gzipped) and the medians and worst cases.
"""

from __future__ import annotations

import argparse
import gzip
import statistics

from browser_helpers import ui

from pages.shared.plotly_js import FULL_JS, PARTIAL_JS

ORIGIN = "http://bundles.invalid"
PAGE = """<!doctype html><html><body><div id="chart" style="width:600px;height:400px"></div>
<script>
const started = performance.now();
const script = document.createElement('script');
script.src = '/plotly.js';
script.onload = async () => {
  const loaded = performance.now();
  const xs = Array.from({length: 272}, (_, i) => Math.sin(i)), ys = xs.map((x, i) => x * i);
  const outlines = Array.from({length: 6}, () =>
    ({type: 'scattergl', mode: 'lines', x: xs.slice(0, 60), y: ys.slice(0, 60)}));
  const drawing = performance.now();
  await Plotly.newPlot('chart', [{type: 'scattergl', mode: 'markers', x: xs, y: ys}, ...outlines]);
  window.result = {load: loaded - started, draw: performance.now() - drawing};
};
document.head.appendChild(script);
</script></body></html>"""


def measure(browser, body: bytes) -> dict:
    context = browser.new_context()
    try:

        def serve(route):
            if route.request.url.endswith("/plotly.js"):
                route.fulfill(body=body, content_type="application/javascript")
            else:
                route.fulfill(body=PAGE, content_type="text/html")

        context.route(f"{ORIGIN}/**", serve)
        page = context.new_page()
        page.goto(f"{ORIGIN}/")
        page.wait_for_function("() => window.result", timeout=60_000)
        return page.evaluate("() => window.result")
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    bundles = {"partial": PARTIAL_JS.read_bytes(), "full": FULL_JS.read_bytes()}
    results = {name: [] for name in bundles}
    with sync_playwright() as playwright:
        browser = ui.launch_chromium(playwright)
        try:
            for _ in range(args.runs):
                for name, body in bundles.items():  # taking turns, so load weighs on both
                    results[name].append(measure(browser, body))
        finally:
            browser.close()
    print(
        "| bundle | size (MB) | gzipped (MB) | load and run: median (ms) | worst (ms) "
        "| first draw: median (ms) | worst (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, body in bundles.items():
        load = [r["load"] for r in results[name]]
        draw = [r["draw"] for r in results[name]]
        print(
            f"| {name} | {len(body) / 1e6:.2f} | {len(gzip.compress(body)) / 1e6:.2f} | "
            f"{statistics.median(load):,.0f} | {max(load):,.0f} | "
            f"{statistics.median(draw):,.0f} | {max(draw):,.0f} |"
        )


if __name__ == "__main__":
    main()
