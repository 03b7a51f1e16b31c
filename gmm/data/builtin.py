"""The built-in data sets: Old Faithful and Fisher's iris, as the shipped files hold them.

``BUILTIN_DATASETS`` lists them by the name the user sees; ``builtin_dataset(name)``,
``load_faithful()`` and ``load_iris()`` read them. The files are package data in
``gmm/data/builtin_csv/``, read through ``importlib.resources``, so they are found
wherever and however the package is installed (a wheel, an editable install, a zip).
Their provenance is in the README beside them.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from types import MappingProxyType

import numpy as np
import pandas as pd

from gmm.data.messages import quoted

_BUILTIN_FOLDER = "builtin_csv"
"""Folder of the package ``gmm.data`` that holds the built-in files and their README."""


def load_faithful() -> pd.DataFrame:
    """Return the Old Faithful geyser data (R ``datasets::faithful``).

    Returns
    -------
    pandas.DataFrame
        Shape (272, 2), float64 columns ``eruptions`` (eruption length, minutes) and
        ``waiting`` (minutes to the next eruption).
    """
    return _read_builtin("faithful.csv")


def load_iris() -> pd.DataFrame:
    """Return Fisher's iris data (R ``datasets::iris``).

    Returns
    -------
    pandas.DataFrame
        Shape (150, 5): float64 columns ``sepal_length``, ``sepal_width``,
        ``petal_length``, ``petal_width`` (cm), and the string label ``species``, which
        is not a feature: leave it out of EM (it can colour or check the clusters).
    """
    return _read_builtin("iris.csv")


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


def _read_builtin(filename: str) -> pd.DataFrame:
    """Read the package data file ``gmm/data/builtin_csv/<filename>``, numbers as float64."""
    resource = files("gmm.data") / _BUILTIN_FOLDER / filename
    try:
        with resource.open("rb") as handle:
            frame = pd.read_csv(handle)
    except FileNotFoundError:
        raise FileNotFoundError(
            f"The built-in data file {_BUILTIN_FOLDER}/{filename} is missing from the "
            "installed gmm package: reinstall it (pip install --force-reinstall "
            "gmm-explorer), or restore gmm/data/builtin_csv/ in a source checkout."
        ) from None
    numeric = frame.select_dtypes("number").columns
    return frame.astype(dict.fromkeys(numeric, np.float64))
