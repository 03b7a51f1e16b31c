"""Background jobs: long engine calls that run in a thread while the page stays usable.

A job's thread runs engine code only, never Streamlit. The script run that starts it
ends at once; a fragment polls the job's progress twice a second, and its Stop button
sets a flag that the engine's ``should_stop`` reads between two EM runs (or two EM
iterations, for the Explore page's Run to convergence). Choose K's sweeps and restarts
hand their EM runs to the worker processes of :mod:`pages.shared.workers`: their thread
only waits, so it does not hold the interpreter's lock that other sessions need, and
Stop cancels the runs not yet started. (A Stop button
inside a script run that is busy computing could not work: Streamlit only handles the
click after that run ends.)

Finished results are kept in the session (``job_results``, declared in
:mod:`pages.shared.state`), keyed by the job's kind and by what it was asked, the newest
:data:`KEPT_RESULTS` of each kind, so that moving between pages does not recompute them.
A job started with ``keep=False`` is left to the page that started it instead: it takes
the finished job with :func:`finished`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from pages.shared.state import state

#: Finished results kept per kind of job.
KEPT_RESULTS = 4
POLL_SECONDS = 0.5
#: How long a job started with ``foreground=True`` may compute inside the click before
#: the page goes on without it: a job that ends sooner is shown at once, as a step is.
#: A click's round trip already takes about this long, so short jobs lose nothing.
FOREGROUND_SECONDS = 0.3
#: How long the Stop button's callback waits for the job to end, so that the rerun it
#: triggers can already show the result instead of "Stopping…" until the next poll.
STOP_WAIT_SECONDS = 1.0


class Job:
    """One engine call in a daemon thread, with progress, a stop flag and its outcome.

    Parameters
    ----------
    kind : str
        What the job is (``"sweep"``); one job of a kind runs at a time.
    key : tuple
        What it was asked, first the data's key: the result is stored under it.
    target : callable
        Called with ``kwargs`` and the keyword arguments ``progress(done, total,
        label)`` and ``should_stop()``.
    kwargs : dict
    keep : bool, default True
        Whether :func:`collect` stores the result; if False, the page that started the
        job takes it with :func:`finished`.
    """

    def __init__(self, kind: str, key: tuple, target: Callable, kwargs: dict, keep: bool = True):
        self.kind, self.key, self.keep = kind, key, keep
        self.progress = (0, 1, "starting")
        self.result = None
        self.error: Exception | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._work, args=(target, kwargs), name=f"gmm-{kind}", daemon=True
        )
        self._thread.start()

    def _work(self, target, kwargs) -> None:
        try:
            self.result = target(**kwargs, progress=self._report, should_stop=self._stop.is_set)
        except Exception as error:  # shown to the user as a message, never a traceback
            self.error = error

    def _report(self, done: int, total: int, label: str) -> None:
        self.progress = (done, total, label)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()

    def stop_and_wait(self) -> None:
        """Ask the job to stop and give it :data:`STOP_WAIT_SECONDS` to do so (Stop button)."""
        self.stop()
        self.wait(STOP_WAIT_SECONDS)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the thread ends (tests); True if it has."""
        self._thread.join(timeout)
        return not self.running


def start(
    kind: str,
    key: tuple,
    target: Callable,
    kwargs: dict,
    *,
    keep: bool = True,
    foreground: bool = False,
) -> Job:
    """Start a job of ``kind`` (a button's callback) and return it.

    With ``foreground``, wait up to :data:`FOREGROUND_SECONDS` for it to end (see
    :attr:`Job.running`) before returning.
    """
    ss = state()
    ss.job_errors.pop(kind, None)
    job = ss.jobs[kind] = Job(kind, key, target, kwargs, keep)
    if foreground:
        job.wait(FOREGROUND_SECONDS)
    return job


def current(kind: str) -> Job | None:
    """The job of ``kind`` that is running (or finished and not yet collected), if any."""
    return state().jobs.get(kind)


def finished(kind: str) -> Job | None:
    """Take the job of ``kind`` out of the running jobs if it has ended, and return it."""
    jobs = state().jobs
    job = jobs.get(kind)
    if job is None or job.running:
        return None
    return jobs.pop(kind)


def discard(kind: str) -> None:
    """Stop the job of ``kind``, if any, and forget it: its result will not be used."""
    job = state().jobs.pop(kind, None)
    if job is not None:
        job.stop()


def running(kind: str) -> bool:
    """Whether a job of ``kind`` is running (or finished and not yet collected)."""
    return kind in state().jobs


def error(kind: str) -> str | None:
    """The message of the last job of ``kind`` that failed, if it was the last one."""
    return state().job_errors.get(kind)


def collect() -> None:
    """Move finished jobs' results into the result store (newest last).

    Jobs started with ``keep=False`` are left for the page that started them.
    """
    ss = state()
    results = ss.job_results
    for kind, job in list(ss.jobs.items()):
        if job.running or not job.keep:
            continue
        del ss.jobs[kind]
        if job.error is not None:
            ss.job_errors[kind] = str(job.error)
        elif job.result is not None:
            results[(kind, job.key)] = job.result
            results.move_to_end((kind, job.key))
            for old in [k for k in results if k[0] == kind][:-KEPT_RESULTS]:
                del results[old]


def latest(kind: str, data_key: tuple, wanted_key: tuple):
    """The result for ``wanted_key``, else the newest one for the same data.

    Returns
    -------
    result, key, current
        The result (None if there is none), the key it is stored under, and whether it
        answers ``wanted_key`` (False: older settings on the same data).
    """
    results = state().job_results
    if (kind, wanted_key) in results:
        return results[(kind, wanted_key)], (kind, wanted_key), True
    for stored in reversed(results):
        if stored[0] == kind and stored[1][0] == data_key:
            return results[stored], stored, False
    return None, None, False


def result(stored_key: tuple):
    """The stored result under ``stored_key`` (from :func:`latest`)."""
    return state().job_results[stored_key]


def launcher(
    kind: str,
    *,
    data_key: tuple,
    target: Callable,
    kwargs: dict,
    check: Callable,
    noun: str,
    runs: str,
    hint: str,
):
    """A job's Run button, what it will do or why it cannot, its progress; then its result.

    Parameters
    ----------
    kind : str
        The job's kind, e.g. ``"sweep"``.
    data_key : tuple
        What identifies the data (:attr:`gmm.data.Dataset.key`); results on the same
        data from older settings are still shown, marked as such.
    target, kwargs : callable, dict
        The engine call and its arguments (``X`` and settings); the result is stored
        under the data key and the settings.
    check : callable
        The engine's check of ``kwargs``: what it refuses is shown instead of the button.
    noun : str
        What the job is called on screen, e.g. ``"Sweep"`` (button "Run sweep").
    runs : str
        What the button will do, e.g. ``"24 EM runs on 272 points."``.
    hint : str
        What pressing it does, for the first visit, e.g. ``"fit every K"``.

    Returns
    -------
    result, stored_key, current
        As :func:`latest`.
    """
    key = (data_key, *((name, value) for name, value in kwargs.items() if name != "X"))
    try:
        check(**kwargs)
        problem = None
    except ValueError as refused:
        problem = str(refused)
    busy = running(kind)
    button = f"Run {noun.lower()}"
    left, right = st.columns([1, 4], vertical_alignment="center")
    left.button(
        button,
        type="primary",
        disabled=busy or problem is not None,
        on_click=start,
        args=(kind, key, target, kwargs),
        width="stretch",
    )
    right.caption(runs if problem is None else "")
    if problem:
        st.error(problem)
    failed = error(kind)
    if failed:
        st.error(f"The {noun.lower()} could not run: {failed}")
    show_progress(kind, noun)
    result, stored_key, current = latest(kind, data_key, key)
    if result is None and not busy:
        st.info(f"Press **{button}** to {hint}.")
    elif result is not None and not current:
        st.caption(
            f"Showing the last {noun.lower()} on these data; the settings above have "
            f"changed since. Press **{button}** to update."
        )
    return result, stored_key, current


def show_progress(
    kind: str,
    noun: str,
    *,
    unit: str = "EM runs",
    step: str = "EM run",
    kept: str = "the fits done so far",
) -> None:
    """While a job of ``kind`` runs: its progress bar and Stop button, polled.

    Parameters
    ----------
    kind, noun : str
        The job's kind and what it is called on screen (``"Sweep"``).
    unit, step, kept : str
        What its progress counts (``"EM runs"``), the unit of work a Stop waits for
        (``"EM run"``) and what a Stop keeps (``"the fits done so far"``).
    """
    if running(kind):
        st.fragment(run_every=POLL_SECONDS)(_progress_panel)(kind, noun, unit, step, kept)


def _progress_panel(kind: str, noun: str, unit: str, step: str, kept: str) -> None:
    """Progress bar and Stop button of a running job; reruns the page when it ends."""
    job = state().jobs.get(kind)
    if job is None:
        return
    if not job.running:
        st.rerun(scope="app")
    done, total, label = job.progress
    text = (
        f"Stopping after the current {step}…"
        if job.stopping
        else f"{noun}: {done} of {total} {unit} done ({label})"
    )
    left, right = st.columns([6, 1], vertical_alignment="bottom")
    left.progress(min(done / max(total, 1), 1.0), text=text)
    right.button(
        "Stop",
        key=f"stop_{kind}",
        on_click=job.stop_and_wait,
        disabled=job.stopping,
        width="stretch",
        help=f"Stop after the current {step} and keep {kept}.",
    )
