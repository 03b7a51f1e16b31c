"""plotly.js is loaded early, once, and kept for the next visit (issue 15, section 4).

``app.py`` starts loading plotly.js at the top of its first run
(``pages/shared/preload.py``, ``assets/preload_plotly.js``); the chart waits on that
load instead of starting its own, and a second visit takes plotly.js from the browser's
Cache Storage instead of the server. The time it saves is measured by
``benchmarks/bench_first_chart.py``, not here.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import INIT_SCRIPT, TIMEOUT_MS, VIEWPORT, charts, wait_for_app_idle

pytestmark = pytest.mark.browser


def plotly_requests(urls: list[str]) -> list[str]:
    return [url for url in urls if urlparse(url).path.endswith("/plotly.min.js")]


def visit(context, url: str) -> tuple[object, list[str]]:
    """A new page of ``context`` on the app, idle and drawn; the URLs it requested."""
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(url)
    wait_for_app_idle(page, {"finished": 0, "messages": 0}, timeout=60_000)
    return page, urls


def test_plotly_js_is_requested_once_early_and_not_again_on_the_next_visit(browser, app_server):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT_SCRIPT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        first, urls = visit(context, app_server.url)
        assert len(plotly_requests(urls)) == 1, plotly_requests(urls)
        assert "?v=" in plotly_requests(urls)[0]  # the version names the kept copy
        marks = first.evaluate(
            "() => performance.getEntriesByType('mark').map(m => m.name)"
            ".filter(name => name.startsWith('gmm:plotly'))"
        )
        assert marks == ["gmm:plotly-preload", "gmm:plotly-fetch", "gmm:plotly-ready"]
        assert charts(first), "the chart was drawn with the preloaded plotly.js"
        hidden = first.locator(".st-key-plotly_preload")
        assert hidden.count() == 1 and not hidden.is_visible()
        first.close()

        second, urls = visit(context, app_server.url)
        assert plotly_requests(urls) == []  # from the browser's Cache Storage
        assert "gmm:plotly-cached" in second.evaluate(
            "() => performance.getEntriesByType('mark').map(m => m.name)"
        )
        assert charts(second)
        assert second.evaluate("() => typeof window.Plotly.react") == "function"
    finally:
        context.close()
