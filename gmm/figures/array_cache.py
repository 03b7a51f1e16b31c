"""Values derived from a data array once, and reused while the array lives.

A session draws the same data array (``Dataset.X``, read-only) on every rerun; at
n = 10⁶ its plot ranges alone take a tenth of a second to recompute, and the pixel grid
of the image mode (`gmm.figures.raster`) twice that. `derived` keeps such values per
array, for the last `CACHE_SIZE` arrays, and forgets them when the array is freed. It
assumes what the app guarantees: an array is not changed in place while it is drawn.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

import numpy as np

__all__ = ["CACHE_SIZE", "derived"]

#: How many arrays keep their derived values (a few sessions' data sets).
CACHE_SIZE = 8

T = TypeVar("T")
_entries: dict[int, tuple[weakref.ref, tuple, dict]] = {}


def derived(X: np.ndarray, name: Hashable, compute: Callable[[np.ndarray], T]) -> T:
    """``compute(X)``, computed once per array ``X`` and ``name``.

    Parameters
    ----------
    X : ndarray
        The data (not changed in place while cached).
    name : hashable
        What is derived, e.g. ``("grid", (400, 300))``.
    compute : callable
        Computes it from ``X``.

    Returns
    -------
    The value, from the cache when ``X`` (the same object, shape and dtype) had it.
    """
    identity, shape = id(X), (X.shape, X.dtype.str)
    entry = _entries.get(identity)
    if entry is None or entry[0]() is not X or entry[1] != shape:
        try:
            ref = weakref.ref(X, lambda _: _entries.pop(identity, None))
        except TypeError:  # an object that cannot be referenced weakly
            return compute(X)
        while len(_entries) >= CACHE_SIZE:
            _entries.pop(next(iter(_entries)))
        entry = _entries[identity] = (ref, shape, {})
    values = entry[2]
    if name not in values:
        values[name] = compute(X)
    return values[name]
