"""plotly.js is loaded early, once, and kept for the next visit (issue 15, section 4).

``app.py`` starts loading plotly.js at the top of its first run
(``pages/shared/preload.py``, ``assets/preload_plotly.js``); the chart waits on that
load instead of starting its own. plotly.js comes from the app's static folder
(``pages/shared/plotly_js.py``), so that a second visit finds it in the browser's cache
(or revalidates it, with no body) instead of fetching 1.5 MB again. The time it saves is measured by
``benchmarks/bench_first_chart.py``, not here.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import INIT_SCRIPT, TIMEOUT_MS, VIEWPORT, charts, wait_for_app_idle

pytestmark = pytest.mark.browser


def plotly_requests(urls: list[str]) -> list[str]:
    paths = ((url, urlparse(url).path) for url in urls)
    return [url for url, path in paths if "plotly" in path and path.endswith(".min.js")]


def visit(context, url: str) -> tuple[object, list[str]]:
    """A new page of ``context`` on the app, idle and drawn; the URLs it requested."""
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(url)
    wait_for_app_idle(page, {"finished": 0, "messages": 0}, timeout=60_000)
    return page, urls


PLOTLY_ENTRY = """
() => performance.getEntriesByType('resource')
  .filter(e => new URL(e.name).pathname.endsWith('.min.js') && e.name.includes('plotly'))
  .map(e => ({url: e.name, transferSize: e.transferSize, bodySize: e.encodedBodySize}))
"""
MARKS = """
() => performance.getEntriesByType('mark').map(m => m.name)
  .filter(name => name.startsWith('gmm:plotly'))
"""


def test_plotly_js_is_requested_once_early_and_kept_for_the_next_visit(browser, app_server):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT_SCRIPT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        first, urls = visit(context, app_server.url)
        assert len(plotly_requests(urls)) == 1, plotly_requests(urls)
        assert urlparse(plotly_requests(urls)[0]).path.startswith("/app/static/plotly-")
        assert first.evaluate(MARKS) == ["gmm:plotly-preload", "gmm:plotly-ready"]
        assert charts(first), "the chart was drawn with the preloaded plotly.js"
        hidden = first.locator(".st-key-plotly_preload")
        assert hidden.count() == 1 and not hidden.is_visible()
        [fetched] = first.evaluate(PLOTLY_ENTRY)
        assert fetched["transferSize"] > 1_000_000  # the first visit downloads it
        first.close()

        second, _ = visit(context, app_server.url)
        [kept] = second.evaluate(PLOTLY_ENTRY)
        # From the cache (0 bytes moved) or revalidated (a 304: headers only).
        assert kept["transferSize"] < 5_000, kept
        assert charts(second)
        assert second.evaluate("() => typeof window.Plotly.react") == "function"
    finally:
        context.close()
