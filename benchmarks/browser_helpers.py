"""What the browser benchmarks share with the browser tests: the test server and the
Playwright helpers of ``tests/browser/conftest.py``.

``tests/browser`` is not an importable package, so its modules are loaded from their
files: ``server`` (start a Streamlit server on a free port) and ``ui`` (the conftest's
helpers, under its own name).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSER_TESTS = ROOT / "tests" / "browser"
for folder in (BROWSER_TESTS, ROOT):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import server as streamlit_server  # noqa: E402


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ui = _load("gmm_browser_conftest", BROWSER_TESTS / "conftest.py")

__all__ = ["BROWSER_TESTS", "ROOT", "streamlit_server", "ui"]
