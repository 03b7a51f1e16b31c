"""plotly.js served so that the browser keeps it between visits.

Streamlit 1.67 can serve a file of the app in two ways:

- from a component's folder (``/component/<name>/…``, ``declare_component(path=…)``),
  with ``Cache-Control: public`` and no validator (no ``ETag``, no ``Last-Modified``):
  the browser fetches plotly.js (4.6 MB, 1.5 MB compressed) again on every visit, and
  compiles it again;
- from the app's ``static/`` folder (``server.enableStaticServing``, on in
  ``.streamlit/config.toml``), as a file with ``Last-Modified`` and ``ETag``: the
  browser keeps it (fresh for a while, then revalidated with a 304 and no body), and
  with it V8's compiled code.

:func:`static_plotly_js` puts the installed package's ``plotly.min.js`` into
``static/`` once per process, named by plotly's version (so that a kept copy is never
taken for another version's): a hard link where the file system allows, else a copy
with the package file's time stamp. Where neither works (a read-only checkout), it
returns None and the component route serves plotly.js as before.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import shutil
import threading
from pathlib import Path

from gmm.figures.serialise import PLOTLY_JS_DIR

#: The app's static folder (beside ``app.py``), served at ``/app/static/``.
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
#: The installed plotly's version, read without importing Plotly.
PLOTLY_VERSION = importlib.metadata.version("plotly")


@functools.cache
def static_plotly_js() -> str | None:
    """The file name of plotly.js in ``static/``, put there on the first call; None if
    it cannot be."""
    source = PLOTLY_JS_DIR / "plotly.min.js"
    target = STATIC_DIR / f"plotly-{PLOTLY_VERSION}.min.js"
    try:
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            STATIC_DIR.mkdir(exist_ok=True)
            partial = STATIC_DIR / f".{target.name}.{os.getpid()}.{threading.get_ident()}"
            try:
                os.link(source, partial)
            except OSError:  # another file system, or no hard links here
                shutil.copy2(source, partial)
            os.replace(partial, target)  # whole or not at all, for a concurrent server
    except OSError:
        return None
    return target.name
