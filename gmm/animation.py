"""A run as a standalone HTML animation: the words over it, and the call to the figures.

:func:`run_animation` is what the app's "Animation (HTML)" download and
``python -m gmm animate`` both call. It names the data and the settings in the page's
title and hands the history to :func:`gmm.figures.standalone.standalone_animation`, which
Plotly draws: ``gmm.figures`` is imported only when an animation is made, so that
``import gmm`` stays free of Plotly.
"""

from __future__ import annotations

import functools

import numpy as np

from gmm.data.dataset import Dataset
from gmm.em import e_step
from gmm.init import describe_init
from gmm.params import describe_covariance
from gmm.run import RunSettings
from gmm.stepper import EMStepper

#: The numbers of columns an animation draws (the 1-D, 2-D and 3-D views).
ANIMATED_DIMENSIONS = (1, 2, 3)


def run_title(dataset: Dataset, settings: RunSettings) -> tuple[str, str]:
    """The title and subtitle of a run's animation.

    Returns
    -------
    title : str
        E.g. ``"EM on Old Faithful: K = 2, full (any ellipse) covariances"``; in 1-D
        ``"EM on Old Faithful: K = 2, each a mean and a variance"``.
    subtitle : str
        The start, seed, stopping rule and data, e.g. ``"Start: k-means, seed 0 ·
        tol 0.001, max_iter 100 · 272 points, columns eruptions × waiting"``.
    """
    shape = (
        "each a mean and a variance"  # in 1-D every covariance type is the same
        if dataset.n_features == 1
        else f"{describe_covariance(settings.covariance_type)} covariances"
    )
    title = f"EM on {dataset.name}: K = {settings.n_components}, {shape}"
    columns = " × ".join(dataset.axis_labels)
    subtitle = (
        f"Start: {describe_init(settings.init)}, seed {settings.seed} · "
        f"reg_covar {settings.reg_covar:g}, tol {settings.tol:g}, max_iter {settings.max_iter} · "
        f"{dataset.n_samples:,} points, columns {columns}"
    )
    return title, subtitle


def _responsibilities(stepper: EMStepper, index: int, rows: np.ndarray) -> np.ndarray:
    """γ of the points ``rows`` at E-step ``index``: the E-step of those rows alone (each
    row's responsibilities depend on that row only), so that a page of 20,000 points
    drawn from a million costs 20,000 rows of work per E-step."""
    return e_step(stepper.X[rows], stepper.snapshots[index].params).responsibilities


def run_animation(
    stepper: EMStepper, dataset: Dataset, settings: RunSettings, *, max_points: int | None = None
) -> str:
    """The whole history of ``stepper`` as one self-contained HTML page.

    Parameters
    ----------
    stepper : EMStepper
        The run, on ``dataset.X``.
    dataset : Dataset
        One to three columns chosen (`ANIMATED_DIMENSIONS`).
    settings : RunSettings
        The run's settings, named in the title.
    max_points : int, optional
        Draw at most this many points (a seeded subset); default: the app's cap.

    Returns
    -------
    str
        The page (see :func:`gmm.figures.standalone.standalone_animation`).

    Raises
    ------
    ValueError
        When the data have another number of columns.
    """
    if dataset.n_features not in ANIMATED_DIMENSIONS:
        raise ValueError(
            f"The animation draws one to three columns; this run uses {dataset.n_features}. "
            "Choose one, two or three columns."
        )
    from gmm.figures.points import MAX_POINTS  # Plotly only when asked
    from gmm.figures.standalone import standalone_animation

    title, subtitle = run_title(dataset, settings)
    return standalone_animation(
        dataset.X,
        stepper.snapshots,
        functools.partial(_responsibilities, stepper),
        column_names=dataset.axis_labels,
        title=title,
        subtitle=subtitle,
        max_points=MAX_POINTS if max_points is None else max_points,
    )
