"""plotly.js is served from the app's static folder, as a file the browser can keep
(``pages/shared/plotly_js.py``), and from the component route where it cannot be."""

from __future__ import annotations

import filecmp
import os

import pytest
from apptest_helpers import APP, run
from streamlit.testing.v1 import AppTest
from test_live_chart import live_charts

from gmm.figures.serialise import PLOTLY_JS_DIR
from pages.shared import plotly_js


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """``static_plotly_js`` with its own static folder and no remembered answer."""
    monkeypatch.setattr(plotly_js, "STATIC_DIR", tmp_path / "static")
    plotly_js.static_plotly_js.cache_clear()
    yield tmp_path / "static"
    plotly_js.static_plotly_js.cache_clear()


def test_the_static_copy_is_the_installed_plotly_js_named_by_its_version(fresh):
    name = plotly_js.static_plotly_js()
    assert name == f"plotly-{plotly_js.PLOTLY_VERSION}.min.js"
    source = PLOTLY_JS_DIR / "plotly.min.js"
    assert filecmp.cmp(fresh / name, source, shallow=False)
    # Its time stamp is the package's: the browser's Last-Modified, and so how long it
    # may keep the file without asking.
    assert os.stat(fresh / name).st_mtime == os.stat(source).st_mtime
    assert [p.name for p in fresh.iterdir()] == [name]  # no partial file left


def test_where_no_copy_can_be_made_plotly_js_comes_from_the_component_route(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the static folder should be")
    monkeypatch.setattr(plotly_js, "STATIC_DIR", blocker / "static")
    plotly_js.static_plotly_js.cache_clear()
    try:
        assert plotly_js.static_plotly_js() is None
        at = run(AppTest.from_file(APP, default_timeout=60))
        urls = {data["plotly_url"] for data in live_charts(at).values()}
        assert urls == {"/component/pages.shared.live_chart.plotly_js/plotly.min.js"}
    finally:
        plotly_js.static_plotly_js.cache_clear()


def test_a_stale_or_cut_copy_is_replaced(fresh):
    fresh.mkdir()
    stale = fresh / f"plotly-{plotly_js.PLOTLY_VERSION}.min.js"
    stale.write_text("cut short")
    assert plotly_js.static_plotly_js() == stale.name
    assert stale.stat().st_size == (PLOTLY_JS_DIR / "plotly.min.js").stat().st_size
