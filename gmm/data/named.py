"""Data sets made from a name alone: a built-in set, or generated data with its truth.

The app's sidebar (``pages/shared/sources.py``, which caches them) and the lessons
(``gmm/lessons/runs.py``) build their data here, so that a lesson's data set is the one
the sidebar shows for the same choice: same name, columns, labels and truth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gmm.data.builtin import builtin_dataset
from gmm.data.dataset import Dataset
from gmm.data.generators import GENERATOR_KINDS, generate
from gmm.params import MixtureParams

__all__ = ["builtin_data", "generated_data"]


def builtin_data(name: str) -> Dataset:
    """A built-in data set, in the default view of its first numeric columns; Iris keeps
    its species as labels.

    Raises
    ------
    ValueError
        For a name that is not a built-in data set (the message lists those there are).
    """
    frame = builtin_dataset(name)
    labels = frame["species"].to_numpy() if "species" in frame else None
    return Dataset.from_frame(name, frame, labels=labels)


def generated_data(kind: str, n: int, n_components: int, dim: int, seed: int) -> Dataset:
    """Synthetic data (``gmm.data.generate``) with its generating components as ``truth``.

    Returns
    -------
    Dataset
        Columns ``x1 … x{dim}``, all in view, the true component of every point as labels.
    """
    data = generate(kind, n, n_components, dim, seed)
    truth = None
    if data.true_covariances is not None:
        truth = MixtureParams(data.true_weights, data.true_means, data.true_covariances)
    frame = pd.DataFrame(np.asarray(data.X), columns=[f"x{j + 1}" for j in range(dim)])
    return Dataset.from_frame(
        f"{GENERATOR_KINDS[kind]} ({dim}-D, n={n:,}, K={n_components}, seed {seed})",
        frame,
        notes=(data.description,),
        n_view=dim,
        truth=truth,
        labels=data.labels,
    )
