"""Each session's memory is bounded (issue 15, section 4).

- One copy of the data: sessions on the same generated data share one ``Dataset``; its
  ``X`` is the frame's own values; every run on it shares that array and one set of
  moments (``SharedData``), whichever session started it.
- The cached E-step results of a run nobody touches are released
  (``pages/shared/memory.py``), and what is recomputed afterwards is the same.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from apptest_helpers import APP, click, generate, run
from streamlit.testing.v1 import AppTest

from gmm.run import RunSettings
from gmm.stepper import SharedData
from pages.shared import memory


def session(n: int = 500) -> AppTest:
    """A new session (its own AppTest) on the same generated data, stepped twice."""
    at = generate(run(AppTest.from_file(APP, default_timeout=60)), n=n, k=3, seed=4)
    click(at, "Step (E+M)")
    return click(at, "Step (E+M)")


def test_two_sessions_on_the_same_generated_data_hold_one_copy_of_it():
    first, second = session(), session()
    one, two = first.session_state.dataset, second.session_state.dataset
    assert one is two  # the same object, not an unpickled copy per session
    assert np.shares_memory(one.X, one.frame.to_numpy())  # X is the frame's values
    run_one, run_two = first.session_state.stepper, second.session_state.stepper
    assert run_one is not run_two
    assert run_one.X is one.X and run_two.X is one.X
    assert run_one.moments is run_two.moments  # per-point moments computed once


def test_a_new_run_on_the_same_data_reuses_their_moments(at):
    before = at.session_state.stepper
    before.step()  # an M-step: the moments are in use
    after = click(at, "Another start").session_state.stepper
    assert after is not before
    assert after.X is before.X and after.moments is before.moments


def test_shared_data_is_made_once_per_array_while_it_is_in_use():
    X = np.random.default_rng(0).normal(size=(200, 2))
    first = SharedData.of(X)
    assert SharedData.of(X) is first
    assert SharedData.of(X.copy()) is not first  # other array, other moments
    assert SharedData.of(X).X is X


@pytest.fixture
def stepped():
    X = np.random.default_rng(1).normal(size=(400, 2)) * [1.0, 3.0]
    stepper = RunSettings(n_components=3, init="random", seed=2).start(X, SharedData.of(X))
    stepper.step()
    stepper.e_step()
    return stepper


def test_an_idle_run_releases_its_cached_e_steps_and_recomputes_the_same(stepped):
    shown = stepped.responsibilities(-1).copy()
    assert stepped.cache_nbytes >= shown.nbytes
    memory.touch(stepped, now=1_000.0)
    assert memory.release_idle(now=1_000.0 + memory.IDLE_SECONDS) >= 1
    assert stepped.cache_nbytes == 0
    assert stepped.moments is SharedData.of(stepped.X).moments  # shared: kept
    np.testing.assert_array_equal(stepped.responsibilities(-1), shown)
    before = stepped.current.log_likelihood
    stepped.m_step()  # and EM carries on from the released state
    assert stepped.current.log_likelihood >= before


def test_a_run_in_use_keeps_its_cache(stepped):
    memory.touch(stepped, now=2_000.0)
    memory.release_idle(now=2_000.0 + memory.IDLE_SECONDS / 2)
    assert stepped.cache_nbytes > 0
    memory.release_idle(now=2_000.0 + memory.IDLE_SECONDS)  # then it is idle
    assert stepped.cache_nbytes == 0


def test_every_page_run_marks_the_sessions_run_as_used(at):
    stepper = at.session_state.stepper
    stepper.step()
    memory.release_idle(now=float("inf"))  # everything idle: released, forgotten
    assert stepper.cache_nbytes == 0 and memory.watched() == 0
    click(at, "Step (E+M)")
    assert memory.watched() >= 1 and at.session_state.stepper.cache_nbytes > 0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise KeyError("VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_memory_freed_by_a_release_goes_back_to_the_os():
    baseline = rss_mb()
    arrays, pinned = [], []
    for i in range(80):  # E-step-sized arrays (1.6 MB), as a session's steps make them
        arrays.append(np.ones(200_000))
        pinned.append(np.ones(1_000))  # a small array kept after each
        if i % 2:
            arrays[-2] = None  # freed: glibc's mmap threshold rises, the rest come from its heap
    del arrays  # 64 MB freed inside the process: glibc keeps these pages
    assert memory.return_freed_memory()
    assert rss_mb() < baseline + 32
