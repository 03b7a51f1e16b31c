"""The standalone animation in Chromium: opened from file:// with the network off, it plays
to the last half-step, the chart and the curve in step with the slider and the caption; in
2-D its outlines, in 1-D its curves, in 3-D its ellipsoids, are the app's."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SCREENSHOTS, TIMEOUT_MS

from gmm import load_faithful, load_iris
from gmm.animation import run_animation
from gmm.data import Dataset
from gmm.figures.standalone_frames import app_component_traces
from gmm.figures.view_1d import density_1d
from gmm.figures.view_3d import scatter_3d
from gmm.run import RunSettings

#: Makes DecompressionStream missing, as in an old browser.
NO_DECOMPRESSION = "delete window.DecompressionStream;"


def written_animation(folder, dataset: Dataset, seed: int, max_iter: int):
    """K = 3 from random points on ``dataset``, run and written as ``folder``/em.html."""
    settings = RunSettings(3, init="random_from_data", seed=seed, tol=0, max_iter=max_iter)
    stepper = settings.start(dataset.X)
    stepper.run()
    path = folder / "em.html"
    path.write_text(run_animation(stepper, dataset, settings), encoding="utf-8")
    return path, stepper


@pytest.fixture(scope="module")
def animation(tmp_path_factory):
    """Old Faithful, standardised, K = 3 from random points: 24 half-steps to play."""
    dataset = Dataset.from_frame("Old Faithful", load_faithful()).with_standardisation(True)
    return written_animation(tmp_path_factory.mktemp("standalone"), dataset, 2, 12)


def offline_page(browser, init_script: str | None = None):
    """A page in an offline context that refuses every request but file:// ones."""
    context = browser.new_context(viewport={"width": 1300, "height": 1100}, offline=True)
    context.set_default_timeout(TIMEOUT_MS)
    if init_script:
        context.add_init_script(init_script)
    asked = []

    def only_files(route):
        asked.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    page.page_errors = []
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    return context, page, asked


def opened(browser, path):
    """The page of ``path`` opened offline, once it says it is ready."""
    context, page, asked = offline_page(browser)
    page.goto(path.as_uri())
    page.wait_for_function("document.documentElement.dataset.gmmState === 'ready'")
    return context, page, asked


def shown(page) -> int:
    return int(page.evaluate("document.documentElement.dataset.gmmShown ?? -1"))


def chart_state(page) -> dict:
    """What Plotly drew: the points' colour indices and the first mean, and the ring."""
    return page.evaluate(
        """() => {
          const chart = document.getElementById('gmm-chart');
          const curve = document.getElementById('gmm-curve');
          const points = chart.data[0];
          const mean = chart.data.find(t => t.meta && t.meta.role === 'mean');
          const ring = curve.data[curve.data.length - 1];
          return {n: chart._fullData[0]._length,
                  colors: Array.from(points.marker.color.slice(0, 40)),
                  mean: [mean.x[0], mean.y[0]], meanName: mean.name,
                  ring: [ring.x[0], ring.y[0]],
                  banner: chart._fullLayout.annotations.find(a => a.name === 'banner').text};
        }"""
    )


def drawn_components(page) -> list[dict]:
    """The outlines and means on the chart, as the page drew them (NaN for a gap)."""
    return page.evaluate(
        """() => document.getElementById('gmm-chart').data
              .filter(t => t.meta && ['ellipse', 'mean'].includes(t.meta.role))
              .map(t => ({x: Array.from(t.x, v => v ?? null), y: Array.from(t.y, v => v ?? null),
                          text: t.text ? Array.from(t.text) : null, name: t.name}))"""
    )


def assert_drawn_as_the_app_draws(page, X, snapshot) -> None:
    """The page's outlines, computed in the browser from means and factors, are the
    app's `component_traces` of the same snapshot."""
    params = snapshot.params
    expected = app_component_traces(X, params, (0.5, 0.9))
    drawn = drawn_components(page)
    assert len(drawn) == len(expected)
    for got, want in zip(drawn, expected):
        for axis in "xy":
            values = np.array([np.nan if v is None else v for v in got[axis]], dtype=float)
            np.testing.assert_allclose(values, np.asarray(want[axis], float), rtol=1e-9, atol=1e-9)
        assert got["name"] == want["name"]
        assert got["text"] == (list(want["text"]) if "text" in want else None)


def test_plays_offline_from_file_to_the_last_half_step(browser, animation):
    path, stepper = animation
    last = len(stepper.snapshots) - 1
    context, page, asked = opened(browser, path)
    try:
        start = chart_state(page)
        assert start["n"] == stepper.n_samples
        assert set(start["colors"]) == {start["colors"][0]}  # all grey before the E-step
        assert start["banner"] == "Iteration 0 · initialisation"
        assert_drawn_as_the_app_draws(page, stepper.X, stepper.snapshots[0])
        assert page.inner_text("#gmm-caption").startswith(f"half-step 0 of {last} ·")

        page.select_option("#gmm-speed", label="8×")
        page.click("#gmm-play")
        assert page.inner_text("#gmm-play") == "❚❚ Pause"
        page.wait_for_function(
            f"document.documentElement.dataset.gmmShown === '{last}'", timeout=120_000
        )
        page.wait_for_function("document.getElementById('gmm-play').textContent.includes('Replay')")
        end = chart_state(page)
        assert page.input_value("#gmm-slider") == str(last)
        caption = page.inner_text("#gmm-caption")
        final = stepper.current
        assert caption.startswith(f"half-step {last} of {last} · Iteration {final.iteration} ·")
        assert end["banner"] == f"Iteration {final.iteration} · after the M-step"
        assert end["ring"] == [last, pytest.approx(final.log_likelihood, abs=1e-9)]
        means = final.params.means
        assert end["mean"] == pytest.approx(means[0].tolist(), abs=1e-5)  # float32
        assert f"π = {final.params.weights[0]:.2f}" in end["meanName"]
        assert len(set(end["colors"])) > 1  # blended colours, no longer grey
        assert_drawn_as_the_app_draws(page, stepper.X, final)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "standalone-last.png"), full_page=True)

        page.click("#gmm-back")  # and back by hand: the M-step before is the E-step's θ
        page.wait_for_function(f"document.documentElement.dataset.gmmShown === '{last - 1}'")
        assert chart_state(page)["banner"] == f"Iteration {final.iteration} · after the E-step"
        assert page.evaluate("document.getElementById('gmm-status').hidden")
        assert page.page_errors == []
        assert all(url.startswith("file://") for url in asked), asked
    finally:
        context.close()


def test_the_slider_and_keys_move_through_the_history(browser, animation):
    path, stepper = animation
    context, page, _ = offline_page(browser)
    try:
        page.goto(path.as_uri())
        page.wait_for_function("document.documentElement.dataset.gmmState === 'ready'")
        page.locator("#gmm-slider").fill("5")
        page.wait_for_function("document.documentElement.dataset.gmmShown === '5'")
        assert chart_state(page)["ring"][0] == 5
        page.locator("body").press("End")
        page.wait_for_function(
            f"document.documentElement.dataset.gmmShown === '{len(stepper.snapshots) - 1}'"
        )
        page.locator("body").press("Home")
        page.wait_for_function("document.documentElement.dataset.gmmShown === '0'")
        page.locator("body").press("ArrowRight")
        page.wait_for_function("document.documentElement.dataset.gmmShown === '1'")
        assert chart_state(page)["banner"] == "Iteration 1 · after the E-step"
    finally:
        context.close()


def test_a_browser_without_decompression_gets_a_clear_message(browser, animation):
    path, _ = animation
    context, page, _ = offline_page(browser, NO_DECOMPRESSION)
    try:
        page.goto(path.as_uri())
        page.wait_for_function("document.documentElement.dataset.gmmState === 'failed'")
        message = page.inner_text("#gmm-status")
        assert "lacks DecompressionStream" in message and "no network is needed" in message
        assert page.page_errors == []
    finally:
        context.close()


# ----------------------------------------------------------------------- 1-D
#: What the 1-D page computes per set of parameters, by trace role (gmm.figures.standalone_1d).
DRAWN_1D = ("share", "density", "mixture", "interval", "mean")


@pytest.fixture(scope="module")
def animation_1d(tmp_path_factory):
    """Old Faithful's eruptions, K = 3 from random points: 24 half-steps to play."""
    dataset = Dataset.from_frame("Old Faithful", load_faithful()[["eruptions"]])
    return written_animation(tmp_path_factory.mktemp("standalone-1d"), dataset, 2, 12)


def drawn_curves(page) -> list[dict]:
    """The curves, brackets and means on the 1-D chart, as the page drew them."""
    roles = list(DRAWN_1D)
    return page.evaluate(
        """(roles) => document.getElementById('gmm-chart').data
              .filter(t => t.meta && roles.includes(t.meta.role))
              .map(t => ({x: Array.from(t.x, v => v ?? null), y: Array.from(t.y, v => v ?? null),
                          customdata: t.customdata ? Array.from(t.customdata, v => v ?? null) : null,
                          name: t.name, role: t.meta.role,
                          range: document.getElementById('gmm-chart').layout.yaxis.range}))""",
        roles,
    )


def as_floats(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def assert_curves_as_the_app_draws(page, x, snapshot) -> None:
    """The page's curves, brackets and means, computed in the browser from μ, σ², π, are
    the app's `density_1d` of the same snapshot, to 1e-9 relative."""
    params = snapshot.params
    figure = density_1d(x, None, params.means, params.full_covariances, params.weights, (0.5, 0.9))
    expected = [t for t in figure.data if t.meta["role"] in DRAWN_1D]
    drawn = drawn_curves(page)
    assert [d["role"] for d in drawn] == [t.meta["role"] for t in expected]
    assert drawn[0]["range"] == list(figure.layout.yaxis.range)
    for got, want in zip(drawn, expected):
        for axis in "xy":
            want_values = np.asarray(getattr(want, axis), dtype=float)
            np.testing.assert_allclose(as_floats(got[axis]), want_values, rtol=1e-9, atol=1e-300)
        if want.customdata is not None:  # γ_k(x) for the hover, float32 in both
            np.testing.assert_allclose(
                as_floats(got["customdata"]), np.asarray(want.customdata, float), rtol=1e-6
            )
        assert got["name"] == want.name


def test_the_1d_page_plays_offline_with_the_apps_curves(browser, animation_1d):
    path, stepper = animation_1d
    last = len(stepper.snapshots) - 1
    x = stepper.X[:, 0]
    context, page, asked = opened(browser, path)
    try:
        start = chart_state(page)
        assert start["n"] == stepper.n_samples
        assert set(start["colors"]) == {start["colors"][0]}  # a grey rug before the E-step
        assert_curves_as_the_app_draws(page, x, stepper.snapshots[0])

        page.select_option("#gmm-speed", label="8×")
        page.click("#gmm-play")
        page.wait_for_function(
            f"document.documentElement.dataset.gmmShown === '{last}'", timeout=120_000
        )
        page.wait_for_function("document.getElementById('gmm-play').textContent.includes('Replay')")
        end = chart_state(page)
        final = stepper.current
        assert end["banner"] == f"Iteration {final.iteration} · after the M-step"
        assert end["ring"] == [last, pytest.approx(final.log_likelihood, abs=1e-9)]
        assert len(set(end["colors"])) > 1  # the rug in blended colours
        assert_curves_as_the_app_draws(page, x, final)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "standalone-1d-last.png"), full_page=True)

        page.locator("body").press("Home")  # and back to the start: the first curves again
        page.wait_for_function("document.documentElement.dataset.gmmShown === '0'")
        assert_curves_as_the_app_draws(page, x, stepper.snapshots[0])
        assert page.page_errors == []
        assert all(url.startswith("file://") for url in asked), asked
    finally:
        context.close()


# ----------------------------------------------------------------------- 3-D
@pytest.fixture(scope="module")
def animation_3d(tmp_path_factory):
    """Iris's first three columns, K = 3 from random points: 16 half-steps to play."""
    frame = load_iris()
    dataset = Dataset.from_frame("Iris", frame, columns=list(frame.columns[:3]))
    return written_animation(tmp_path_factory.mktemp("standalone-3d"), dataset, 1, 8)


def drawn_ellipsoids(page) -> list[dict]:
    """The ellipsoids and means on the 3-D chart, as the page built them."""
    return page.evaluate(
        """() => document.getElementById('gmm-chart').data
              .filter(t => t.meta && ['ellipsoid', 'mean'].includes(t.meta.role))
              .map(t => ({x: Array.from(t.x), y: Array.from(t.y), z: Array.from(t.z),
                          i: t.i ? Array.from(t.i) : null, j: t.j ? Array.from(t.j) : null,
                          k: t.k ? Array.from(t.k) : null, name: t.name}))"""
    )


def assert_ellipsoids_as_the_app_draws(page, X, snapshot) -> None:
    """The page's ellipsoids, built in the browser from means and factors on the unit
    sphere, are the app's `scatter_3d` meshes of the same snapshot, to 1e-9."""
    params = snapshot.params
    figure = scatter_3d(X, None, params.means, params.full_covariances, params.weights, (0.5, 0.9))
    expected = [t for t in figure.data if t.meta["role"] in ("ellipsoid", "mean")]
    drawn = drawn_ellipsoids(page)
    assert len(drawn) == len(expected)
    for got, want in zip(drawn, expected):
        for axis in "xyz":
            np.testing.assert_allclose(
                got[axis], np.asarray(getattr(want, axis), float), rtol=1e-9, atol=1e-9
            )
        if want.meta["role"] == "ellipsoid":
            for axis in "ijk":
                assert got[axis] == list(getattr(want, axis))
        assert got["name"] == want.name


def test_the_3d_page_plays_offline_with_the_apps_ellipsoids(browser, animation_3d):
    path, stepper = animation_3d
    last = len(stepper.snapshots) - 1
    context, page, asked = opened(browser, path)
    try:
        start = chart_state(page)
        assert start["n"] == stepper.n_samples
        assert_ellipsoids_as_the_app_draws(page, stepper.X, stepper.snapshots[0])

        page.select_option("#gmm-speed", label="8×")
        page.click("#gmm-play")
        page.wait_for_function(
            f"document.documentElement.dataset.gmmShown === '{last}'", timeout=120_000
        )
        end = chart_state(page)
        final = stepper.current
        assert end["banner"] == f"Iteration {final.iteration} · after the M-step"
        assert end["ring"] == [last, pytest.approx(final.log_likelihood, abs=1e-9)]
        assert len(set(end["colors"])) > 1
        assert_ellipsoids_as_the_app_draws(page, stepper.X, final)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "standalone-3d-last.png"), full_page=True)
        assert page.page_errors == []
        assert all(url.startswith("file://") for url in asked), asked
    finally:
        context.close()
