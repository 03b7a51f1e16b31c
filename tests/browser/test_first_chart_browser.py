"""plotly.js is loaded early, once, and kept for the next visit (issue 15, section 4).

``app.py`` starts loading the partial plotly.js bundle (the 1-D and 2-D trace types) at
the top of its first run (``pages/shared/preload.py``, ``assets/preload_plotly.js``);
the charts wait on that load instead of starting their own. A 2-D page loads nothing
else; a 3-D chart loads the full bundle, which then draws every chart of the page
(``assets/plotly_loader.js``). Both come from the app's static folder
(``pages/shared/plotly_js.py``), so that a second visit finds them in the browser's
cache (or revalidates them, with no body) instead of fetching them again. The time it
saves is measured by ``benchmarks/bench_first_chart.py``, not here.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from conftest import (
    INIT_SCRIPT,
    TIMEOUT_MS,
    VIEWPORT,
    button,
    chart_with_role,
    charts,
    click,
    poll,
    wait_for_app_idle,
)
from explore_actions import assert_no_errors, assert_status, choose_option, choose_radio

from pages.shared.plotly_js import PARTIAL_TRACES

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
        assert urlparse(plotly_requests(urls)[0]).path.startswith("/app/static/plotly-partial-")
        assert first.evaluate(MARKS) == ["gmm:plotly-partial-requested", "gmm:plotly-partial-ready"]
        assert charts(first), "the chart was drawn with the preloaded plotly.js"
        hidden = first.locator(".st-key-plotly_preload")
        assert hidden.count() == 1 and not hidden.is_visible()
        [fetched] = first.evaluate(PLOTLY_ENTRY)
        assert fetched["transferSize"] > 300_000  # the first visit downloads it
        first.close()

        second, _ = visit(context, app_server.url)
        [kept] = second.evaluate(PLOTLY_ENTRY)
        # From the cache (0 bytes moved) or revalidated (a 304: headers only).
        assert kept["transferSize"] < 5_000, kept
        assert charts(second)
        assert second.evaluate("() => typeof window.Plotly.react") == "function"
    finally:
        context.close()


REGISTERED = "() => Object.keys(window.Plotly.PlotSchema.get().traces).sort()"
# Whether every graph of the page was drawn by the page's one window.Plotly.
ONE_PLOTLY = """
() => [...document.querySelectorAll('.gmm-live-chart')]
  .every(gd => gd.__gmmPlotly === window.Plotly && gd._fullLayout)
"""


def test_a_2d_page_loads_only_the_partial_bundle_and_a_3d_view_the_full_one(page):
    """The default 2-D page: only the partial bundle, whose registered trace types are
    the app's list. Then a 3-D view: the full bundle is loaded and draws the ellipsoids,
    and every chart of the page, also those the partial bundle had drawn; steps work."""
    assert sorted(page.evaluate(REGISTERED)) == sorted(PARTIAL_TRACES)
    assert page.evaluate("() => window.__gmmPlotly.full") is None
    [loaded] = page.evaluate(PLOTLY_ENTRY)
    assert urlparse(loaded["url"]).path.endswith(".min.js") and "partial" in loaded["url"]
    assert page.evaluate(ONE_PLOTLY), "the partial bundle drew the 2-D page"

    choose_radio(page, "Source", "Generate")
    choose_option(page, "Dimensions", "3")
    chart = chart_with_role(page, "ellipsoid")
    assert {t["type"] for t in chart["data"]} == {"scatter3d", "mesh3d"}
    assert page.evaluate("() => window.Plotly === window.__gmmPlotly.full")
    assert "scatter3d" in page.evaluate(REGISTERED)
    requested = [urlparse(e["url"]).path for e in page.evaluate(PLOTLY_ENTRY)]
    assert len(requested) == 2 and requested[0].startswith("/app/static/plotly-partial-")
    assert requested[1].startswith("/app/static/plotly-") and "partial" not in requested[1]
    assert poll(lambda: page.evaluate(ONE_PLOTLY)), "one Plotly drew every chart"

    click(page, button(page, "Step (E+M)"))
    assert_status(page, 1, "after the M-step", 2)
    choose_radio(page, "View", "2-D")  # back to 2-D: the full bundle goes on drawing
    assert chart_with_role(page, "ellipse")["data"][0]["type"] == "scatter"  # 500: SVG
    assert poll(lambda: page.evaluate(ONE_PLOTLY))
    assert len(page.evaluate(PLOTLY_ENTRY)) == 2, "no third load of plotly.js"
    assert_no_errors(page)
