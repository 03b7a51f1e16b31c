"""Data sets, starts and checks shared by the ``test_stepper_*`` modules.

The fixtures ``X``, ``stepper`` and ``single_blas_thread`` that go with them live in
``conftest.py``.
"""

from __future__ import annotations

import re

import numpy as np

from gmm import MixtureParams


def three_blobs(n=150, seed=0, n_features=2):
    """Three well separated Gaussian blobs (labels drawn at random)."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0.0, 0.0, 0.0], [6.0, 1.0, -2.0], [1.0, 7.0, 3.0]])[:, :n_features]
    labels = rng.integers(0, 3, size=n)
    return centres[labels] + rng.normal(scale=[1.0, 0.7, 1.2][:n_features], size=(n, n_features))


def blob_plus_duplicates_at_origin():
    """A blob around (50, 50) plus three copies of the origin, and a start that gives the
    copies a component of their own: with reg_covar=0 its covariance becomes exactly 0."""
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(50.0, 1.0, size=(50, 2)), np.zeros((3, 2))])
    return X


def collapsing_start(covariance_type):
    covariances = {
        "full": [np.eye(2), 1e-4 * np.eye(2)],
        "diag": [[1.0, 1.0], [1e-4, 1e-4]],
        "spherical": [1.0, 1e-4],
    }[covariance_type]
    return MixtureParams([0.5, 0.5], [[50.0, 50.0], [0.0, 0.0]], covariances, covariance_type)


def assert_plain_text(text):
    assert isinstance(text, str) and text.strip()
    assert text.isprintable()
    assert not re.search(r"[<>`\\]|\*\*|\bnan\b", text), text


def same_params(a: MixtureParams, b: MixtureParams) -> bool:
    """Bitwise equality of two parameter sets."""
    return (
        a.covariance_type == b.covariance_type
        and np.array_equal(a.weights, b.weights)
        and np.array_equal(a.means, b.means)
        and np.array_equal(a.covariances, b.covariances)
    )
