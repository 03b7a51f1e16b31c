"""Test-wide fixtures."""

import pytest
from apptest_helpers import APP, RouterPagesManager, run
from streamlit.testing.v1 import AppTest


@pytest.fixture(autouse=True)
def _app_py_routes_every_apptest_run(monkeypatch):
    """AppTest runs keep ``app.py`` as the router (see ``RouterPagesManager``)."""
    monkeypatch.setattr("streamlit.testing.v1.app_test.PagesManager", RouterPagesManager)


@pytest.fixture(autouse=True)
def _run_to_convergence_inside_the_click(monkeypatch):
    """A Run to convergence ends inside its click however loaded the machine is, so that
    tests see its result at once; tests/app/test_long_run.py sends runs to the background."""
    monkeypatch.setattr("pages.shared.jobs.FOREGROUND_SECONDS", 600.0)


@pytest.fixture
def at() -> AppTest:
    """The app after its first run: built-in Old Faithful on the Explore page."""
    return run(AppTest.from_file(APP, default_timeout=60))
