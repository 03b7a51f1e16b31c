"""The settings of one EM run, as a value the app can compare and export."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

import numpy as np

from gmm.stepper import EMStepper

_LABELS = {
    "n_components": "K",
    "covariance_type": "covariance",
    "init": "initialisation",
    "seed": "seed",
    "reg_covar": "reg_covar",
    "tol": "tol",
    "max_iter": "max_iter",
    "means": "starting means",
}


@dataclass(frozen=True)
class RunSettings:
    """Everything that defines a run besides the data.

    Parameters
    ----------
    n_components : int
        K.
    covariance_type : {'full', 'tied', 'diag', 'spherical'}
    init : {'kmeans', 'k-means++', 'random_from_data', 'random', 'explicit'}
    seed : int
    reg_covar, tol : float
    max_iter : int
    means : tuple of tuples of float, optional
        Starting means, shape (K, d), used when ``init == 'explicit'``.
    """

    n_components: int = 2
    covariance_type: str = "full"
    init: str = "kmeans"
    seed: int = 0
    reg_covar: float = 1e-6
    tol: float = 1e-3
    max_iter: int = 100
    means: tuple[tuple[float, ...], ...] | None = None

    def start(self, X: np.ndarray) -> EMStepper:
        """A new stepper at the initialisation snapshot.

        Raises
        ------
        ValueError
            With a message for the user (bad K, singular start, ...).
        """
        means = None if self.means is None else np.asarray(self.means, dtype=float)
        return EMStepper.start(
            X,
            self.n_components,
            self.covariance_type,
            init=self.init,
            random_state=self.seed,
            reg_covar=self.reg_covar,
            tol=self.tol,
            max_iter=self.max_iter,
            means=means,
        )

    def changes_from(self, other: RunSettings | None) -> str:
        """Plain words for what differs from ``other``, e.g. ``"K 2 → 3"``."""
        if other is None:
            return ""
        changed = []
        for f in fields(self):
            old, new = getattr(other, f.name), getattr(self, f.name)
            if old != new:
                changed.append(
                    f"{_LABELS[f.name]} changed"
                    if f.name == "means"
                    else f"{_LABELS[f.name]} {old} → {new}"
                )
        return ", ".join(changed)

    def to_dict(self) -> dict:
        """Plain-Python form for JSON export."""
        data = asdict(self)
        data["means"] = None if self.means is None else [list(m) for m in self.means]
        return data
