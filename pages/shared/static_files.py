"""Files the browser keeps between visits: the app's ``static/`` folder.

Streamlit serves ``static/`` beside ``app.py`` at ``/app/static/`` when
``server.enableStaticServing`` is on (``.streamlit/config.toml``), as files with
``Last-Modified`` and ``ETag``: the browser keeps them, and V8 its compiled code of a kept
script (``docs/browser-latency.md``). What the app puts there is named by its content
(a version, a digest), so that a kept copy is never taken for another one.

- :func:`static_copy` puts a file there (plotly.js, ``pages/shared/plotly_js.py``);
- :func:`static_text` puts a text there (the history player's script,
  ``pages/shared/history_player.py``: one request per visit instead of its 67 kB inside
  every one of the player's elements on every rerun);
- :func:`static_url` is the address the browser asks for, under the server's base path
  (:func:`base_path`).

Each returns None where ``static/`` cannot be written (a read-only checkout) or is not
served: the caller then sends the content as before.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import threading
from pathlib import Path

import streamlit as st

#: The app's static folder (beside ``app.py``), served at ``/app/static/``.
STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def serving() -> bool:
    """Whether Streamlit serves ``static/`` (``server.enableStaticServing``)."""
    return bool(st.get_option("server.enableStaticServing"))


def base_path() -> str:
    """The server's base path as an address starts with it: ``""`` or ``"/base"``."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def static_url(name: str) -> str:
    """The address of ``static/<name>`` as the browser asks for it."""
    return f"{base_path()}/app/static/{name}"


def _replace(target: Path, write) -> None:
    """Write ``target`` whole or not at all: ``write(path)`` fills a temporary file that
    then takes its place (another server may be starting at the same time)."""
    STATIC_DIR.mkdir(exist_ok=True)
    partial = STATIC_DIR / f".{target.name}.{os.getpid()}.{threading.get_ident()}"
    write(partial)
    os.replace(partial, target)


@functools.cache
def static_copy(source: Path, name: str) -> str | None:
    """Put ``source`` into ``static/`` as ``name`` (once per process); its name there, or
    None if it cannot be.

    A hard link where the file system allows, else a copy with the source's time stamp
    (the browser's ``Last-Modified``); a copy of another size (cut short, stale) is
    replaced, whole or not at all.
    """

    def link_or_copy(partial: Path) -> None:
        try:
            os.link(source, partial)
        except OSError:  # another file system, or no hard links here
            shutil.copy2(source, partial)

    target = STATIC_DIR / name
    try:
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            _replace(target, link_or_copy)
    except OSError:
        return None
    return target.name


@functools.cache
def static_text(text: str, stem: str, suffix: str) -> str | None:
    """Put ``text`` into ``static/`` as ``<stem>-<digest><suffix>`` (once per process);
    its name there, or None if it cannot be.

    Parameters
    ----------
    text : str
        The file's content (UTF-8).
    stem, suffix : str
        The name's start and end, e.g. ``"history-player"`` and ``".js"``.
    """
    data = text.encode("utf-8")
    target = STATIC_DIR / f"{stem}-{hashlib.sha256(data).hexdigest()[:12]}{suffix}"
    try:
        if not target.exists() or target.stat().st_size != len(data):
            _replace(target, lambda partial: partial.write_bytes(data))
    except OSError:
        return None
    return target.name
