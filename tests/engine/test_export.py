"""Downloads: the run as JSON, responsibilities as CSV, the parameter table."""

import io
import json

import numpy as np
import pandas as pd
import pytest

import gmm
from gmm.data import Dataset
from gmm.export import RUN_FORMAT, parameter_frame, responsibilities_csv, run_to_json
from gmm.run import RunSettings


@pytest.fixture
def stepper():
    X = gmm.load_faithful().to_numpy()
    stepper = gmm.EMStepper.start(X, 2, random_state=0)
    stepper.step()
    stepper.e_step()
    return stepper


def test_run_json_holds_every_snapshot_and_round_trips_the_parameters(stepper):
    settings = RunSettings(n_components=2).to_dict()
    data = Dataset.from_frame("Old Faithful", gmm.load_faithful()).describe()
    payload = json.loads(run_to_json(stepper, settings, data))
    assert payload["format"] == RUN_FORMAT
    assert payload["settings"]["n_components"] == 2
    assert payload["data"]["columns"] == ["eruptions", "waiting"]
    assert [s["phase"] for s in payload["snapshots"]] == ["init", "E", "M", "E"]
    assert payload["snapshots"][0]["lower_bound"] is None
    for snapshot, exported in zip(stepper.snapshots, payload["snapshots"]):
        restored = gmm.MixtureParams.from_dict(exported["params"])
        assert restored.allclose(snapshot.params, rtol=1e-15)
        assert exported["log_likelihood"] == snapshot.log_likelihood


def test_responsibilities_csv_has_gammas_summing_to_one_and_labels(stepper):
    X = stepper.X
    text = responsibilities_csv(X, ["eruptions", "waiting"], stepper.responsibilities())
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns) == ["eruptions", "waiting", "gamma_1", "gamma_2", "component"]
    np.testing.assert_allclose(frame[["gamma_1", "gamma_2"]].sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_allclose(frame[["eruptions", "waiting"]], X)
    assert set(frame["component"]) <= {1, 2}


def test_responsibilities_csv_before_the_first_e_step_has_only_the_data():
    text = responsibilities_csv(np.eye(2), ["a", "b"], None)
    assert text.splitlines()[0] == "a,b"


def test_parameter_frame_lists_weights_means_variances_and_correlations():
    covariances = np.array([[[4.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 9.0]]] * 2)
    params = gmm.MixtureParams([0.25, 0.75], np.arange(6.0).reshape(2, 3), covariances)
    frame = parameter_frame(params, ["a", "b", "c"])
    assert list(frame.index) == [1, 2]
    assert list(frame.columns) == [
        "π",
        "μ a",
        "μ b",
        "μ c",
        "σ² a",
        "σ² b",
        "σ² c",
        "ρ a·b",
        "ρ a·c",
        "ρ b·c",
    ]
    assert frame.loc[1, "ρ a·b"] == pytest.approx(0.5)
    assert frame.loc[2, "σ² c"] == 9.0
