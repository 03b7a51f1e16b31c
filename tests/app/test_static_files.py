"""The app's static folder (``pages/shared/static_files.py``) and the history player's
script served from it: named by content, written whole, and inline where it cannot be."""

from __future__ import annotations

import json

import pytest

from pages.shared import history_player, static_files


@pytest.fixture
def static(monkeypatch, tmp_path):
    """A static folder of the test's own, and nothing remembered of another."""
    monkeypatch.setattr(static_files, "STATIC_DIR", tmp_path / "static")
    static_files.static_text.cache_clear()
    history_player._player.cache_clear()
    yield tmp_path / "static"
    static_files.static_text.cache_clear()
    history_player._player.cache_clear()


def test_a_text_is_kept_under_a_name_of_its_content(static):
    name = static_files.static_text("const a = 1;\n", "thing", ".js")
    assert name.startswith("thing-") and name.endswith(".js")
    assert (static / name).read_text(encoding="utf-8") == "const a = 1;\n"
    other = static_files.static_text("const a = 2;\n", "thing", ".js")
    assert other != name, "another content, another name: a kept copy is never stale"
    assert sorted(p.name for p in static.iterdir()) == sorted([name, other]), "no temporary"


def test_where_the_folder_cannot_be_written_there_is_no_name(unwritable_static):
    assert static_files.static_text("x", "thing", ".js") is None


def registered_script(monkeypatch) -> str:
    """The JavaScript the player's component is registered with."""
    seen = {}

    def component(name, **parts):
        seen.update(parts, name=name)
        return object()

    monkeypatch.setattr(history_player.st.components.v2, "component", component)
    history_player._player()
    assert seen["name"] == "gmm_explorer.history"
    return seen["js"]


def test_the_player_loads_its_script_from_the_static_folder(static, monkeypatch):
    monkeypatch.setattr(history_player, "serving", lambda: True)
    script = registered_script(monkeypatch)
    (served,) = static.iterdir()
    whole = "\n".join(p.read_text(encoding="utf-8") for p in history_player.PLAYER_SCRIPTS)
    assert served.read_text(encoding="utf-8") == whole
    assert json.dumps(f"/app/static/{served.name}") in script and len(script) < 2_000


@pytest.mark.parametrize("blocked", ["not served", "not writable"])
def test_otherwise_the_script_goes_inline(static, monkeypatch, request, blocked):
    monkeypatch.setattr(history_player, "serving", lambda: blocked != "not served")
    if blocked == "not writable":
        request.getfixturevalue("unwritable_static")
    script = registered_script(monkeypatch)
    assert "export default function" in script and "GmmFrames" in script
    assert "__PLAYER_URL__" not in script and "/app/static/" not in script
