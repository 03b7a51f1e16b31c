"""Links to a state: the parameters read and written (pages/shared/url_state.py), and
the app opened with a link in a fresh session (AppTest): the same snapshot, the same
log-likelihood, and a message naming each bad parameter, never a traceback or HTML."""

from __future__ import annotations

import re

import numpy as np
import pytest
from apptest_helpers import APP, charts, click, generate, roles, run, show_half_step
from streamlit.testing.v1 import AppTest

from gmm.run import RunSettings
from pages.shared.url_state import DEFAULT_SETTINGS, Link, decode, encode, quoted


def opened(query: dict) -> AppTest:
    """A fresh session opened with ``query`` as the URL's parameters."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    return run(at)


def shown_snapshot(at: AppTest):
    ss = at.session_state
    return ss.stepper.snapshots[ss.view]


def warnings(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


# ------------------------------------------------------------------ the parameters
@pytest.mark.parametrize(
    "link",
    [
        Link(),
        Link(
            source=("generate", "moons", 400, 2, 2, 7),
            columns=("x2", "x1"),
            standardise=True,
            settings=RunSettings(3, "diag", "random", 11, 1e-4, 0.0, 50),
            half_step=9,
            density=True,
            sample=300,
            sample_seed=4,
            present=True,
            hidden=frozenset({"run", "back"}),
            lesson=("kmeans-vs-em", 3),
        ),
        Link(
            source=("builtin", "Iris"),
            columns=("petal_length",),
            settings=RunSettings(2, "full", "explicit", means=((1.4000000000000001,), (5.1,))),
        ),
        Link(source=("upload", "my data, v2.csv"), columns=("a", "b")),
    ],
    ids=["defaults", "everything", "picked-means", "upload"],
)
def test_a_link_reads_back_as_it_was_written(link):
    assert decode(encode(link)) == (link, [])


def test_every_bad_parameter_is_named_and_falls_back_to_its_default():
    link, problems = decode(
        {
            "k": "eleven",
            "cov": "round",
            "reg_covar": "0.5",
            "tol": "nan",
            "max_iter": "-3",
            "halfstep": "1e9",
            "present": "yes",
            "hide": "run,everything",
            "data": "Titanic",
            "std": "2",
        }
    )
    assert link == Link()
    for name in ("k", "cov", "reg_covar", "tol", "max_iter", "halfstep", "present", "hide"):
        assert sum(f"**{name}**" in p for p in problems) == 1, name
    assert any("**data**" in p for p in problems) and any("**std**" in p for p in problems)


def test_picked_means_that_do_not_fit_k_fall_back_to_the_default_start():
    link, problems = decode({"k": "3", "init": "explicit", "means": "1,2;3,4"})
    assert link.settings.init == DEFAULT_SETTINGS.init and link.settings.means is None
    assert "**means**" in problems[0] and "K is 3" in problems[0]


def test_quoted_values_cannot_be_markup():
    text = quoted('<script>alert("x")</script>[a](http://evil)')
    assert "<script>" not in text and "](" not in text
    assert text.startswith("“\\<script\\>") and len(text) < 2 * 40 + 4


# --------------------------------------------------------------- opened in the app
def test_a_link_opened_in_a_fresh_session_shows_the_same_snapshot(at):
    generate(at, kind="overlapping", n=400, k=3, seed=5)
    at.slider(key="k").set_value(3)
    at.selectbox(key="cov_type").set_value("tied")
    run(at)
    for label in ("Step (E+M)", "Step (E+M)", "Step (E+M)", "Next: E-step"):
        click(at, label)
    made = shown_snapshot(at)
    query = {name: at.query_params[name] for name in at.query_params}
    assert query["halfstep"] == "7" and query["data"] == "generate"

    fresh = opened(query)
    again = shown_snapshot(fresh)
    assert fresh.session_state.view == 7 and again.phase == made.phase == "E"
    assert abs(again.log_likelihood - made.log_likelihood) <= 1e-9 * abs(made.log_likelihood)
    assert again.params.allclose(made.params, rtol=1e-12)
    assert fresh.session_state.settings == at.session_state.settings
    # the sidebar shows the link's data and settings, and so starts nothing new
    assert fresh.radio(key="source_kind").value == "Generate"
    assert fresh.number_input(key="gen_seed").value == 5
    assert fresh.slider(key="k").value == 3
    assert not fresh.warning
    assert {n: fresh.query_params[n] for n in fresh.query_params} == query


def test_columns_standardisation_and_picked_means_travel():
    query = {
        "data": "Iris",
        "cols": ["petal_width", "sepal_length"],
        "std": "1",
        "k": "2",
        "init": "explicit",
        "means": "-1,-0.5;1,0.8",
        "halfstep": "4",
    }
    at = opened(query)
    ss = at.session_state
    assert ss.dataset.columns == ("petal_width", "sepal_length")
    assert ss.dataset.standardised and ss.view == 4
    assert ss.settings.means == ((-1.0, -0.5), (1.0, 0.8))
    np.testing.assert_allclose(ss.stepper.snapshots[0].params.means, ss.settings.means)
    assert not at.warning


def test_bad_parameters_get_a_message_naming_them_and_never_html():
    at = opened(
        {
            "k": "<script>alert(1)</script>",
            "cov": "<img src=x onerror=alert(1)>",
            "cols": ["nope", "waiting"],
            "halfstep": "5",
            "foo": "bar",
        }
    )
    text = warnings(at)
    assert "**k**" in text and "**cov**" in text and "**cols**" in text and "foo" in text
    assert re.search(r"(?<!\\)[<>\[\]]", text) is None, "every bracket is escaped"
    ss = at.session_state
    assert ss.settings.n_components == 2 and ss.dataset.columns == ("eruptions", "waiting")
    assert ss.view == 5  # the good parameters were used


def test_a_link_made_on_uploaded_data_says_to_upload_the_file():
    at = opened({"data": "upload", "file": "class <b>data</b>.csv", "k": "4", "cols": ["a"]})
    info = " ".join(i.value for i in at.info)
    assert "settings were restored; upload the file" in info and "\\<b\\>" in info
    assert at.session_state.settings.n_components == 4
    assert at.radio(key="source_kind").value == "Upload CSV"


def test_a_run_that_stops_early_shows_its_last_half_step_and_says_so():
    at = opened(
        {
            "data": "generate",
            "gen_kind": "collapse",
            "k": "3",
            "reg_covar": "0",
            "halfstep": "400",
            "max_iter": "200",
        }
    )
    ss = at.session_state
    assert ss.stepper.halted is not None, "with reg_covar 0 a component collapses"
    assert ss.view == len(ss.stepper.snapshots) - 1 < 400
    assert f"stops at half-step {ss.view}" in warnings(at) and "**halfstep**" in warnings(at)


def _density(chart: dict) -> dict:
    return next(t for t in chart["data"] if (t.get("meta") or {}).get("role") == "density")


def test_the_density_and_a_sample_travel_and_follow_the_half_step():
    at = opened({"density": "1", "sample": "200", "sample_seed": "3", "halfstep": "2"})
    main, *_ = [c for c in charts(at) if "points" in roles(c)]
    assert "density" in roles(main)
    sampled = [c for c in charts(at) if "Sampled from the model" in str(c["layout"].get("title"))]
    assert len(sampled) == 1 and "200 points, seed 3" in sampled[0]["layout"]["title"]["text"]
    assert at.toggle(key="density_toggle").value and at.toggle(key="sample_toggle").value
    peak = _density(main)["meta"]["peak"]
    show_half_step(at, 0)  # the initialisation: another mixture, another density
    main = next(c for c in charts(at) if "points" in roles(c))
    assert _density(main)["meta"]["peak"] != peak
    at.toggle(key="density_toggle").set_value(False)
    run(at)
    assert "density" not in at.query_params
    assert "density" not in roles(next(c for c in charts(at) if "points" in roles(c)))


def test_a_link_opens_without_the_first_visit_welcome():
    """A link shows a prepared state (a teacher's demo): no welcome is laid over it."""
    plain = run(AppTest.from_file(APP, default_timeout=60))
    assert any("Welcome to GMM Explorer" in m.value for m in plain.markdown)
    linked = opened({"k": "3"})
    assert not any("Welcome to GMM Explorer" in m.value for m in linked.markdown)
    assert linked.session_state.settings.n_components == 3
