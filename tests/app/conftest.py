"""Test-wide fixtures."""

import pytest
from apptest_helpers import APP, RouterPagesManager, run
from streamlit.testing.v1 import AppTest


@pytest.fixture(autouse=True)
def _app_py_routes_every_apptest_run(monkeypatch):
    """AppTest runs keep ``app.py`` as the router (see ``RouterPagesManager``)."""
    monkeypatch.setattr("streamlit.testing.v1.app_test.PagesManager", RouterPagesManager)


@pytest.fixture
def at() -> AppTest:
    """The app after its first run: built-in Old Faithful on the Explore page."""
    return run(AppTest.from_file(APP, default_timeout=60))
