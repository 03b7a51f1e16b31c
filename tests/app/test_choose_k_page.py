"""The Choose K page driven by Streamlit's AppTest.

Sweeps and restarts run in a background thread (see ``pages/choose_k.py``); the tests
rerun the app until the job has finished, as the page's polling fragment does in a
browser. Every run fails the test on an exception element, as in ``test_app.py``.
"""

from __future__ import annotations

import time

import pytest
from apptest_helpers import APP, button, charts, click, generate, roles, run, status_line
from streamlit.testing.v1 import AppTest
from threadpoolctl import threadpool_limits

PAGE = "pages/choose_k.py"


@pytest.fixture(autouse=True, scope="module")
def _single_blas_thread():
    """Tiny matrices: BLAS threads only add contention on a shared 2-core machine."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture
def at() -> AppTest:
    at = run(AppTest.from_file(APP, default_timeout=60))
    at.switch_page(PAGE)
    return run(at)


def wait_for_jobs(at: AppTest, timeout: float = 40.0) -> AppTest:
    deadline = time.monotonic() + timeout
    while at.session_state["jobs"]:
        assert time.monotonic() < deadline, "the background job did not finish"
        time.sleep(0.1)
        run(at)
    return at


def small_sweep(at: AppTest, k_max=3, types=("full", "tied"), restarts=1) -> AppTest:
    at.number_input(key="ck_k_max").set_value(k_max)
    at.multiselect(key="ck_types").set_value(list(types))
    at.number_input(key="ck_restarts").set_value(restarts)
    run(at)
    click(at, "Run sweep")
    return wait_for_jobs(at)


def results(at: AppTest, kind: str) -> list:
    return [v for k, v in at.session_state["job_results"].items() if k[0] == kind]


def collapse_data_without_regularisation(at: AppTest) -> AppTest:
    """Data on which a component collapses, with reg_covar = 0."""
    generate(at, kind="collapse", n=200, k=2)
    at.select_slider(key="reg_covar").set_value(0.0)
    return run(at)


# --------------------------------------------------------------------------- tests
def test_page_opens_with_both_sections_and_no_results(at):
    assert [h.value for h in at.main.header] == ["Choose K"]
    assert [h.value for h in at.sidebar.header] == ["Data", "Model"], "router and sidebar"
    assert [s.value for s in at.subheader] == ["How many components?", "Restarts and local optima"]
    assert at.number_input(key="ck_k_max").value == 8
    assert at.multiselect(key="ck_types").value == ["full", "tied", "diag", "spherical"]
    assert at.number_input(key="ck_restarts").value == 3
    assert at.number_input(key="ck_r_n").value == 20
    assert at.multiselect(key="ck_r_methods").value == ["kmeans", "random_from_data"]
    assert "explicit" not in at.multiselect(key="ck_r_methods").options
    assert any("Run sweep" in i.value for i in at.info)
    (data,) = charts(at)
    assert roles(data)[0] == "points" and "how many groups" in data["layout"]["title"]["text"]


def test_sweep_fills_the_table_and_plots_one_line_per_type(at):
    small_sweep(at)
    frame = at.dataframe[0].value
    assert len(frame) == 6
    assert frame[["K", "covariance type"]].values.tolist() == [
        [1, "full"],
        [1, "tied"],
        [2, "full"],
        [2, "tied"],
        [3, "full"],
        [3, "tied"],
    ]
    assert list(frame.columns) == [
        "K",
        "covariance type",
        "log-likelihood",
        "parameters",
        "BIC",
        "AIC",
        "converged",
        "note",
    ]
    bic = next(c for c in charts(at) if "BIC" in c["layout"]["title"]["text"])
    lines = [t for t in bic["data"] if (t.get("meta") or {}).get("role") == "criterion"]
    assert sorted(t["meta"]["covariance_type"] for t in lines) == ["full", "tied"]
    assert roles(bic).count("best") == 1
    assert any("R's mclust plots 2·loglik − p·log n" in c.value for c in at.caption)
    assert any(m.value.startswith("**BIC picks") for m in at.markdown)
    pictures = [c for c in charts(at) if "points" in roles(c)]
    assert all(not c["layout"]["showlegend"] for c in pictures)
    data, *best = pictures
    assert "mean" not in roles(data), "first the data alone"
    assert len(best) == 3 and all(roles(c).count("mean") >= 1 for c in best)
    assert best[0]["layout"]["title"]["text"].startswith("1. ")


def test_results_survive_leaving_the_page(at):
    small_sweep(at, k_max=2, types=("spherical",))
    result = results(at, "sweep")[0]
    at.switch_page("pages/explore.py")
    run(at)
    at.switch_page(PAGE)
    run(at)
    assert at.number_input(key="ck_k_max").value == 2, "widget values are kept"
    assert len(at.dataframe[0].value) == 2
    assert results(at, "sweep") == [result] and not at.session_state["jobs"]


def test_restarts_then_open_in_explore_loads_the_run_with_its_history(at):
    at.number_input(key="ck_r_n").set_value(4)
    run(at)
    click(at, "Run restarts")
    wait_for_jobs(at)
    (result,) = results(at, "restarts")
    assert len(result.restarts) == 8
    assert any("distinct solution" in m.value for m in at.markdown)
    strip = next(c for c in charts(at) if "final_loglik" in roles(c))
    assert sorted(t["meta"]["method"] for t in strip["data"]) == ["kmeans", "random_from_data"]
    overlay = next(c for c in charts(at) if "restart_curve" in roles(c))
    assert len(overlay["data"]) == 8
    at.selectbox(key="ck_open_index").set_value(5)
    run(at)
    wanted = result.restarts[5]
    click(at, "Open in Explore")
    assert [h.value for h in at.main.header] == ["Explore EM"]
    stepper = at.session_state["stepper"]
    assert len(stepper.snapshots) == len(wanted.stepper.snapshots) > 1
    assert stepper.current.params is wanted.params
    assert stepper is not wanted.stepper, "Explore steps a copy"
    assert at.session_state["view"] == len(stepper.snapshots) - 1
    assert at.session_state["settings"] == result.run_settings(5)
    assert any("Opened restart 6" in s.value for s in at.success)
    # The sidebar now shows the run's settings, so it does not start a new run.
    at.switch_page("pages/explore.py")
    run(at)
    assert at.session_state["stepper"] is stepper
    assert at.slider(key="k").value == result.n_components
    assert at.selectbox(key="init").value == wanted.method
    assert at.number_input(key="seed").value == wanted.seed
    assert not at.sidebar.error
    assert "converged" in status_line(at)


def test_k_larger_than_n_is_explained_and_nothing_runs(at):
    at.radio(key="source_kind").set_value("Upload CSV")
    run(at)
    at.file_uploader(key="upload").set_value(
        ("five.csv", b"x,y\n1,2\n2,3\n3,5\n4,4\n5,1\n", "text/csv")
    )
    run(at)
    assert at.session_state["dataset"].n_samples == 5
    errors = " ".join(e.value for e in at.error)
    assert "K = 8 components need at least 8 data points" in errors
    assert "Lower the largest K to 5" in errors
    assert button(at, "Run sweep").disabled
    at.number_input(key="ck_r_k").set_value(7)
    run(at)
    assert "Lower K to 5" in " ".join(e.value for e in at.error)
    assert button(at, "Run restarts").disabled


def test_every_fit_collapsing_at_some_k_is_said_plainly(at):
    collapse_data_without_regularisation(at)
    small_sweep(at, k_max=3, types=("full",))
    warnings = " ".join(w.value for w in at.warning)
    assert "At K = 2, 3 every fit collapsed" in warnings and "reg_covar" in warnings
    notes = at.dataframe[0].value["note"].tolist()
    assert notes[0] == "" and all(n.startswith("No fit") for n in notes[1:])
    bic = next(c for c in charts(at) if "BIC" in c["layout"]["title"]["text"])
    crosses = next(t for t in bic["data"] if (t.get("meta") or {}).get("role") == "degenerate")
    assert list(crosses["x"]) == [2, 3]


def test_stop_ends_a_sweep_early_and_keeps_what_was_done(at):
    at.number_input(key="ck_k_max").set_value(15)
    at.number_input(key="ck_restarts").set_value(20)
    run(at)
    click(at, "Run sweep")
    assert button(at, "Run sweep").disabled, "one sweep at a time"
    assert at.session_state["jobs"], "the sweep runs in the background"
    click(at, "Stop")
    wait_for_jobs(at)
    (result,) = results(at, "sweep")
    assert not result.complete and result.n_fits < 15 * 4
    assert any("The sweep was stopped" in w.value for w in at.warning)
    assert not button(at, "Run sweep").disabled


def test_a_collapsed_run_opens_in_explore_and_shows_why_it_stopped(at):
    collapse_data_without_regularisation(at)
    at.number_input(key="ck_r_k").set_value(3)
    at.multiselect(key="ck_r_methods").set_value(["random_from_data"])
    at.number_input(key="ck_r_n").set_value(6)
    run(at)
    click(at, "Run restarts")
    wait_for_jobs(at)
    (result,) = results(at, "restarts")
    collapsed = next(r for r in result.restarts if r.status == "collapsed")
    assert any("collapsed or could not start" in w.value for w in at.warning)
    at.selectbox(key="ck_open_index").set_value(collapsed.index)
    run(at)
    click(at, "Open in Explore")
    stepper = at.session_state["stepper"]
    assert stepper.halted is not None
    assert any("collapsed completely" in e.value for e in at.error)
    # st.switch_page drops widget values: the sidebar must still show these data.
    at.switch_page("pages/explore.py")
    run(at)
    assert at.session_state["dataset"].name.startswith("Duplicated points")
    assert at.radio(key="source_kind").value == "Generate"
    assert at.session_state["stepper"] is stepper and not at.sidebar.error


@pytest.mark.parametrize("dims", [1, 3])
def test_sweep_and_restarts_work_in_one_and_three_dimensions(at, dims):
    at.radio(key="source_kind").set_value("Generate")
    run(at)
    at.selectbox(key="gen_dim").set_value(3)
    run(at)
    at.radio(key=f"dims::{at.session_state['data_source']}").set_value(dims)
    run(at)
    assert at.session_state["dataset"].n_features == dims
    small_sweep(at, k_max=3, types=("full", "diag"))
    assert len(at.dataframe[0].value) == 6
    assert results(at, "sweep")[0].n_features == dims
    at.number_input(key="ck_r_n").set_value(2)
    run(at)
    click(at, "Run restarts")
    wait_for_jobs(at)
    assert any("distinct solution" in m.value for m in at.markdown)
    assert any("choose the 2-D view" in c.value for c in at.caption)
    click(at, "Open in Explore")
    assert [h.value for h in at.main.header] == ["Explore EM"]
    assert at.session_state["stepper"].X.shape[1] == dims
