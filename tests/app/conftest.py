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


@pytest.fixture
def unwritable_static(monkeypatch, tmp_path):
    """The app's static folder where none can be made (a file lies in its way), and no
    remembered copy or text of another test (``pages/shared/static_files.py``)."""
    from pages.shared import static_files

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the static folder should be")
    monkeypatch.setattr(static_files, "STATIC_DIR", blocker / "static")
    static_files.static_copy.cache_clear()
    static_files.static_text.cache_clear()
    yield
    static_files.static_copy.cache_clear()
    static_files.static_text.cache_clear()
