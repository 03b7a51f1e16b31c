"""Downloads: a run as JSON and responsibilities as CSV."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

from gmm.params import MixtureParams
from gmm.stepper import EMStepper

RUN_FORMAT = "gmm-explorer-run/1"


def run_to_json(stepper: EMStepper, settings: dict, data: dict) -> str:
    """The whole history of a run as JSON.

    Parameters
    ----------
    stepper : EMStepper
    settings : dict
        The run's settings (``RunSettings.to_dict()``).
    data : dict
        Where the data came from (``Dataset.describe()``).

    Returns
    -------
    str
        ``{"format", "settings", "data", "halted", "snapshots": [...]}``; each snapshot
        holds its phase, iteration, log-likelihood, lower bound, diagnostics and
        parameters (weights, means and covariances in scikit-learn's shapes, ready for
        ``GaussianMixture(weights_init=..., means_init=..., precisions_init=inv(cov))``).
    """
    payload = {
        "format": RUN_FORMAT,
        "settings": settings,
        "data": data,
        "halted": None if stepper.halted is None else stepper.halted.to_dict(),
        "snapshots": [s.to_dict() for s in stepper.snapshots],
    }
    return json.dumps(payload, indent=1, allow_nan=False)


def parameter_frame(params: MixtureParams, columns) -> pd.DataFrame:
    """π_k, μ_k and Σ_k of each component as a table, one row per component.

    Parameters
    ----------
    params : MixtureParams
    columns : sequence of str, length d
        Names of the data columns.

    Returns
    -------
    pandas.DataFrame
        Index "component" (1-based); columns π, μ per column, σ² per column, and the
        correlation ρ of every pair of columns (the off-diagonal of Σ_k, scaled).
    """
    covariances = params.full_covariances
    variances = np.diagonal(covariances, axis1=1, axis2=2)
    table = {"π": params.weights}
    table.update({f"μ {c}": params.means[:, j] for j, c in enumerate(columns)})
    table.update({f"σ² {c}": variances[:, j] for j, c in enumerate(columns)})
    for i, j in zip(*np.triu_indices(len(columns), k=1)):
        table[f"ρ {columns[i]}·{columns[j]}"] = covariances[:, i, j] / np.sqrt(
            variances[:, i] * variances[:, j]
        )
    frame = pd.DataFrame(table, index=pd.RangeIndex(1, params.n_components + 1))
    frame.index.name = "component"
    return frame


def responsibilities_csv(X: np.ndarray, columns, responsibilities: np.ndarray | None) -> str:
    """Points with their responsibilities and most likely component, as CSV text.

    Parameters
    ----------
    X : ndarray of shape (n_samples, d)
    columns : sequence of str, length d
    responsibilities : ndarray of shape (n_samples, K), or None before the first E-step

    Returns
    -------
    str
        Columns: the data columns, ``gamma_1 .. gamma_K`` and ``component`` (1-based).
    """
    frame = pd.DataFrame(X, columns=list(columns))
    if responsibilities is not None:
        for k in range(responsibilities.shape[1]):
            frame[f"gamma_{k + 1}"] = responsibilities[:, k]
        frame["component"] = np.argmax(responsibilities, axis=1) + 1
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, float_format="%.10g")
    return buffer.getvalue()
