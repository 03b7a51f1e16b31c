"""Fixtures shared by the ``test_stepper_*`` modules (helpers in ``stepper_helpers.py``)."""

from __future__ import annotations

import pytest
from stepper_helpers import three_blobs
from threadpoolctl import threadpool_limits

from gmm import EMStepper


@pytest.fixture(scope="module")
def single_blas_thread():
    """Tiny matrices: BLAS threads only add contention on a shared 2-core machine."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def X():
    """Three blobs, 150 points in 2-D (see :func:`stepper_helpers.three_blobs`)."""
    return three_blobs()


@pytest.fixture
def stepper(X):
    """A full-covariance K = 3 stepper on ``X``, started from random data points."""
    return EMStepper.start(X, 3, "full", random_state=0, init="random_from_data")
