"""Fixtures and helpers for the real-browser tests of GMM Explorer.

One ``streamlit run app.py`` server is started for the whole session (see ``server.py``
beside this file) and driven by Debian's headless Chromium through Playwright's sync API.
Every test gets a new browser context, which is a new Streamlit session with fresh state.

What "the app is idle" means here (``wait_for_app_idle``):

* ``[data-testid="stApp"]`` carries ``data-test-script-state``: ``running`` while a script
  (or fragment) run is under way and ``notRunning`` after it -- the same attribute
  Streamlit's own e2e tests wait on. (``stStatusWidget`` only appears after a delay, for
  long runs, so its absence proves nothing.) An init script counts, with a
  MutationObserver, every time the state *leaves* ``running``, and counts the server's
  websocket messages. ``click`` reads both counts first and then waits for a run to end
  after the click: the state left ``running`` again, or -- for a rerun so quick that
  React never showed ``running`` -- new messages arrived and then stopped. So the wait
  can neither end before the click's rerun nor miss a fast one.
* no element is stale (``data-stale="true"``, greyed out while a rerun is pending);
* every ``stPlotlyChart`` holds a drawn Plotly graph div (``_fullLayout`` set);
* the DOM has been quiet for a moment (Plotly draws after the script run has ended).

All tests in this folder carry the ``browser`` marker; deselect them with
``pytest -m "not browser"``. When Chromium or Playwright is missing they skip, except on
CI (``CI=true``), where they fail and say what to install.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # for ``server`` (the benchmark imports it the same way)

import server as streamlit_server  # noqa: E402

REPO_ROOT = HERE.parents[1]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 900}
LARGE_VIEWPORT = {"width": 1920, "height": 1080}
TIMEOUT_MS = 30_000
QUIET_MS = 250  # DOM unchanged this long after the run: Plotly has finished drawing

# Installed before any page script: counts finished script runs and DOM mutations.
INIT_SCRIPT = """
(() => {
  const state = window.__gmm = {finished: 0, started: 0, lastMutation: performance.now(),
                                messages: 0, lastMessage: 0, bytes: 0, scriptState: null,
                                transitions: [], received: []};
  // Count the server's websocket messages: a rerun so quick that React never shows
  // 'running' still sends messages, and its last one ends the run.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', event => {
        state.messages++;
        state.lastMessage = performance.now();
        const data = event.data;
        const size = data.byteLength ?? data.size ?? data.length ?? 0;
        state.bytes += size;
        if (state.received.length < 5000) state.received.push([state.lastMessage, size]);
      });
    }
  };
  const watchApp = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    state.scriptState = app.getAttribute('data-test-script-state');
    if (state.scriptState === 'notRunning') state.finished++;  // attached late
    new MutationObserver(records => {
      const now = app.getAttribute('data-test-script-state');
      if (state.transitions.length < 1000) state.transitions.push([performance.now(), now]);
      // The states in order: each record's old value, then the current one.
      const seq = [...records.map(r => r.oldValue), now];
      for (let i = 0; i + 1 < seq.length; i++) {
        if (seq[i] === 'running' && seq[i + 1] !== 'running') state.finished++;
        if (seq[i] !== 'running' && seq[i + 1] === 'running') state.started++;
      }
      state.scriptState = app.getAttribute('data-test-script-state');
    }).observe(app, {attributes: true, attributeOldValue: true,
                     attributeFilter: ['data-test-script-state']});
    return true;
  };
  const start = () => {
    new MutationObserver(() => { state.lastMutation = performance.now(); })
      .observe(document.documentElement, {subtree: true, childList: true,
                                          attributes: true, characterData: true});
    if (!watchApp()) {
      const finder = new MutationObserver(() => { if (watchApp()) finder.disconnect(); });
      finder.observe(document.documentElement, {subtree: true, childList: true});
    }
  };
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
"""

RUN_ENDED = """
([since, quietMs]) => {
  const s = window.__gmm;
  if (!s) return false;
  if (s.finished > since.finished) return true;
  return s.messages > since.messages && performance.now() - s.lastMessage >= quietMs;
}
"""

IDLE_CONDITION = """
([minCharts, quietMs]) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || !window.__gmm) return false;
  if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const containers = document.querySelectorAll('[data-testid="stPlotlyChart"], .gmm-live-chart');
  // A live chart (pages/shared/live_chart.py) draws each new figure asynchronously.
  const live = [...document.querySelectorAll('.gmm-live-chart')];
  if (live.some(gd => gd.dataset.drawn !== String(gd.__gmmVersion))) return false;
  const drawn = [...document.querySelectorAll('.js-plotly-plot')].filter(gd => gd._fullLayout);
  // A run that ended in an exception may never draw its charts: idle all the same, so
  // that the test fails at once on the exception, not after a timeout.
  const crashed = document.querySelector('[data-testid="stException"]') !== null;
  if (!crashed && (drawn.length < minCharts || drawn.length < containers.length)) return false;
  return performance.now() - window.__gmm.lastMutation >= quietMs;
}
"""

DESCRIBE_STATE = """
() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {
    scriptState: app && app.getAttribute('data-test-script-state'),
    connection: app && app.getAttribute('data-test-connection-state'),
    runsFinished: window.__gmm && window.__gmm.finished,
    messages: window.__gmm && window.__gmm.messages,
    runsStarted: window.__gmm && window.__gmm.started,
    msSinceLastMutation: window.__gmm && Math.round(performance.now() - window.__gmm.lastMutation),
    stale: document.querySelectorAll('[data-stale="true"]').length,
    chartContainers: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
    chartsDrawn: [...document.querySelectorAll('.js-plotly-plot')].filter(g => g._fullLayout).length,
    exceptions: [...document.querySelectorAll('[data-testid="stException"]')].map(e => e.innerText.slice(0, 300)),
  };
}
"""

# Every Plotly graph div's data and layout; typed arrays become plain arrays.
CHARTS_SCRIPT = """
() => {
  const plain = v => {
    if (v === null || v === undefined) return v ?? null;
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (Array.isArray(v)) return v.map(plain);
    return v;
  };
  const pick = (obj, keys) => {
    if (!obj) return null;
    const out = {};
    for (const k of keys) if (obj[k] !== undefined) out[k] = plain(obj[k]);
    return out;
  };
  return [...document.querySelectorAll('.js-plotly-plot')].map((gd, index) => {
    const box = gd.getBoundingClientRect();
    const full = gd._fullLayout || {};
    const axis = a => a ? {range: plain(a.range), offset: a._offset, length: a._length} : null;
    return {
      index,
      box: {x: box.x, y: box.y, width: box.width, height: box.height},
      // gd.data keeps what the server sent (base64 "bdata" specs); gd._fullData holds the
      // decoded typed arrays Plotly draws, in the same order (``index``).
      // A half-step the history player painted on its canvas over the chart
      // (assets/frame_canvas.js): the traces and layout it drew, the points' colours
      // from their codes.
      data: gd.__gmmFrame ? gd.__gmmFrame.data.filter(t => t.visible !== false).map(t => ({
        type: t.type ?? null, name: t.name ?? null, mode: t.mode ?? null,
        meta: t.meta ?? null, showlegend: t.showlegend ?? null, visible: t.visible ?? true,
        x: plain(t.x), y: plain(t.y), z: plain(t.z), text: plain(t.text),
        marker: t.codes ? {color: Array.from(t.codes, c => gd.__gmmFrameOptions.colorOf(c)),
                           size: t.marker.size, opacity: t.marker.opacity}
          : pick(t.marker, ['color', 'colorscale', 'cmin', 'cmax', 'size', 'symbol', 'opacity']),
        line: pick(t.line, ['color', 'dash', 'width']), fillcolor: t.fillcolor ?? null,
      })) : (gd.data || []).map((input, i) => {
        const t = (gd._fullData || []).find(f => f.index === i) || input;
        return {
          type: t.type ?? null, name: input.name ?? null, mode: t.mode ?? null,
          meta: input.meta ?? null, showlegend: input.showlegend ?? null,
          visible: t.visible ?? true,
          x: plain(t.x), y: plain(t.y), z: plain(t.z), text: plain(t.text),
          marker: pick(t.marker, ['color', 'colorscale', 'cmin', 'cmax', 'size', 'symbol',
                                  'opacity']),
          line: pick(t.line, ['color', 'dash', 'width']),
          fillcolor: t.fillcolor ?? null,
        };
      }),
      layout: JSON.parse(JSON.stringify((gd.__gmmFrame || gd).layout || {})),
      full: {width: full.width, height: full.height, dragmode: full.dragmode,
             xaxis: axis(full.xaxis), yaxis: axis(full.yaxis),
             camera: full.scene ? JSON.parse(JSON.stringify(full.scene.camera)) : null},
    };
  });
}
"""


# --------------------------------------------------------------------------- marker
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# ---------------------------------------------------------------------- helpers
def unavailable(reason: str):
    """Skip, or on CI (CI=true) fail loudly: CI must run these tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{reason}. CI must run the browser tests: "
            "`apt-get install -y chromium` and `pip install -e '.[test]'`.",
            pytrace=False,
        )
    pytest.skip(reason)


def launch_chromium(playwright):
    """Debian's Chromium, headless, with the flags Streamlit's e2e CI uses."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_for_app_idle(
    page, since: dict | None = None, *, min_charts: int = 1, timeout: float = TIMEOUT_MS
) -> None:
    """Wait until the app's script has finished and its charts are drawn.

    Parameters
    ----------
    since : dict, optional
        ``app_activity(page)`` read before an action. First wait until a script run has
        ended after it -- the script state left ``running`` once more, or, for a rerun so
        quick that the page never showed ``running``, the server sent messages and then
        fell silent -- so the wait cannot end before the action's rerun has happened.
    min_charts : int
        Plotly charts that must be drawn.
    """
    try:
        if since is not None:
            page.wait_for_function(RUN_ENDED, arg=[since, QUIET_MS], timeout=timeout, polling=50)
        page.wait_for_function(
            IDLE_CONDITION, arg=[min_charts, QUIET_MS], timeout=timeout, polling=50
        )
    except Exception as error:
        if "Timeout" not in type(error).__name__:
            raise
        raise AssertionError(
            f"the app did not become idle (since {since}): {describe_app_state(page)}"
        ) from error


def describe_app_state(page) -> dict:
    """What ``wait_for_app_idle`` looks at, for error messages."""
    try:
        return page.evaluate(DESCRIBE_STATE)
    except Exception as error:  # the page itself may be gone
        return {"error": str(error)}


def app_activity(page) -> dict:
    """Script runs finished and server messages so far: pass it to ``wait_for_app_idle``."""
    return page.evaluate(
        "window.__gmm ? {finished: window.__gmm.finished, "
        "messages: window.__gmm.messages} : {finished: 0, messages: 0}"
    )


def click(page, locator, **wait) -> None:
    """Click and wait for the rerun it causes to finish and be drawn."""
    before = app_activity(page)
    locator.click()
    wait_for_app_idle(page, before, **wait)


def button(page, label: str):
    """The enabled-or-not button with exactly this label (main area or sidebar); a
    button with a keyboard shortcut is named "Step (E+M) Shortcut S" for assistive
    technology, and found by its label alone too."""
    return page.get_by_role("button", name=re.compile(rf"^{re.escape(label)}( Shortcut .+)?$"))


def charts(page) -> list[dict]:
    """Each Plotly graph div: ``data`` (traces with meta, x, y, marker...), ``layout``,
    ``box`` (bounding box in the page) and ``full`` (drawn axis ranges and offsets)."""
    return page.evaluate(CHARTS_SCRIPT)


def _role(trace) -> str | None:
    return (trace.get("meta") or {}).get("role") if isinstance(trace.get("meta"), dict) else None


def chart_with_role(page_or_charts, role: str) -> dict:
    """The chart having a trace of this ``meta.role`` ("points": scatter, "loglik_line")."""
    found = page_or_charts if isinstance(page_or_charts, list) else charts(page_or_charts)
    matching = [c for c in found if any(_role(t) == role for t in c["data"])]
    assert matching, f"no chart with a {role!r} trace; roles: " + str(
        [[_role(t) for t in c["data"]] for c in found]
    )
    return matching[0]


def traces(chart: dict, role: str) -> list[dict]:
    return [t for t in chart["data"] if _role(t) == role]


def point_colors(chart: dict) -> list[str]:
    """The colour of every drawn point, resolved through the points trace's colorscale.

    The app sends one small integer per point plus a colorscale with one stop at each
    integer (cmin 0, cmax m - 1), so index i is the colour of stop i.
    """
    (points,) = traces(chart, "points")
    marker = points["marker"]
    color = marker["color"]
    if isinstance(color, str):
        return [color] * len(points["x"])
    scale = marker.get("colorscale")
    if not scale:
        return list(color)
    assert marker.get("cmin", 0) == 0 and marker.get("cmax") == len(scale) - 1, marker
    return [scale[int(i)][1] for i in color]


def figure_picture(chart: dict) -> dict:
    """What a chart draws, for equality checks: per trace role, name, x, y and colours."""
    picture = []
    for trace in chart["data"]:
        marker = trace.get("marker") or {}
        picture.append(
            {
                "role": _role(trace),
                "name": trace.get("name"),
                "x": trace.get("x"),
                "y": trace.get("y"),
                "color": marker.get("color"),
                "colorscale": marker.get("colorscale"),
                "line": trace.get("line"),
                "fill": trace.get("fillcolor"),
            }
        )
    return {"traces": picture}


STATUS = re.compile(
    r"^Iteration (?P<iteration>\d+), (?P<phase>initialisation|after the "
    r"E-step|after the M-step) · log-likelihood (?P<loglik>[-−\d,.]+).*?"
    r" · (?P<verdict>[^·]+?) · half-step "
    r"(?P<index>\d+) of (?P<last>\d+)$"
)


def status_line(page) -> str:
    """The markdown line "Iteration N, after the E-step · ... · half-step i of n"."""
    line = (
        page.locator('[data-testid="stMarkdownContainer"]')
        .filter(has_text=re.compile(r"^Iteration \d+,"))
        .first
    )
    return line.inner_text(timeout=TIMEOUT_MS).strip()


def status(page) -> dict:
    """The status line parsed: iteration, phase, index, last (ints), verdict (the words
    of ``gmm.status.VERDICTS``), converged (bool)."""
    text = status_line(page)
    match = STATUS.match(text)
    assert match, f"status line not understood: {text!r}"
    return {
        "text": text,
        "iteration": int(match["iteration"]),
        "phase": match["phase"],
        "index": int(match["index"]),
        "last": int(match["last"]),
        "verdict": match["verdict"],
        "converged": match["verdict"] == "converged ✓",
    }


def exceptions(page) -> list[str]:
    return page.locator('[data-testid="stException"]').all_inner_texts()


def errors(page, where: str = "") -> list[str]:
    """Texts of error alerts (``st.error``), e.g. ``where='[data-testid="stSidebar"] '``."""
    return page.locator(f'{where}[data-testid="stAlertContentError"]').all_inner_texts()


def screenshot(page, name: str) -> list[Path]:
    """Screenshots of the viewport at 1400x900 and 1920x1080 in test-artifacts/screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    paths = []
    original = page.viewport_size
    for size in (VIEWPORT, LARGE_VIEWPORT):
        if page.viewport_size != size:
            page.set_viewport_size(size)
            _wait_quiet(page)
        # No hover effect or tooltip of the last click in the picture.
        page.mouse.move(size["width"] - 2, size["height"] - 2)
        page.wait_for_timeout(150)
        path = SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png"
        page.screenshot(path=str(path))
        paths.append(path)
    if page.viewport_size != original:
        page.set_viewport_size(original)
        _wait_quiet(page)
    return paths


def _wait_quiet(page) -> None:
    """After a resize: wait for the charts to be redrawn at the new size (a page without
    a chart, such as the list of lessons, has none to wait for)."""
    page.wait_for_timeout(100)
    wait_for_app_idle(page, min_charts=min(1, page.locator(".js-plotly-plot").count()))


# ---------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """One ``streamlit run app.py`` for the session; stopped (terminate, kill) at the end."""
    log_dir = tmp_path_factory.mktemp("streamlit-server")
    try:
        server = streamlit_server.start(log_dir)
    except streamlit_server.ServerStartError as error:
        pytest.fail(str(error), pytrace=False)
    try:
        yield server
    finally:
        streamlit_server.stop(server.process)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("The playwright Python package is not installed")
    if not Path(CHROMIUM).exists():
        unavailable(
            f"Chromium is not installed at {CHROMIUM} (Debian: `apt-get install -y chromium`)"
        )
    for stale in SCREENSHOTS.glob("FAILED-*.png"):  # from an earlier run
        stale.unlink()
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()


def open_app(browser, url: str, viewport=VIEWPORT, welcome: bool = False):
    """A new context (a new Streamlit session) with the app loaded and idle; the
    first-visit welcome, where there is one (a link opens without it), is dismissed
    ("Explore on my own") unless ``welcome``."""
    context = browser.new_context(viewport=viewport)
    context.add_init_script(INIT_SCRIPT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.page_errors = []
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]')
    # The first run includes loading Plotly's 4.7 MB bundle.
    wait_for_app_idle(page, {"finished": 0, "messages": 0}, timeout=60_000)
    if not welcome and page.get_by_role("button", name="Explore on my own").count():
        click(page, button(page, "Explore on my own"))
    return page


@pytest.fixture
def page(browser, app_server, request):
    """The app in a new browser context at 1400x900, first script run finished and drawn."""
    page = open_app(browser, app_server.url)
    try:
        yield page
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            shot = SCREENSHOTS / f"FAILED-{request.node.name}.png"
            try:
                page.screenshot(path=str(shot), full_page=True)
            except Exception as error:  # the page may be gone; the log matters more
                shot = f"<no screenshot: {error}>"
            print(
                f"\nscreenshot: {shot}\nbrowser errors: {page.page_errors}\n"
                f"--- server log {app_server.log_path} ---\n{app_server.log()[-4000:]}"
            )
        page.context.close()


@pytest.fixture
def wait_idle():
    """``wait_for_app_idle`` as a fixture, for tests that prefer not to import conftest."""
    return wait_for_app_idle


def poll(predicate, timeout: float = 10.0, interval: float = 0.1):
    """Call ``predicate`` until it returns something truthy; return that or the last value."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value


# ------------------------------------------------------------------------ layout
SIZES = ({"width": 1024, "height": 768}, {"width": 1366, "height": 768}, VIEWPORT, LARGE_VIEWPORT)

# Each visible button in the main area whose label is cut (ellipsis): its text, and the
# label's full (scrollWidth) and shown (clientWidth) widths. Streamlit keeps a hidden
# copy of each button to measure it: only the visible one counts.
TRUNCATED_BUTTONS = """
() => [...document.querySelectorAll('[data-testid="stMain"] button')]
  .filter(b => b.checkVisibility({visibilityProperty: true}) && b.getBoundingClientRect().width)
  .map(b => {
    const label = b.querySelector('[data-testid="stMarkdownContainer"]');
    return {text: b.innerText.replace(/\\s+/g, ' ').trim(),
            full: label ? label.scrollWidth : b.scrollWidth,
            shown: label ? label.clientWidth : b.clientWidth};
  })
  .filter(b => b.full > b.shown)
"""

# Each display formula in the main area that does not fit its box (cut off or scrolled).
CUT_FORMULAS = """
() => [...document.querySelectorAll('[data-testid="stMain"] .katex-display')]
  .filter(k => k.checkVisibility())
  .map(k => ({text: k.innerText.slice(0, 40), full: k.scrollWidth, shown: k.clientWidth,
              right: k.querySelector('.katex').getBoundingClientRect().right,
              box: k.getBoundingClientRect().right}))
  .filter(k => k.full > k.shown + 1 || k.right > k.box + 1)
"""


def truncated_buttons(page) -> list[dict]:
    """Visible main-area buttons whose label is cut off: ``[{text, full, shown}]``."""
    return page.evaluate(TRUNCATED_BUTTONS)


def cut_formulas(page) -> list[dict]:
    """Visible display formulas in the main area that do not fit their box."""
    return page.evaluate(CUT_FORMULAS)


def live_chart_box(page, role: str) -> dict:
    """The bounding box (x, y, width, height) of the chart with a trace of this role."""
    return chart_with_role(page, role)["box"]


def sidebar_open(page) -> bool:
    return page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "false"


def set_sidebar(page, open_: bool) -> None:
    """Open or close the sidebar as a person does, and wait for the charts to follow."""
    if sidebar_open(page) == open_:
        return
    if open_:
        page.get_by_role("button", name="Expand sidebar").click()
    else:
        page.locator('[data-testid="stSidebar"]').hover()
        page.get_by_role("button", name="Collapse sidebar").click()
    poll(lambda: sidebar_open(page) == open_, timeout=5)
    page.wait_for_timeout(600)  # the sidebar's slide, then one redraw per chart
    wait_for_app_idle(page)
