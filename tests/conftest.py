"""Test-wide fixtures."""

import pytest

from apptest_helpers import RouterPagesManager


@pytest.fixture(autouse=True)
def _app_py_routes_every_apptest_run(monkeypatch):
    """AppTest runs keep ``app.py`` as the router (see ``RouterPagesManager``)."""
    monkeypatch.setattr("streamlit.testing.v1.app_test.PagesManager", RouterPagesManager)
