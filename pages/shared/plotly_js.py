"""plotly.js for the browser: which bundle a chart needs, and where the browser gets it.

Two bundles of the same plotly.js version:

- the **partial** one, ``assets/vendor/plotly-partial-<version>.min.js`` (1.7 MB): only
  the trace types of the app's 1-D and 2-D charts, listed in ``plotly-partial.json``
  (built by ``assets/vendor/build/build.sh``; ``assets/vendor/README.md``). The first
  chart of a page waits for plotly.js to be parsed and run, and this one takes about a
  third of the full one's time (``docs/browser-latency.md``);
- the **full** one, the installed ``plotly`` package's ``plotly.min.js`` (4.8 MB), for a
  figure with any other trace type (the 3-D view: ``scatter3d``, ``mesh3d``).

:func:`needs_full_bundle` says which a figure needs; the browser holds one
``window.Plotly`` (``assets/plotly_loader.js``): the partial bundle until a chart needs
the full one, the full one from then on, for every chart of the page.

Streamlit 1.67 can serve a file of the app in two ways:

- from a component's folder (``/component/<name>/…``, ``declare_component(path=…)``),
  with ``Cache-Control: public`` and no validator (no ``ETag``, no ``Last-Modified``):
  the browser fetches plotly.js again on every visit, and compiles it again;
- from the app's ``static/`` folder (``server.enableStaticServing``, on in
  ``.streamlit/config.toml``), as a file with ``Last-Modified`` and ``ETag``: the
  browser keeps it (fresh for a while, then revalidated with a 304 and no body), and
  with it V8's compiled code.

:func:`plotly_js_urls` serves both bundles from ``static/``:
`pages.shared.static_files.static_copy` puts each there once per process, under a name
that changes with its content (plotly's version; for the partial bundle also a digest of
the file), so that a kept copy is never taken for another one. Where ``static/`` cannot
be written (a read-only checkout), the component route serves them as before.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Iterable
from pathlib import Path

import streamlit.components.v1 as components_v1

from gmm.figures.serialise import PLOTLY_JS_DIR, PLOTLY_JS_VERSION
from pages.shared.static_files import base_path, serving, static_copy, static_url

_ROOT = Path(__file__).resolve().parents[2]
#: The installed plotly's version, read without importing Plotly.
PLOTLY_VERSION = importlib.metadata.version("plotly")
#: The browser's loader of plotly.js, before the preload's and the live chart's scripts.
LOADER_JS_PATH = _ROOT / "assets" / "plotly_loader.js"
#: The installed package's full bundle.
FULL_JS = PLOTLY_JS_DIR / "plotly.min.js"
#: Where the partial bundle and its description (``plotly-partial.json``) lie.
VENDOR_DIR = _ROOT / "assets" / "vendor"
PARTIAL_MANIFEST = json.loads((VENDOR_DIR / "plotly-partial.json").read_text(encoding="utf-8"))
#: The partial bundle.
PARTIAL_JS = VENDOR_DIR / PARTIAL_MANIFEST["file"]
#: The trace types registered in the partial bundle.
PARTIAL_TRACES = frozenset(PARTIAL_MANIFEST["traces"])
#: Whether the partial bundle is the installed plotly's plotly.js. The figures are
#: Plotly JSON of that version; with another plotly installed (until the bundle is
#: rebuilt: ``assets/vendor/README.md``) every chart takes the package's full bundle.
PARTIAL_MATCHES = PARTIAL_MANIFEST["plotly_js_version"] == PLOTLY_JS_VERSION


def needs_full_bundle(trace_types: Iterable[str]) -> bool:
    """Whether a figure with these trace types needs the full plotly.js bundle.

    Parameters
    ----------
    trace_types : iterable of str
        The ``type`` of each of the figure's traces (``"scatter"`` where it has none,
        as in Plotly).

    Returns
    -------
    bool
        True if any of them is missing from the partial bundle (a 3-D trace), or if
        the partial bundle is not the installed plotly's version (`PARTIAL_MATCHES`).
    """
    return not PARTIAL_MATCHES or not set(trace_types) <= PARTIAL_TRACES


def static_plotly_js() -> str | None:
    """The full bundle's name in ``static/``, named by plotly's version; None if it
    cannot be put there."""
    return static_copy(FULL_JS, f"plotly-{PLOTLY_VERSION}.min.js")


@functools.cache
def partial_js_name() -> str:
    """The partial bundle's name in ``static/``: its version and a digest of the file,
    so that a rebuilt bundle (another trace type) is never taken for a kept one."""
    digest = hashlib.sha256(PARTIAL_JS.read_bytes()).hexdigest()[:12]
    return f"plotly-partial-{PARTIAL_MANIFEST['plotly_js_version']}-{digest}.min.js"


def static_partial_js() -> str | None:
    """The partial bundle's name in ``static/``; None if it cannot be put there."""
    return static_copy(PARTIAL_JS, partial_js_name())


def plotly_js_urls() -> dict[str, str]:
    """Where the browser loads each bundle from: ``{"partial": url, "full": url}``.

    From the app's static folder where Streamlit serves it and the copies could be put
    there: files the browser keeps between visits. Otherwise from the component route:
    ``declare_component`` with a ``path`` makes Streamlit serve that folder's files at
    ``/component/<name>/``; it is registered on every run, as Streamlit requires.
    """
    served = {
        "full": components_v1.declare_component("plotly_js", path=str(PLOTLY_JS_DIR)),
        "partial": components_v1.declare_component("plotly_partial_js", path=str(VENDOR_DIR)),
    }
    files = {"full": FULL_JS.name, "partial": PARTIAL_JS.name}
    statics = {"full": static_plotly_js, "partial": static_partial_js}
    urls = {}
    for bundle, component in served.items():
        static = statics[bundle]() if serving() else None
        if static is not None:
            urls[bundle] = static_url(static)
        else:
            urls[bundle] = f"{base_path()}/component/{component.name}/{files[bundle]}"
    return urls
