"""The built-in data sets: Old Faithful and Fisher's iris, as the shipped files hold them.

``BUILTIN_DATASETS`` lists them by the name the user sees; ``builtin_dataset(name)``,
``load_faithful()`` and ``load_iris()`` read them. Their provenance is in the README
beside the files.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from gmm.data.messages import quoted

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"
"""Folder holding the built-in data sets (``faithful.csv``, ``iris.csv``)."""


def load_faithful() -> pd.DataFrame:
    """Return the Old Faithful geyser data (R ``datasets::faithful``).

    Returns
    -------
    pandas.DataFrame
        Shape (272, 2), float64 columns ``eruptions`` (eruption length, minutes) and
        ``waiting`` (minutes to the next eruption).
    """
    return _load_asset("faithful.csv")


def load_iris() -> pd.DataFrame:
    """Return Fisher's iris data (R ``datasets::iris``).

    Returns
    -------
    pandas.DataFrame
        Shape (150, 5): float64 columns ``sepal_length``, ``sepal_width``,
        ``petal_length``, ``petal_width`` (cm), and the string label ``species``, which
        is not a feature: leave it out of EM (it can colour or check the clusters).
    """
    return _load_asset("iris.csv")


BUILTIN_DATASETS: MappingProxyType[str, Callable[[], pd.DataFrame]] = MappingProxyType(
    {"Old Faithful": load_faithful, "Iris": load_iris}
)
"""Built-in data sets, by the name shown to the user, in display order."""


def builtin_dataset(name: str) -> pd.DataFrame:
    """Return the built-in data set called ``name`` (a key of ``BUILTIN_DATASETS``).

    Parameters
    ----------
    name : str
        ``"Old Faithful"`` or ``"Iris"``.

    Returns
    -------
    pandas.DataFrame
        See ``load_faithful`` and ``load_iris``.
    """
    if name not in BUILTIN_DATASETS:
        raise ValueError(
            f"There is no built-in data set called {name!r}; "
            f"choose one of {quoted(BUILTIN_DATASETS)}."
        )
    return BUILTIN_DATASETS[name]()


def _load_asset(filename: str) -> pd.DataFrame:
    """Read ``assets/<filename>``, with its numeric columns as float64."""
    path = ASSETS_DIR / filename
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"The built-in data file {path} is missing: restore the assets/ folder of "
            "the app (or reinstall it)."
        ) from None
    numeric = frame.select_dtypes("number").columns
    return frame.astype(dict.fromkeys(numeric, np.float64))
