"""Choose K: compare models by BIC and AIC, and see where EM ends from many starts.

The page arranges widgets and calls into ``gmm`` (:func:`gmm.sweep.fit_sweep`,
:func:`gmm.restarts.run_restarts`, :mod:`gmm.figures`).

Sweeps and restarts run as background jobs (:mod:`pages.shared.jobs`), one per section,
so the page stays usable while they run, with progress and a Stop button; their EM runs
go to the worker processes that all sessions share (:mod:`pages.shared.workers`), so a
sweep does not slow another session's steps. Their results
are kept per data and settings, so moving between pages does not recompute them.

This page's own widget keys start with ``ck_``; the shared keys are declared in
:mod:`pages.shared.state`.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from gmm import figures as fs
from gmm.checks import SEEDED_INIT_METHODS
from gmm.em import e_step
from gmm.init import INIT_METHOD_LABELS
from gmm.params import COVARIANCE_TYPES
from gmm.restarts import RestartsResult, check_restarts_arguments
from gmm.sweep import SweepResult, check_sweep_arguments
from pages.shared import jobs, workers
from pages.shared.choices import COVARIANCE_LABELS, TOL_CHOICES
from pages.shared.state import open_run, show_notices, state

SWEEP_INIT = "kmeans"
PAGE_TOL_CHOICES = tuple(t for t in TOL_CHOICES if t > 0)
DEFAULTS = {
    "ck_k_max": 8,
    "ck_types": list(COVARIANCE_TYPES),
    "ck_restarts": 3,
    "ck_tol": 1e-6,
    "ck_max_iter": 500,
    "ck_r_methods": ["kmeans", "random_from_data"],
    "ck_r_n": 20,
}
MAX_K_SWEEP = 15
MAX_K_RESTARTS = 10  # the sidebar's K slider goes to 10: Open in Explore must fit it
THUMBNAIL_HEIGHT = 270
SHOWN_SOLUTIONS = 6

PICTURES_2D_ONLY = (
    "Pictures of the fitted models are drawn for two columns; choose the "
    "2-D view in the sidebar to see them."
)
CONVENTION = (
    "Lower is better here (scikit-learn's sign: BIC = −2 log L + p log n, "
    "AIC = −2 log L + 2p). R's mclust plots 2·loglik − p·log n, where higher is "
    "better: the same ranking, upside down."
)


# ------------------------------------------------------------------- widget state
def _widget(factory, label: str, name: str, **kwargs):
    """A page widget whose value survives leaving the page and coming back.

    Its default is fixed for the session (``_default_<name>`` or ``DEFAULTS``), so the
    widget keeps one identity from run to run.
    """
    default = st.session_state.get(f"_default_{name}", DEFAULTS.get(name))
    if factory is st.multiselect:
        kwargs["default"] = default
    elif factory is st.selectbox:
        kwargs["index"] = list(kwargs["options"]).index(default)
    else:
        kwargs["value"] = default
    return factory(label, key=name, persist_state="session", **kwargs)


# ------------------------------------------------------------------- EM settings
def _em_settings() -> dict:
    ss = state()
    st.markdown("**EM settings for this page**")
    cols = st.columns([2, 1, 3], vertical_alignment="bottom")
    with cols[0]:
        _widget(
            st.select_slider,
            "tol",
            "ck_tol",
            options=PAGE_TOL_CHOICES,
            format_func=lambda v: f"{v:g}",
            help="Stop when the log-likelihood per point changes by less than this. "
            "Comparing models needs runs that really converged: with "
            "scikit-learn's default 1e-3, EM stops early on a plateau for some "
            "models (Old Faithful, tied, K = 3).",
        )
    with cols[1]:
        _widget(
            st.number_input, "max_iter", "ck_max_iter", min_value=10, max_value=10_000, step=100
        )
    settings = ss.settings
    cols[2].caption(
        f"From the sidebar: reg_covar = {settings.reg_covar:g}, seed = "
        f"{settings.seed}. Every run's own seed is derived from this seed."
    )
    return {
        "seed": int(settings.seed),
        "reg_covar": float(settings.reg_covar),
        "tol": float(ss.ck_tol),
        "max_iter": int(ss.ck_max_iter),
    }


# ------------------------------------------------------------------------ sweep
def _sweep_section(X, dkey, em: dict, dataset) -> None:
    st.subheader("How many components?", anchor=False)
    text, picture = st.columns([3, 2], gap="medium")
    text.markdown(
        "More components always fit the data at least as well, so the log-likelihood "
        "alone cannot choose K. **BIC** and **AIC** add a penalty for every free "
        "parameter *p*; the model with the lowest value balances fit and complexity. "
        "BIC's penalty (log n per parameter) is heavier than AIC's (2), so BIC tends to "
        "pick fewer components."
    )
    if X.shape[1] == 2:
        picture.plotly_chart(
            fs.data_thumbnail(
                X, column_names=dataset.axis_labels, title="The data: how many groups?", height=230
            ),
            key="ck_data",
            config={"displaylogo": False},
        )
    result, _, _ = _sweep_controls(X, dkey, em)
    if result is not None:
        _sweep_results(result, X, dataset)


def _sweep_controls(X, dkey, em: dict):
    ss = st.session_state
    cols = st.columns([1, 3, 1], vertical_alignment="bottom")
    with cols[0]:
        _widget(
            st.number_input,
            "Largest K",
            "ck_k_max",
            min_value=1,
            max_value=MAX_K_SWEEP,
            step=1,
            help="Fits K = 1, 2, …, this value.",
        )
    with cols[1]:
        _widget(
            st.multiselect,
            "Covariance types",
            "ck_types",
            options=COVARIANCE_TYPES,
            format_func=COVARIANCE_LABELS.get,
        )
    with cols[2]:
        _widget(
            st.number_input,
            "Restarts per fit",
            "ck_restarts",
            min_value=1,
            max_value=20,
            step=1,
            help="EM runs from different k-means starts for "
            "each K and type; the one with the highest log-likelihood is kept.",
        )
    ks = tuple(range(1, int(ss.ck_k_max) + 1))
    types = tuple(t for t in COVARIANCE_TYPES if t in ss.ck_types)
    n_restarts = int(ss.ck_restarts)
    kwargs = dict(
        X=X, k_values=ks, covariance_types=types, n_restarts=n_restarts, init=SWEEP_INIT, **em
    )
    return jobs.launcher(
        "sweep",
        data_key=dkey,
        target=workers.fit_sweep,
        kwargs=kwargs,
        check=check_sweep_arguments,
        noun="Sweep",
        runs=f"{len(ks) * len(types) * n_restarts} EM runs (k-means starts) on {len(X):,} points.",
        hint="fit every K and covariance type",
    )


def _sweep_results(result: SweepResult, X, dataset) -> None:
    asked = len(result.k_values) * len(result.covariance_types)
    if not result.complete:
        st.warning(
            f"The sweep was stopped: {result.n_fits} of {asked} fits were run. "
            "Everything below covers those only."
        )
    bad_ks = result.degenerate_k_values()
    if bad_ks:
        listed = ", ".join(str(k) for k in bad_ks)
        st.warning(
            f"At K = {listed} every fit collapsed (a component sat on a few "
            "identical points and its covariance became singular), so there is no "
            "model to score. Increase reg_covar in the sidebar, or lower K."
        )
    best_bic, best_aic = result.best("bic"), result.best("aic")
    if best_bic is None:
        st.error(
            "No fit could be scored: every EM run collapsed. Increase reg_covar in "
            "the sidebar, or lower K."
        )
        _sweep_table(result)
        return
    st.markdown(
        f"**BIC picks {best_bic.label}** (BIC {best_bic.bic:,.1f}); "
        f"**AIC picks {best_aic.label}** (AIC {best_aic.aic:,.1f})."
    )
    degenerate = {
        t: [r.n_components for r in result.rows if r.covariance_type == t and r.degenerate]
        for t in result.covariance_types
    }
    zoom = st.toggle(
        "Zoom in near the best model",
        value=True,
        key="ck_zoom",
        persist_state="session",
        help="The worst models lie far above the best ones and would flatten "
        "the curves where the choice is made. Zoomed in, lines that "
        "leave the top are much worse.",
    )
    left, right = st.columns(2, gap="medium")
    for column, criterion, best in ((left, "bic", best_bic), (right, "aic", best_aic)):
        curves = {t: result.curve(t, criterion) for t in result.covariance_types}
        figure = fs.criterion_plot(
            curves,
            (best.covariance_type, best.n_components, best.score(criterion)),
            criterion=criterion.upper(),
            degenerate=degenerate,
            title=f"{criterion.upper()} against K",
            zoom=zoom,
        )
        column.plotly_chart(figure, key=f"ck_{criterion}_plot", config={"displaylogo": False})
    st.caption(CONVENTION)
    _sweep_table(result)
    if X.shape[1] == 2:
        _best_thumbnails(result, X, dataset)
    else:
        st.caption(PICTURES_2D_ONLY)


def _sweep_table(result: SweepResult) -> None:
    frame = result.to_frame()
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key="ck_sweep_table",
        column_config={
            "log-likelihood": st.column_config.NumberColumn(format="%.2f"),
            "BIC": st.column_config.NumberColumn(format="%.1f"),
            "AIC": st.column_config.NumberColumn(format="%.1f"),
            "note": st.column_config.TextColumn(width="large"),
        },
    )


def _thumbnail(column, X, params, dataset, title: str, *, key: str) -> None:
    """A small picture of a fitted model, its points coloured by their responsibilities."""
    figure = fs.model_thumbnail(
        X,
        e_step(X, params).responsibilities,
        params.means,
        params.full_covariances,
        params.weights,
        column_names=dataset.axis_labels,
        title=title,
        height=THUMBNAIL_HEIGHT,
    )
    column.plotly_chart(figure, key=key, config={"displaylogo": False})


def _best_thumbnails(result: SweepResult, X, dataset) -> None:
    st.markdown("**The three best models by BIC**")
    cols = st.columns(3)
    for rank, (column, row) in enumerate(zip(cols, result.ranked("bic")[:3]), start=1):
        title = f"{rank}. {row.label} · BIC {row.bic:,.1f}"
        _thumbnail(column, X, row.params, dataset, title, key=f"ck_best_{rank}")


# ---------------------------------------------------------------------- restarts
def _restarts_section(X, dkey, em: dict, dataset) -> None:
    ss = st.session_state
    st.subheader("Restarts and local optima", anchor=False)
    st.markdown(
        "EM only ever climbs: it stops at the top of whichever hill it starts on. Run it "
        "from many starts and compare where the runs end. Runs that reach the same "
        "solution (the same components, in any order) are grouped together. A solution "
        "far below the best is a local optimum, or a flat region where EM crawled so "
        "slowly that it passed the convergence test: a smaller tol lets it go on."
    )
    # First visit: start from the model in the sidebar.
    ss.setdefault("_default_ck_r_k", min(int(ss.settings.n_components), MAX_K_RESTARTS))
    ss.setdefault("_default_ck_r_type", ss.settings.covariance_type)
    cols = st.columns([1, 1.6, 2.6, 1], vertical_alignment="bottom")
    with cols[0]:
        _widget(st.number_input, "K", "ck_r_k", min_value=1, max_value=MAX_K_RESTARTS, step=1)
    with cols[1]:
        _widget(
            st.selectbox,
            "Covariance type",
            "ck_r_type",
            options=COVARIANCE_TYPES,
            format_func=COVARIANCE_LABELS.get,
        )
    with cols[2]:
        _widget(
            st.multiselect,
            "Initialisation methods",
            "ck_r_methods",
            options=SEEDED_INIT_METHODS,
            format_func=INIT_METHOD_LABELS.get,
        )
    with cols[3]:
        _widget(
            st.number_input, "Restarts per method", "ck_r_n", min_value=1, max_value=200, step=5
        )
    k, covariance_type = int(ss.ck_r_k), ss.ck_r_type
    methods = tuple(m for m in SEEDED_INIT_METHODS if m in ss.ck_r_methods)
    kwargs = dict(
        X=X,
        n_components=k,
        covariance_type=covariance_type,
        methods=methods,
        n_restarts=int(ss.ck_r_n),
        **em,
    )
    result, stored_key, _ = jobs.launcher(
        "restarts",
        data_key=dkey,
        target=workers.run_restarts,
        kwargs=kwargs,
        check=check_restarts_arguments,
        noun="Restarts",
        runs=f"{len(methods) * int(ss.ck_r_n)} EM runs on {len(X):,} points.",
        hint="run EM from many starts",
    )
    if result is None:
        return
    _restarts_results(result, X, dataset, stored_key)


def _restarts_results(result: RestartsResult, X, dataset, result_key: tuple) -> None:
    solutions = result.solutions
    n_runs = len(result.restarts)
    usable = [r for r in result.restarts if r.ok]
    label = f"{result.covariance_type}, K = {result.n_components}"
    if not result.complete:
        st.warning(
            f"The restarts were stopped after {n_runs} of "
            f"{result.n_restarts * len(result.methods)} runs."
        )
    failed = n_runs - len(usable)
    if failed:
        st.warning(
            f"{failed} of {n_runs} runs collapsed or could not start (a covariance "
            "became singular); they are left out below. Increase reg_covar in the "
            "sidebar to avoid this."
        )
    if not solutions:
        st.error(
            "No run ended well, so there is nothing to compare. Increase reg_covar "
            "in the sidebar, or lower K."
        )
        _open_in_explore_controls(result, result_key)
        return
    best = solutions[0]
    per_method = ", ".join(
        f"{INIT_METHOD_LABELS[m]} {sum(result.restarts[i].method == m for i in best.members)}"
        f" of {len(result.by_method(m))}"
        for m in result.methods
    )
    noun = "solution" if len(solutions) == 1 else "solutions"
    st.markdown(
        f"**{len(solutions)} distinct {noun}** among {len(usable)} runs of "
        f"{label}. The best (log-likelihood {best.log_likelihood:,.2f}) was "
        f"reached by {best.count}: {per_method}."
    )
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown("**Where each run ended**")
        finals = {
            m: np.array([r.log_likelihood if r.ok else np.nan for r in result.by_method(m)])
            for m in result.methods
        }
        numbers = {m: [r.index + 1 for r in result.by_method(m)] for m in result.methods}
        st.plotly_chart(
            fs.final_loglik_plot(
                finals,
                numbers,
                method_labels=INIT_METHOD_LABELS,
                solutions=[s.log_likelihood for s in solutions],
            ),
            key="ck_final_loglik",
            config={"displaylogo": False},
        )
        st.caption("One dot per run; S1, S2, … mark the distinct solutions.")
    with right:
        st.markdown("**How each run climbed**")
        shown = [r for r in result.restarts if r.stepper is not None]
        st.plotly_chart(
            fs.loglik_overlay(
                [r.curve("iteration") for r in shown],
                [r.method for r in shown],
                restart_numbers=[r.index + 1 for r in shown],
                method_labels=INIT_METHOD_LABELS,
            ),
            key="ck_overlay",
            config={"displaylogo": False},
        )
        st.caption(
            "Log-likelihood after each EM iteration, one line per run. The axis "
            "starts after the first iteration: the starting values can be far "
            "lower."
        )
    if X.shape[1] == 2:
        _solution_thumbnails(result, X, dataset)
    else:
        st.caption(PICTURES_2D_ONLY)
    _open_in_explore_controls(result, result_key)
    with st.expander("Every run"):
        st.dataframe(
            result.to_frame(),
            hide_index=True,
            width="stretch",
            column_config={"log-likelihood": st.column_config.NumberColumn(format="%.2f")},
        )


def _solution_thumbnails(result: RestartsResult, X, dataset) -> None:
    solutions = result.solutions
    st.markdown("**The distinct solutions**")
    n_runs = sum(r.ok for r in result.restarts)
    for start in range(0, min(len(solutions), SHOWN_SOLUTIONS), 3):
        cols = st.columns(3)
        for offset, column in enumerate(cols):
            number = start + offset
            if number >= min(len(solutions), SHOWN_SOLUTIONS):
                break
            solution = solutions[number]
            title = f"S{number + 1} · log-likelihood {solution.log_likelihood:,.2f}"
            _thumbnail(column, X, solution.params, dataset, title, key=f"ck_solution_{number}")
            runs = "run" if solution.count == 1 else "runs"
            numbers = sorted(m + 1 for m in solution.members)
            column.caption(
                f"Reached by **{solution.count} of {n_runs}** {runs} "
                f"(restart {', '.join(map(str, numbers[:10]))}"
                f"{', …' if solution.count > 10 else ''})."
            )
    if len(solutions) > SHOWN_SOLUTIONS:
        st.caption(
            f"… and {len(solutions) - SHOWN_SOLUTIONS} more, each reached by few "
            "runs (see the table of every run)."
        )


def _restart_label(result: RestartsResult, index: int) -> str:
    restart = result.restarts[index]
    solution = result.solution_of(index)
    where = f"S{solution + 1}" if solution is not None else restart.status
    return (
        f"Restart {index + 1} · {INIT_METHOD_LABELS[restart.method]} · seed "
        f"{restart.seed} · log-likelihood {restart.log_likelihood:,.2f} · {where}"
    )


def _open_in_explore_controls(result: RestartsResult, result_key: tuple) -> None:
    ss = st.session_state
    openable = [r.index for r in result.restarts if r.stepper is not None]
    if not openable:
        return
    if ss.get("ck_open_index") not in openable:
        ss.ck_open_index = openable[0]
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    left.selectbox(
        "Step through one run on the Explore page",
        openable,
        format_func=lambda i: _restart_label(result, i),
        key="ck_open_index",
    )
    right.button(
        "Open in Explore",
        on_click=_open_in_explore,
        args=(result_key,),
        width="stretch",
        help="Load this run, with its whole history, into the "
        "Explore page and set the sidebar to its settings.",
    )


def _open_in_explore(result_key: tuple) -> None:
    """Callback: make a restart the current run (the sidebar will show its settings),
    then switch pages."""
    ss = st.session_state
    result: RestartsResult = jobs.result(result_key)
    index = int(ss.ck_open_index)
    settings = result.run_settings(index)
    stepper = result.stepper(index)
    open_run(
        settings,
        stepper,
        f"Opened restart {index + 1} from **Choose K** ({settings.covariance_type}, "
        f"K = {settings.n_components}, {INIT_METHOD_LABELS[settings.init]}, seed "
        f"{settings.seed}) with its whole history: {len(stepper.snapshots) - 1} "
        "half-steps. Scrub the timeline or press Play to watch it climb.",
    )
    ss.ck_go_explore = True


# --------------------------------------------------------------------------- page
def main() -> None:
    ss = state()
    if ss.pop("ck_go_explore", False):
        st.switch_page("pages/explore.py")
    jobs.collect()
    st.header("Choose K", anchor=False)
    dataset = ss.dataset
    X = np.asarray(dataset.X)
    st.caption(
        f"Data: **{dataset.name}** · {len(X):,} points · columns {', '.join(dataset.axis_labels)}."
    )
    show_notices()
    dkey = dataset.key
    em = _em_settings()
    st.divider()
    _sweep_section(X, dkey, em, dataset)
    st.divider()
    _restarts_section(X, dkey, em, dataset)


main()
