"""One way to run EM once and many times, and one check of each argument.

* The "K needs at least K points" check says the same thing from every entry point.
* ``as_generator`` is the one way from a seed to a Generator.
* ``multistart`` asks ``should_stop`` before each run, reports progress after each, and
  runs lazily (a caller keeping the best holds one result at a time).
* A run is described by one ``RunSettings``: ``fit_once`` takes it, an ``Attempt`` keeps it,
  and ``RestartsResult.run_settings`` hands it back.
"""

from __future__ import annotations

import numpy as np
import pytest

import gmm
from gmm.checks import as_generator, check_data, check_n_components
from gmm.errors import DataError
from gmm.restarts import check_restarts_arguments, run_restarts
from gmm.run import RunSettings, derive_seed, fit_once, multistart
from gmm.sweep import check_sweep_arguments, fit_sweep

TOO_FEW = "K = 6 components need at least 6 data points, but the data have only 5. Lower K to 5"


def five_points():
    return gmm.generate("separated", n=5, n_components=2, dim=2, seed=0).X


@pytest.mark.parametrize(
    "entry",
    [
        lambda X: check_data(X, 6),
        lambda X: gmm.EMStepper.start(X, 6),
        lambda X: gmm.GaussianMixture(6).fit(X),
        lambda X: run_restarts(X, 6, "full"),
        lambda X: RunSettings(n_components=6).start(X),
    ],
)
def test_k_larger_than_n_gets_one_message_from_every_entry_point(entry):
    with pytest.raises(ValueError, match=TOO_FEW):
        entry(five_points())


def test_a_range_of_k_names_the_largest():
    with pytest.raises(ValueError, match="only 5. Lower the largest K to 5"):
        check_n_components(6, 5, largest=True)
    with pytest.raises(ValueError, match="whole number"):
        check_n_components(True, 5)


def test_as_generator_is_the_one_seed_helper():
    rng = np.random.default_rng(1)
    assert as_generator(rng) is rng
    assert as_generator(np.int64(3)).random() == as_generator(3).random()
    assert isinstance(as_generator(None), np.random.Generator)
    with pytest.raises(TypeError, match="seed must be an int"):
        as_generator(None, allow_none=False)
    with pytest.raises(TypeError, match="seed must be an int"):
        as_generator(1.5)
    with pytest.raises(DataError, match="seed must be 0 or a positive whole number"):
        as_generator(-1)


def test_multistart_stops_reports_and_runs_lazily():
    ran, seen = [], []
    runs = multistart(
        4,
        lambda i: ran.append(i) or i * i,
        label=lambda i: f"run {i + 1}",
        progress=lambda *a: seen.append(a),
        should_stop=lambda: len(ran) == 3,
    )
    assert ran == [] and seen == [], "nothing runs before the results are taken"
    assert next(runs) == 0 and ran == [0]
    assert list(runs) == [1, 4]
    assert seen == [(0, 4, "starting"), (1, 4, "run 1"), (2, 4, "run 2"), (3, 4, "run 3")]


def test_one_run_is_one_run_settings():
    X = gmm.generate("separated", n=300, n_components=3, dim=2, seed=0).X
    every_run = RunSettings(3, "diag", seed=7, max_iter=50)
    method_index = gmm.INIT_METHODS.index("random")
    settings = every_run.derive(method_index, 1, init="random")
    assert settings.seed == derive_seed(7, method_index, 1) and settings.init == "random"
    attempt = fit_once(X, settings)
    assert attempt.settings is settings
    assert (attempt.method, attempt.seed) == ("random", settings.seed)
    # restart 2 of a batch is that same run, and hands back its own settings
    result = run_restarts(X, 3, "diag", methods=("random",), n_restarts=3, seed=7, max_iter=50)
    assert result.run_settings(1) is result.restarts[1].settings
    assert result.run_settings(1) == settings
    assert result.restarts[1].params.allclose(attempt.params, rtol=0, atol=0)


def test_a_singular_start_is_an_attempt_not_an_exception():
    X = np.vstack([np.zeros((5, 2)), np.ones((5, 2))])
    attempt = fit_once(X, RunSettings(3, "full", init="random_from_data", reg_covar=0.0))
    assert not attempt.started and attempt.status == "failed to start" and attempt.failure


def test_the_argument_checks_refuse_what_the_runs_refuse():
    X = five_points()
    em = dict(seed=0, reg_covar=1e-6, tol=1e-3, max_iter=10)
    sweep = dict(X=X, k_values=[1, 6], covariance_types=["full"], n_restarts=1, init="kmeans")
    restarts = dict(X=X, n_components=2, covariance_type="full", methods=(), n_restarts=1)
    for check, run, kwargs, words in [
        (check_sweep_arguments, fit_sweep, sweep, "Lower the largest K to 5"),
        (check_restarts_arguments, run_restarts, restarts, "at least one initialisation"),
    ]:
        for call in (check, run):
            with pytest.raises(ValueError, match=words):
                call(**kwargs, **em)
