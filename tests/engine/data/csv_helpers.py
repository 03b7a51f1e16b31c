"""Helpers shared by the load_csv tests: in-memory files in, plain values out."""

from __future__ import annotations

import io

import pandas as pd

from gmm.data import load_csv


def load(content: bytes | str, **kwargs) -> tuple[pd.DataFrame, list[str]]:
    """``load_csv`` on in-memory content (bytes: a binary upload; str: a text file)."""
    stream = io.BytesIO(content) if isinstance(content, bytes) else io.StringIO(content)
    return load_csv(stream, **kwargs)


def values(frame: pd.DataFrame) -> list[list[float]]:
    return frame.to_numpy().tolist()


def joined(notes: list[str]) -> str:
    return "\n".join(notes)
