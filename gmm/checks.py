"""What the engine accepts, and the one check of each argument.

Every argument a person can get wrong is checked here, once, with a message that says
what to change; the rest of ``gmm`` (and the app, through :mod:`gmm.sweep` and
:mod:`gmm.restarts`) calls these functions instead of checking again.

=========================  =================================================================
check                      what it refuses
=========================  =================================================================
:func:`check_data`         X that is not 2-D, empty, or holds NaN or infinite values; and
                           (given K) fewer points than components
:func:`check_n_components` K that is not a whole number from 1 to the number of points
:func:`check_k_values`     an empty range of K, or any K that :func:`check_n_components`
                           refuses
:func:`check_covariance_type`, :func:`check_covariance_types`
                           unknown covariance types, or none
:func:`check_init_method`  unknown initialisation methods ('explicit' where a seed must do)
:func:`check_count`        counts (restarts, n_init, max_iter) that are not whole numbers
:func:`check_seed`         seeds that are not whole numbers, 0 or more
:func:`check_em_settings`  negative ``reg_covar`` or ``tol``, bad ``max_iter``
:func:`as_generator`       anything but a seed or a ``numpy.random.Generator``
=========================  =================================================================

This module imports NumPy and :mod:`gmm.errors` only, so every other module can use it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from gmm.errors import DataError

#: The covariance types, as scikit-learn names them (see :mod:`gmm.params`).
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
#: Initialisation methods (see :mod:`gmm.init`).
INIT_METHODS = ("kmeans", "k-means++", "random_from_data", "random", "explicit")
#: Initialisation methods that need nothing but a seed (``explicit`` needs chosen means).
SEEDED_INIT_METHODS = tuple(m for m in INIT_METHODS if m != "explicit")


# ------------------------------------------------------------------------ the data
def check_data(X, n_components: int | None = None) -> np.ndarray:
    """Validate and return X as a float array of shape (n_samples, n_features).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_components : int, optional
        When given, also checked with :func:`check_n_components`.

    Raises
    ------
    ValueError
        With a message saying what to change.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        raise ValueError(
            "X must be 2-D with shape (n_samples, n_features); for one feature "
            "use X.reshape(-1, 1)."
        )
    if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
        raise ValueError(f"X must have shape (n_samples, n_features); got {X.shape}.")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values; drop or fill those rows first.")
    if n_components is not None:
        check_n_components(n_components, X.shape[0])
    return X


# ------------------------------------------------------------------ numbers of things
def _is_whole(value, least: int) -> bool:
    return not isinstance(value, bool) and float(value).is_integer() and value >= least


def check_count(name: str, value, least: int) -> int:
    """``value`` as an int, if it is a whole number ``least`` or more.

    Raises
    ------
    ValueError
        ``"{name} must be a whole number, {least} or more; got {value!r}."``
    """
    if not _is_whole(value, least):
        raise ValueError(f"{name} must be a whole number, {least} or more; got {value!r}.")
    return int(value)


def check_n_components(n_components, n_samples: int, *, largest: bool = False) -> int:
    """K as an int, if it is a whole number from 1 to ``n_samples``.

    Parameters
    ----------
    n_components : int
    n_samples : int
        Number of data points.
    largest : bool, default False
        K is the largest of a range: the message then says "Lower the largest K".

    Raises
    ------
    ValueError
        With a message that says what to change.
    """
    k = check_count("K, the number of components,", n_components, 1)
    if k > n_samples:
        which = "the largest K" if largest else "K"
        raise ValueError(
            f"K = {k} components need at least {k} data points, but the data have only "
            f"{n_samples}. Lower {which} to {n_samples} or less, or use more data."
        )
    return k


def check_k_values(k_values, n_samples: int) -> tuple[int, ...]:
    """Sorted distinct K values, each a whole number from 1 to ``n_samples``.

    Raises
    ------
    ValueError
        With a message that says what to change.
    """
    try:
        values = list(k_values)
    except TypeError:
        values = [k_values]
    if not values:
        raise ValueError(
            "The range of K is empty: choose at least one number of "
            "components (for example K = 1 to 6)."
        )
    ks = sorted({check_count("K, the number of components,", v, 1) for v in values})
    check_n_components(ks[-1], n_samples, largest=True)
    return tuple(ks)


# -------------------------------------------------------------------------- choices
def check_covariance_type(covariance_type: str) -> str:
    """Return ``covariance_type`` if it is known, else raise a ``ValueError``."""
    if covariance_type not in COVARIANCE_TYPES:
        raise ValueError(
            f"Unknown covariance type {covariance_type!r}: covariance_type must be one "
            f"of {', '.join(COVARIANCE_TYPES)}."
        )
    return covariance_type


def check_covariance_types(covariance_types) -> tuple[str, ...]:
    """The covariance types in the order of ``COVARIANCE_TYPES``, without repeats.

    Raises
    ------
    ValueError
        For an empty choice or an unknown type.
    """
    if isinstance(covariance_types, str):
        covariance_types = (covariance_types,)
    chosen = [check_covariance_type(c) for c in covariance_types]
    if not chosen:
        raise ValueError(f"Choose at least one covariance type: {', '.join(COVARIANCE_TYPES)}.")
    return tuple(c for c in COVARIANCE_TYPES if c in chosen)


def check_init_method(method: str, *, seeded: bool = False) -> str:
    """Return ``method`` if it is an initialisation method (a seeded one if ``seeded``).

    Raises
    ------
    ValueError
        For an unknown method, or 'explicit' where every run needs only a seed.
    """
    if seeded and method == "explicit":
        raise ValueError(
            "The 'explicit' initialisation needs chosen means, one set per run; choose a "
            f"seeded method instead: {', '.join(SEEDED_INIT_METHODS)}."
        )
    allowed = SEEDED_INIT_METHODS if seeded else INIT_METHODS
    if method not in allowed:
        raise ValueError(f"Unknown initialisation {method!r}: choose among {', '.join(allowed)}.")
    return method


def check_init_methods(methods: Iterable[str]) -> tuple[str, ...]:
    """Seeded initialisation methods, in the order given, without repeats.

    Raises
    ------
    ValueError
        For no method, an unknown one, or 'explicit'.
    """
    chosen = tuple(dict.fromkeys(methods))
    if not chosen:
        raise ValueError("Choose at least one initialisation method.")
    return tuple(check_init_method(m, seeded=True) for m in chosen)


# ----------------------------------------------------------------------- EM itself
def check_em_settings(reg_covar, tol, max_iter, *, least_iter: int = 0) -> tuple[float, float, int]:
    """``(reg_covar, tol, max_iter)`` as float, float, int, if EM can run with them.

    Parameters
    ----------
    reg_covar, tol : float
        0 or more.
    max_iter : int
        A whole number, ``least_iter`` or more (0 lets a run stop at its start).

    Raises
    ------
    ValueError
        Naming the setting to change.
    """
    if not reg_covar >= 0:
        raise ValueError(f"reg_covar must be 0 or more; got {reg_covar}.")
    if not tol >= 0:
        raise ValueError(f"tol must be 0 or more; got {tol}.")
    return float(reg_covar), float(tol), check_count("max_iter", max_iter, least_iter)


def check_run_settings(n_restarts, seed, reg_covar, tol, max_iter) -> None:
    """Check the settings shared by many seeded runs (a sweep, a batch of restarts).

    Raises
    ------
    ValueError
        That says what to change for any unusable setting.
    """
    check_count("The number of restarts", n_restarts, 1)
    check_seed(seed)
    check_em_settings(reg_covar, tol, max_iter, least_iter=1)


# ---------------------------------------------------------------------------- seeds
def check_seed(seed) -> int:
    """``seed`` as an int, if it is a whole number, 0 or more.

    Raises
    ------
    DataError
        (a ``ValueError``) for a negative or fractional seed.
    """
    if not _is_whole(seed, 0):
        raise DataError(f"The seed must be 0 or a positive whole number; got {seed!r}.")
    return int(seed)


def as_generator(seed, *, allow_none: bool = True) -> np.random.Generator:
    """The one way from a seed to a ``numpy.random.Generator``.

    Parameters
    ----------
    seed : int, numpy.random.Generator or None
        A Generator is returned as it is (and so shared); an int 0 or more seeds a new
        one; None (when ``allow_none``) gives a new one from fresh entropy.
    allow_none : bool, default True
        False where a run must be repeatable (the data generators).

    Raises
    ------
    TypeError
        For anything else.
    DataError
        For a negative int.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None and allow_none:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(
            f"seed must be an int or a numpy.random.Generator; got {type(seed).__name__}."
        )
    return np.random.default_rng(check_seed(seed))
