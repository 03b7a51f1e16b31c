"""Where the data come from: the built-in sets, generated data and uploads, as Datasets.

Each source is turned into a :class:`gmm.data.Dataset` here, cached where that is
safe, so that switching back to a source is instant. A ``Dataset`` is immutable (its
``X`` is read-only), so the cache hands every session the same object
(``st.cache_resource``) rather than a copy of its own (``st.cache_data`` unpickles one
per call): ten sessions on the same generated data hold it once. Errors are the engine's
:class:`gmm.errors.DataError`, with messages written for the user.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from gmm.data import GENERATOR_KINDS, Dataset, builtin_dataset, generate, load_csv
from gmm.params import MixtureParams


@st.cache_resource(show_spinner=False, max_entries=4)
def builtin(name: str) -> Dataset:
    """A built-in data set, default view of its first two numeric columns."""
    frame = builtin_dataset(name)
    labels = frame["species"].to_numpy() if "species" in frame else None
    return Dataset.from_frame(name, frame, labels=labels)


@st.cache_resource(show_spinner="Generating data…", max_entries=8)
def generated(kind: str, n: int, n_components: int, dim: int, seed: int) -> Dataset:
    """Synthetic data with the generating components kept as ``truth``."""
    data = generate(kind, n, n_components, dim, seed)
    columns = [f"x{j + 1}" for j in range(dim)]
    truth = None
    if data.true_covariances is not None:
        truth = MixtureParams(data.true_weights, data.true_means, data.true_covariances)
    # copy=False: the frame's values, the generated array and the data set's X are one.
    frame = pd.DataFrame(np.ascontiguousarray(data.X, dtype=float), columns=columns, copy=False)
    return Dataset.from_frame(
        f"{GENERATOR_KINDS[kind]} ({dim}-D, n={n:,}, K={n_components}, seed {seed})",
        frame,
        notes=(data.description,),
        n_view=dim,
        truth=truth,
        labels=data.labels,
    )


def uploaded(file) -> Dataset:
    """Parse an upload; raises DataError with the engine's message."""
    frame, notes = load_csv(file)
    return Dataset.from_frame(f"upload: {file.name}", frame, notes=notes)
