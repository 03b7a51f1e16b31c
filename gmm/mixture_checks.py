"""scikit-learn's checks for :class:`gmm.mixture.GaussianMixture`, without scikit-learn.

The estimator checks what scikit-learn checks, when scikit-learn checks it (at ``fit``, not
in the constructor), and fails with an exception of the same kind, so that code written
for ``sklearn.mixture.GaussianMixture`` catches the same errors:

=============================  ==============================================================
check                          what it refuses
=============================  ==============================================================
:func:`check_constructor`      a constructor argument of the wrong type or out of its range:
                               :class:`InvalidParameterError` (a ``ValueError`` *and* a
                               ``TypeError``, as scikit-learn's) naming the parameter and
                               what it accepts
:func:`check_fit_data`         sparse X (``TypeError``); complex, 1-D or 3-D X, NaN or
                               infinite values, fewer than 2 samples or fewer samples than
                               components (``ValueError``)
:func:`check_predict_data`     the same for the data of ``predict`` etc. (one sample is
                               enough), and a number of features other than at ``fit``
:func:`check_initial_weights`, :func:`check_initial_means`, :func:`check_initial_precisions`
                               ``weights_init``, ``means_init`` and ``precisions_init`` of
                               the wrong shape, weights outside [0, 1] or not summing to 1,
                               precisions that are not symmetric positive definite
:func:`feature_names`,         column names of a DataFrame: kept at ``fit``; a warning when
:func:`check_feature_names`    names are present at one call and absent at the other; a
                               ``ValueError`` when they differ
:func:`check_n_samples`        ``sample(n_samples)`` with fewer than one sample
=============================  ==============================================================
"""

from __future__ import annotations

import sys
import warnings
from numbers import Integral, Real

import numpy as np

from gmm.checks import check_data, check_n_components
from gmm.params import covariance_shape

#: The allowed values of the string parameters, in the order scikit-learn prints them.
COVARIANCE_OPTIONS = ("diag", "full", "spherical", "tied")
INIT_PARAMS_OPTIONS = ("k-means++", "kmeans", "random", "random_from_data")
_LARGEST_SEED = 2**32 - 1


class InvalidParameterError(ValueError, TypeError):
    """A constructor argument has the wrong type or value.

    Both a ``ValueError`` and a ``TypeError``, as scikit-learn's ``InvalidParameterError``.
    """


# ------------------------------------------------------------------- the constructor
def _in_range(value, kind, least, closed_right=None) -> bool:
    """Whether ``value`` is a ``kind`` (Integral or Real; a bool is one) in [least, right)."""
    if not isinstance(value, kind):
        return False
    if kind is Real and np.isnan(value):
        return False
    return least <= value and (value < np.inf if closed_right is None else value <= closed_right)


def _is_array_like(value) -> bool:
    """scikit-learn's "array-like": has a length, a shape or ``__array__``, and no scalar."""
    has_form = hasattr(value, "__len__") or hasattr(value, "shape") or hasattr(value, "__array__")
    return has_form and not np.isscalar(value) and not hasattr(value, "tocsr")


def _is_seed(value) -> bool:
    return (
        value is None
        or isinstance(value, (np.random.RandomState, np.random.Generator))
        or _in_range(value, Integral, 0, _LARGEST_SEED)
    )


def _options(values) -> str:
    return "a str among {" + ", ".join(repr(v) for v in values) + "}"


_INT_FROM_1 = "an int in the range [1, inf)"
_INT_FROM_0 = "an int in the range [0, inf)"
_FLOAT_FROM_0 = "a float in the range [0.0, inf)"
_ARRAY_OR_NONE = "an array-like or None"

#: Each constructor parameter: (test, what it accepts, in scikit-learn's words).
CONSTRAINTS = {
    "n_components": (lambda v: _in_range(v, Integral, 1), _INT_FROM_1),
    "covariance_type": (
        lambda v: isinstance(v, str) and v in COVARIANCE_OPTIONS,
        _options(COVARIANCE_OPTIONS),
    ),
    "tol": (lambda v: _in_range(v, Real, 0), _FLOAT_FROM_0),
    "reg_covar": (lambda v: _in_range(v, Real, 0), _FLOAT_FROM_0),
    "max_iter": (lambda v: _in_range(v, Integral, 0), _INT_FROM_0),
    "n_init": (lambda v: _in_range(v, Integral, 1), _INT_FROM_1),
    "init_params": (
        lambda v: isinstance(v, str) and v in INIT_PARAMS_OPTIONS,
        _options(INIT_PARAMS_OPTIONS),
    ),
    "weights_init": (lambda v: v is None or _is_array_like(v), _ARRAY_OR_NONE),
    "means_init": (lambda v: v is None or _is_array_like(v), _ARRAY_OR_NONE),
    "precisions_init": (lambda v: v is None or _is_array_like(v), _ARRAY_OR_NONE),
    "random_state": (
        _is_seed,
        f"an int in the range [0, {_LARGEST_SEED}], an instance of 'numpy.random.RandomState', "
        "an instance of 'numpy.random.Generator' or None",
    ),
    "warm_start": (
        lambda v: isinstance(v, (bool, np.bool_)),
        "an instance of 'bool' or an instance of 'numpy.bool'",
    ),
    "verbose": (
        lambda v: isinstance(v, (bool, np.bool_)) or _in_range(v, Integral, 0),
        f"{_INT_FROM_0}, an instance of 'bool' or an instance of 'numpy.bool'",
    ),
    "verbose_interval": (lambda v: _in_range(v, Integral, 1), _INT_FROM_1),
}


def check_constructor(params: dict, owner: str = "GaussianMixture") -> None:
    """Check every constructor argument as scikit-learn does at ``fit``.

    Parameters
    ----------
    params : dict
        ``estimator.get_params(deep=False)``.
    owner : str
        The class name used in the message.

    Raises
    ------
    InvalidParameterError
        ``"The 'tol' parameter of GaussianMixture must be a float in the range [0.0, inf).
        Got -1 instead."``, for the first argument (in the order of ``CONSTRAINTS``) that
        does not fit. As in scikit-learn, ``True`` and ``False`` count as 1 and 0.
    """
    for name, (accepts, accepted) in CONSTRAINTS.items():
        value = params[name]
        if not accepts(value):
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be {accepted}. Got {value!r} instead."
            )


def as_random_generator(random_state) -> np.random.Generator:
    """A ``numpy.random.Generator`` for an int, a Generator, a ``RandomState`` or None.

    A ``RandomState`` (scikit-learn's kind of seed) gives one 32-bit draw that seeds a new
    Generator, so it advances as it would in scikit-learn.
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(int(random_state.randint(_LARGEST_SEED, dtype=np.int64)))
    return np.random.default_rng(None if random_state is None else int(random_state))


# -------------------------------------------------------------------------- the data
def _as_array(X) -> np.ndarray:
    """X as a float array, with scikit-learn's refusals for sparse and complex data."""
    if hasattr(X, "tocsr") or type(X).__module__.startswith("scipy.sparse"):
        raise TypeError(
            "Sparse data was passed, but GaussianMixture needs dense data: use X.toarray()."
        )
    raw = np.asarray(X)
    if np.iscomplexobj(raw):
        raise ValueError("Complex data not supported: pass the real part (X.real) or |X|.")
    try:
        return np.asarray(raw, dtype=float)
    except TypeError as error:  # e.g. None or objects that are not numbers
        raise ValueError(f"X must hold numbers: {error}.") from error


def check_fit_data(X, n_components: int) -> np.ndarray:
    """The data of ``fit``: 2-D, finite, at least 2 samples and ``n_components`` samples.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_components : int
        Already checked with :func:`check_constructor`.

    Returns
    -------
    ndarray of shape (n_samples, n_features), float64

    Raises
    ------
    TypeError
        For a sparse matrix.
    ValueError
        Saying what to change, for anything else scikit-learn refuses.
    """
    X = check_data(_as_array(X))
    if X.shape[0] < 2:
        raise ValueError(
            f"Found array with {X.shape[0]} sample(s) (shape={X.shape}) while a minimum of 2 "
            "is required: a mixture cannot be fitted to one point."
        )
    check_n_components(int(n_components), X.shape[0])
    return X


def check_predict_data(X, n_features: int, owner: str = "GaussianMixture") -> np.ndarray:
    """The data of ``predict``, ``score`` etc.: 2-D, finite, ``n_features`` columns.

    Raises
    ------
    TypeError
        For a sparse matrix.
    ValueError
        For anything else scikit-learn refuses.
    """
    X = check_data(_as_array(X))
    if X.shape[1] != n_features:
        raise ValueError(
            f"X has {X.shape[1]} features, but {owner} is expecting {n_features} features as input."
        )
    return X


def feature_names(X) -> np.ndarray | None:
    """The column names of a pandas DataFrame when they are all strings, else None.

    Raises
    ------
    TypeError
        When some names are strings and others are not (as scikit-learn).
    """
    pandas = sys.modules.get("pandas")
    if pandas is None or not isinstance(X, pandas.DataFrame) or len(X.columns) == 0:
        return None
    names = np.asarray(X.columns, dtype=object)
    types = sorted({type(name).__qualname__ for name in names})
    if len(types) > 1 and "str" in types:
        raise TypeError(
            "Feature names are only supported if all input features have string names, "
            f"but your input has {types} as feature name / column name types. Convert them "
            "all to strings, e.g. X.columns = X.columns.astype(str), or remove them."
        )
    return names if types == ["str"] else None


def check_feature_names(fitted: np.ndarray | None, X, owner: str = "GaussianMixture") -> None:
    """Compare X's column names with those seen at ``fit``, as scikit-learn does.

    Warns (``UserWarning``) when names were present at one call and absent at the other.

    Raises
    ------
    ValueError
        When both have names and they differ, listing the unseen and missing names.
    """
    given = feature_names(X)
    if fitted is None and given is None:
        return
    if fitted is None:
        warnings.warn(
            f"X has feature names, but {owner} was fitted without feature names",
            UserWarning,
            stacklevel=4,
        )
        return
    if given is None:
        warnings.warn(
            f"X does not have valid feature names, but {owner} was fitted with feature names",
            UserWarning,
            stacklevel=4,
        )
        return
    if len(fitted) == len(given) and np.all(fitted == given):
        return
    unseen = sorted(set(given) - set(fitted))
    missing = sorted(set(fitted) - set(given))
    message = "The feature names should match those that were passed during fit.\n"
    if unseen:
        message += "Feature names unseen at fit time:\n" + _listed(unseen)
    if missing:
        message += "Feature names seen at fit time, yet now missing:\n" + _listed(missing)
    if not unseen and not missing:
        message += "Feature names must be in the same order as they were in fit.\n"
    raise ValueError(message)


def _listed(names, most: int = 5) -> str:
    lines = [f"- {name}\n" for name in names[:most]]
    return "".join(lines) + ("- ...\n" if len(names) > most else "")


# ---------------------------------------------------------------- initial parameters
def _initial_array(value, name: str, shape: tuple) -> np.ndarray:
    array = _as_array(value)
    if array.shape != shape:
        raise ValueError(
            f"The parameter {name!r} should have the shape of {shape}, but got {array.shape}."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"The parameter {name!r} contains NaN or infinite values.")
    return array


def check_initial_weights(weights, n_components: int) -> np.ndarray:
    """``weights_init``: shape (n_components,), each in [0, 1], summing to 1 (to 1e-8).

    Raises
    ------
    ValueError
        Naming ``weights_init`` and what is wrong.
    """
    weights = _initial_array(weights, "weights_init", (n_components,))
    if np.any(weights < 0) or np.any(weights > 1):
        raise ValueError(
            "The parameter 'weights_init' should be in the range [0, 1], but got max value "
            f"{weights.max():.5f}, min value {weights.min():.5f}."
        )
    if not abs(1.0 - weights.sum()) <= 1e-8:
        raise ValueError(
            "The parameter 'weights_init' should be normalized, but got sum(weights) = "
            f"{weights.sum():.5f}: divide the weights by their sum."
        )
    return weights


def check_initial_means(means, n_components: int, n_features: int) -> np.ndarray:
    """``means_init``: shape (n_components, n_features), finite.

    Raises
    ------
    ValueError
        Naming ``means_init`` and the shape it should have.
    """
    return _initial_array(means, "means_init", (n_components, n_features))


def check_initial_precisions(
    precisions, covariance_type: str, n_components: int, n_features: int
) -> np.ndarray:
    """``precisions_init``: shaped for ``covariance_type``, positive (definite).

    Shapes: 'full' (n_components, d, d), 'tied' (d, d), 'diag' (n_components, d),
    'spherical' (n_components,). Matrices must be symmetric (to scikit-learn's
    ``isclose``) with positive eigenvalues; vectors must be positive.

    Raises
    ------
    ValueError
        Naming ``precisions_init``, the covariance type and what is wrong.
    """
    shape = covariance_shape(covariance_type, n_components, n_features)
    precisions = _initial_array(precisions, "precisions_init", shape)
    if covariance_type in ("diag", "spherical"):
        if np.any(precisions <= 0):
            raise ValueError(
                f"The parameter 'precisions_init' for {covariance_type!r} covariances should "
                "be positive (each is an inverse variance)."
            )
        return precisions
    matrices = precisions if covariance_type == "full" else precisions[None]
    for k, matrix in enumerate(matrices):
        symmetric = np.all(np.isclose(matrix, matrix.T))
        if not (symmetric and np.all(np.linalg.eigvalsh(matrix) > 0)):
            which = f" (component {k})" if covariance_type == "full" else ""
            raise ValueError(
                f"The parameter 'precisions_init' for {covariance_type!r} covariances should "
                f"be symmetric, positive-definite{which}: give inverse covariance matrices."
            )
    return precisions


def check_n_samples(n_samples) -> int:
    """``sample``'s ``n_samples`` as an int: a whole number, 1 or more.

    Raises
    ------
    TypeError
        For something that is not a number.
    ValueError
        For fewer than one sample or a fractional number.
    """
    if not isinstance(n_samples, Real):
        raise TypeError(
            f"n_samples must be a whole number, 1 or more; got {type(n_samples).__name__}."
        )
    if not n_samples >= 1:
        raise ValueError(
            f"Invalid value for 'n_samples': {n_samples}. The sampling requires at least "
            "one sample."
        )
    if not float(n_samples).is_integer():
        raise ValueError(f"n_samples must be a whole number; got {n_samples}.")
    return int(n_samples)
