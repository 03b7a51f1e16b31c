"""Where the data come from: the built-in sets, generated data and uploads, as Datasets.

Each source is turned into a :class:`gmm.data.Dataset` here, cached where that is
safe, so that switching back to a source is instant. Errors are the engine's
:class:`gmm.errors.DataError`, with messages written for the user.
"""

from __future__ import annotations

import streamlit as st

from gmm.data import Dataset, load_csv
from gmm.data.named import builtin_data, generated_data


@st.cache_data(show_spinner=False, max_entries=4)
def builtin(name: str) -> Dataset:
    """A built-in data set, default view of its first two numeric columns."""
    return builtin_data(name)


@st.cache_data(show_spinner="Generating data…", max_entries=8)
def generated(kind: str, n: int, n_components: int, dim: int, seed: int) -> Dataset:
    """Synthetic data with the generating components kept as ``truth``."""
    return generated_data(kind, n, n_components, dim, seed)


def uploaded(file) -> Dataset:
    """Parse an upload; raises DataError with the engine's message."""
    frame, notes = load_csv(file)
    return Dataset.from_frame(f"upload: {file.name}", frame, notes=notes)
