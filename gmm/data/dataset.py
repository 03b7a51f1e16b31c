"""The data a run works on: a table, the columns chosen for EM, optional standardisation.

A :class:`Dataset` is an immutable value. The app keeps one in its session state and
replaces it only when a new one has been built without error, so a bad upload never
loses the data already on screen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from gmm.errors import DataError
from gmm.params import MixtureParams


@dataclass(frozen=True, eq=False)
class Dataset:
    """A numeric table and the columns EM runs on.

    Parameters
    ----------
    name : str
        What the user sees, e.g. ``"Old Faithful"`` or ``"upload: geyser.csv"``.
    frame : pandas.DataFrame
        Numeric columns only (float), shape (n_samples, n_columns).
    columns : tuple of str
        The columns EM uses, in order (1 to ``n_columns`` of them).
    standardised : bool
        Whether each chosen column is centred and scaled to unit variance.
    notes : tuple of str
        Plain-language notes from loading (rows dropped, columns ignored, ...).
    truth : MixtureParams, optional
        The generating mixture of synthetic data over all of ``frame``'s columns, in the
        columns' own units.
    labels : ndarray of shape (n_samples,), optional
        Known classes (a generator's components, Iris species), for comparison only.
    """

    name: str
    frame: pd.DataFrame
    columns: tuple[str, ...]
    standardised: bool = False
    notes: tuple[str, ...] = ()
    truth: MixtureParams | None = None
    labels: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        if len(self.frame) == 0:
            raise DataError("The data have no rows.")
        missing = [c for c in self.columns if c not in self.frame.columns]
        if missing or not self.columns:
            raise DataError(
                f"Choose columns that exist; not found: {missing}. "
                f"Available: {list(self.frame.columns)}."
            )
        if len(set(self.columns)) != len(self.columns):
            raise DataError("Choose each column only once.")

    @classmethod
    def from_frame(
        cls, name: str, frame: pd.DataFrame, notes=(), columns=None, n_view: int = 2, **kwargs
    ) -> Dataset:
        """A dataset over ``frame``'s numeric columns, the first ``n_view`` chosen by default."""
        numeric = frame.select_dtypes("number").astype(float)
        if numeric.shape[1] == 0:
            raise DataError("The data have no numeric column.")
        chosen = tuple(columns) if columns else tuple(numeric.columns[:n_view])
        return cls(name, numeric, chosen, notes=tuple(notes), **kwargs)

    @property
    def n_samples(self) -> int:
        """Number of rows n."""
        return len(self.frame)

    @property
    def n_features(self) -> int:
        """Number of columns EM uses, d."""
        return len(self.columns)

    @cached_property
    def centre(self) -> np.ndarray:
        """Mean of each chosen column, shape (d,)."""
        return self.frame[list(self.columns)].to_numpy().mean(axis=0)

    @cached_property
    def scale(self) -> np.ndarray:
        """Standard deviation (ddof=0) of each chosen column, 1 where it is 0, shape (d,)."""
        std = self.frame[list(self.columns)].to_numpy().std(axis=0)
        return np.where(std > 0, std, 1.0)

    @cached_property
    def X(self) -> np.ndarray:
        """The points EM runs on, shape (n_samples, d), standardised if chosen."""
        values = np.ascontiguousarray(self.frame[list(self.columns)].to_numpy(dtype=float))
        if self.standardised:
            values = (values - self.centre) / self.scale
        values.setflags(write=False)
        return values

    @cached_property
    def key(self) -> tuple:
        """What identifies the points EM sees: name, columns, standardisation, shape and
        a digest of ``X``, so that results computed on these data can be found again."""
        digest = hashlib.blake2b(np.ascontiguousarray(self.X).tobytes(), digest_size=12)
        return (
            self.name,
            tuple(self.columns),
            bool(self.standardised),
            self.X.shape,
            digest.hexdigest(),
        )

    @property
    def axis_labels(self) -> tuple[str, ...]:
        """Column names, marked "(standardised)" when they are."""
        suffix = " (standardised)" if self.standardised else ""
        return tuple(f"{c}{suffix}" for c in self.columns)

    def with_columns(self, columns) -> Dataset:
        """The same data with other columns chosen."""
        return replace(self, columns=tuple(columns))

    def with_standardisation(self, standardised: bool) -> Dataset:
        """The same data, standardised or not."""
        return replace(self, standardised=bool(standardised))

    @property
    def shown_truth(self) -> MixtureParams | None:
        """The generating mixture in the chosen columns and units, or None.

        A marginal of a Gaussian is Gaussian: the chosen columns' block of each
        covariance; standardising divides by the column scales.
        """
        if self.truth is None:
            return None
        index = [list(self.frame.columns).index(c) for c in self.columns]
        means = self.truth.means[:, index]
        covariances = self.truth.full_covariances[:, index][:, :, index]
        if self.standardised:
            means = (means - self.centre) / self.scale
            covariances = covariances / np.outer(self.scale, self.scale)
        return MixtureParams(self.truth.weights, means, covariances, "full")

    def describe(self) -> dict:
        """Where the data came from and how they were prepared, for exports."""
        return {
            "name": self.name,
            "n_samples": self.n_samples,
            "columns": list(self.columns),
            "standardised": self.standardised,
            "notes": list(self.notes),
        }
