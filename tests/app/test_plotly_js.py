"""plotly.js is served from the app's static folder, as files the browser can keep
(``pages/shared/plotly_js.py``), and from the component route where it cannot be; a
figure gets the partial bundle unless it has a trace type only the full one draws."""

from __future__ import annotations

import filecmp
import os

import pytest
from apptest_helpers import APP, generate, run
from streamlit.testing.v1 import AppTest
from test_live_chart import live_charts

from gmm.figures.serialise import PLOTLY_JS_DIR
from pages.shared import plotly_js, preload, static_files


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """``static_copy`` with its own static folder and no remembered answer."""
    monkeypatch.setattr(static_files, "STATIC_DIR", tmp_path / "static")
    static_files.static_copy.cache_clear()
    yield tmp_path / "static"
    static_files.static_copy.cache_clear()


def test_the_static_copies_are_the_bundles_named_by_version_and_content(fresh):
    full = plotly_js.static_plotly_js()
    partial = plotly_js.static_partial_js()
    assert full == f"plotly-{plotly_js.PLOTLY_VERSION}.min.js"
    assert partial.startswith(f"plotly-partial-{plotly_js.PARTIAL_MANIFEST['plotly_js_version']}-")
    for name, source in ((full, PLOTLY_JS_DIR / "plotly.min.js"), (partial, plotly_js.PARTIAL_JS)):
        assert filecmp.cmp(fresh / name, source, shallow=False)
        # Its time stamp is the source's: the browser's Last-Modified, and so how long
        # it may keep the file without asking.
        assert os.stat(fresh / name).st_mtime == os.stat(source).st_mtime
    assert sorted(p.name for p in fresh.iterdir()) == sorted(
        [full, partial]
    )  # no temporary file left


def test_where_no_copy_can_be_made_plotly_js_comes_from_the_component_route(unwritable_static):
    assert plotly_js.static_plotly_js() is None
    assert plotly_js.static_partial_js() is None
    at = run(AppTest.from_file(APP, default_timeout=60))
    urls = {
        (data["plotly"]["partial"], data["plotly"]["full"]) for data in live_charts(at).values()
    }
    route = "/component/pages.shared.plotly_js"
    assert urls == {
        (
            f"{route}.plotly_partial_js/{plotly_js.PARTIAL_JS.name}",
            f"{route}.plotly_js/plotly.min.js",
        )
    }


def test_a_stale_or_cut_copy_is_replaced(fresh):
    fresh.mkdir()
    stale = fresh / f"plotly-{plotly_js.PLOTLY_VERSION}.min.js"
    stale.write_text("cut short")
    assert plotly_js.static_plotly_js() == stale.name
    assert stale.stat().st_size == (PLOTLY_JS_DIR / "plotly.min.js").stat().st_size


@pytest.mark.parametrize(
    ("traces", "full"),
    [
        (["scattergl", "scatter", "contour", "image"], False),
        (["bar", "scatter"], False),
        (["box"], False),
        ([], False),
        (["scatter3d", "mesh3d", "scattergl"], True),
        (["surface"], True),
    ],
)
def test_only_a_figure_with_a_trace_type_the_partial_bundle_lacks_needs_the_full_one(traces, full):
    assert plotly_js.needs_full_bundle(traces) is full


def test_a_3d_view_asks_for_the_full_bundle_and_its_curve_for_the_partial_one():
    at = generate(run(AppTest.from_file(APP, default_timeout=60)), n=400, k=3)
    at.selectbox(key="gen_dim").set_value(3)
    charts = live_charts(run(at))
    assert charts["points"]["figure"]["data"][0]["type"] == "scatter3d"
    assert charts["points"]["plotly"]["full_needed"] is True
    assert charts["loglik_line"]["plotly"]["full_needed"] is False


def test_with_another_plotly_installed_every_chart_and_the_preload_take_the_full_bundle(
    monkeypatch,
):
    """The figures are Plotly JSON of the installed plotly's plotly.js: a partial bundle of
    another version (until it is rebuilt) is never used."""
    assert plotly_js.PARTIAL_MATCHES, "the vendored bundle is the installed plotly's"
    assert preload.PARTIAL_MATCHES is plotly_js.PARTIAL_MATCHES
    scripts = []
    monkeypatch.setattr(preload.st, "html", lambda body, **_: scripts.append(body))
    monkeypatch.setattr(plotly_js, "plotly_js_urls", lambda: {"partial": "/p.js", "full": "/f.js"})
    monkeypatch.setattr(preload, "plotly_js_urls", plotly_js.plotly_js_urls)
    preload.preload_plotly_js()
    assert 'load("partial", "/p.js")' in scripts[-1]

    monkeypatch.setattr(plotly_js, "PARTIAL_MATCHES", False)
    monkeypatch.setattr(preload, "PARTIAL_MATCHES", False)
    assert plotly_js.needs_full_bundle(["scatter"]) and plotly_js.needs_full_bundle([])
    preload.preload_plotly_js()
    assert 'load("full", "/f.js")' in scripts[-1]
