"""Worker processes for Choose K: sweeps and restarts run outside the server process.

A sweep is dozens of EM runs. Run in a thread of the Streamlit server, it holds the
interpreter's lock for most of its time, and every other session's Step waits for it.
Here each EM run is a task in a process pool shared by all sessions:

- **Bounded.** At most :data:`MAX_WORKERS` processes, created on the first use and
  shut down when the server exits: one on a machine with two cores or fewer (two
  busy workers and the server on two cores slowed the server's own script runs
  1.9×; ``docs/browser-latency.md``), else up to two, never more than the cores this
  process may use. Each job keeps at most that many of its tasks in the pool at once,
  so that two sessions' sweeps take turns instead of queueing one behind the other.
- **Out of the way.** Workers run under Linux's ``SCHED_IDLE`` policy: they get a
  core only when nothing else wants it, so that a session's Step, in the server,
  comes first. Where that policy is missing, they lower their priority by
  :data:`WORKER_NICENESS` instead.
- **Started safely.** With the "forkserver" method (else "spawn"), never "fork": the
  server has threads, and a forked copy of a process with threads can deadlock.
- **Stoppable.** Stop cancels the job's runs not yet started; the few under way (at most
  one per worker) end and are kept. The result holds the runs ``0, 1, ...`` that had
  finished, in order, as the in-process loop would.
- **The same numbers.** A task runs the engine's own per-run function
  (:meth:`gmm.sweep.SweepPlan.run`, :meth:`gmm.restarts.RestartsPlan.run`), so the
  result equals :func:`gmm.sweep.fit_sweep`'s exactly. A finished run comes back
  without its data (:meth:`gmm.stepper.EMStepper.detach_data`), and is given this
  process's one copy of them, so that kept runs do not each hold a copy.

Set the environment variable ``GMM_WORKERS=0`` to run jobs in the server's thread, as
before (the benchmark's "before"); the same happens when the pool cannot start.

This module holds no Streamlit code: :mod:`pages.shared.jobs` runs :func:`fit_sweep` and
:func:`run_restarts` in a job's thread, which only waits here.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import sys
import threading
import types
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from gmm.restarts import RestartsResult, plan_restarts
from gmm.run import Progress, ShouldStop
from gmm.run import run_plan as run_here
from gmm.stepper import SharedData
from gmm.sweep import SweepResult, plan_sweep


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def worker_count() -> int:
    """Worker processes by default: leave the server a core of its own, use at most two."""
    cores = usable_cores()
    return 1 if cores <= 2 else min(2, cores - 1)


#: Most worker processes, shared by every session.
MAX_WORKERS = worker_count()
#: How much lower the workers' CPU priority is than the server's (``os.nice``), where
#: ``SCHED_IDLE`` is not available (or ``GMM_WORKER_PRIORITY=nice``).
WORKER_NICENESS = 19
#: How long the workers may take to start, in seconds.
STARTUP_SECONDS = 60.0
#: How often a job's thread checks its Stop flag while waiting for tasks, in seconds.
STOP_POLL_SECONDS = 0.1

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_size = 0
_unavailable = False


def workers_wanted() -> int:
    """Worker processes to use: ``GMM_WORKERS`` if set (0 = none), else :data:`MAX_WORKERS`."""
    wanted = os.environ.get("GMM_WORKERS", "").strip()
    if not wanted:
        return worker_count()
    try:
        return max(0, min(int(wanted), usable_cores()))
    except ValueError:
        return worker_count()


def priority_wanted() -> str:
    """How workers step aside: ``GMM_WORKER_PRIORITY`` (``idle``, ``nice`` or ``same``),
    by default ``idle`` (``SCHED_IDLE``) where Linux has it, else ``nice``."""
    wanted = os.environ.get("GMM_WORKER_PRIORITY", "").strip().lower()
    if wanted in ("idle", "nice", "same"):
        return wanted
    return "idle" if hasattr(os, "SCHED_IDLE") else "nice"


def _start_worker(priority: str) -> None:
    """Each worker's initialiser: step aside for the server's own threads.

    Where the OS refuses, the worker runs at the server's priority.
    """
    if priority == "idle" and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return
    if priority != "same":
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


def pool() -> ProcessPoolExecutor | None:
    """The shared pool, created on first use; None when jobs run in-process."""
    global _pool, _size, _unavailable
    with _lock:
        if _pool is None and not _unavailable:
            count = workers_wanted()
            if count == 0:
                return None
            methods = multiprocessing.get_all_start_methods()
            method = "forkserver" if "forkserver" in methods else "spawn"
            context = multiprocessing.get_context(method)
            if method == "forkserver":  # workers start from a process that has the engine
                context.set_forkserver_preload(["gmm.sweep", "gmm.restarts"])
            try:
                _pool = _start_pool(count, context)
                _size = count
            except (OSError, ValueError, NotImplementedError, BrokenProcessPool):
                _unavailable = True
        return _pool


@contextlib.contextmanager
def _plain_main():
    """While workers start: a ``__main__`` module that they need not import.

    A new process re-imports the parent's ``__main__`` module, and in a Streamlit server
    (or AppTest) that is the app's script, which must not run there. A module with no
    file and no spec is left alone.
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _start_pool(count: int, context) -> ProcessPoolExecutor:
    """A pool of ``count`` processes, all started now (see :func:`_plain_main`)."""
    with _plain_main():
        executor = ProcessPoolExecutor(
            count, context, initializer=_start_worker, initargs=(priority_wanted(),)
        )
        # Each submit starts one more process while none is idle.
        started = [executor.submit(os.getpid) for _ in range(count)]
    try:
        for future in started:
            future.result(timeout=STARTUP_SECONDS)
    except BaseException:
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    return executor


def shutdown() -> None:
    """Stop the workers and cancel their queued tasks (at exit; tests)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None


atexit.register(shutdown)


def _forget_broken_pool(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def _run_task(plan, i: int):
    """In a worker: run ``i`` of ``plan``, sent back without its data."""
    result = plan.run(i, SharedData.of(plan.X))
    if result.stepper is not None:
        result.stepper.detach_data()
    return result


def run_plan(plan, progress: Progress | None = None, should_stop: ShouldStop | None = None):
    """Run every EM run of ``plan`` in the pool (in this thread without one) and make
    its result.

    Parameters
    ----------
    plan : gmm.sweep.SweepPlan or gmm.restarts.RestartsPlan
    progress : callable(done, total, label), optional
        Called with ``(0, total, "starting")``, then as runs finish with the number
        finished and the label of the latest.
    should_stop : callable() -> bool, optional
        Checked every :data:`STOP_POLL_SECONDS`; True cancels the runs not started, waits
        for those under way, and returns the result of runs ``0 .. m - 1``, those that
        had finished in a row.

    Returns
    -------
    SweepResult or RestartsResult
        Equal to what the engine's in-process loop returns.
    """
    executor = pool()
    if executor is None:
        return run_here(plan, progress, should_stop)
    try:
        finished = _collect(executor, plan, progress, should_stop)
    except BrokenProcessPool:  # a worker died (killed, out of memory): finish here
        _forget_broken_pool(executor)
        return run_here(plan, progress, should_stop)
    shared = SharedData.of(plan.X)
    results = []
    for i in range(plan.n_runs):  # the runs that finished in a row, from the first
        if i not in finished:
            break
        result = finished[i]
        if result.stepper is not None:
            result.stepper.attach_data(shared)
        results.append(result)
    return plan.result(results)


def _collect(executor, plan, progress, should_stop) -> dict:
    """Feed ``plan``'s runs to the pool, at most its size at a time; their results by run."""
    total = plan.n_runs
    if progress is not None:
        progress(0, total, "starting")
    window = max(1, _size)
    waiting: dict[Future, int] = {}
    finished: dict[int, object] = {}
    submitted = 0
    while len(finished) < total:
        if should_stop is not None and should_stop():
            # Cancel the runs not started; those under way end and are kept, as the
            # Stop button says ("after the current EM run").
            under_way = [future for future in waiting if not future.cancel()]
            for future in sorted(under_way, key=waiting.get):
                finished[waiting[future]] = future.result()
            break
        while submitted < total and len(waiting) < window:
            waiting[executor.submit(_run_task, plan, submitted)] = submitted
            submitted += 1
        done, _ = wait(list(waiting), timeout=STOP_POLL_SECONDS, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=waiting.get):
            i = waiting.pop(future)
            finished[i] = future.result()
            if progress is not None:
                progress(len(finished), total, plan.label(i))
    return finished


def fit_sweep(
    *, progress: Progress | None = None, should_stop: ShouldStop | None = None, **arguments
) -> SweepResult:
    """:func:`gmm.sweep.fit_sweep` with its EM runs in the worker processes.

    Takes the same keyword arguments and returns the same result.
    """
    return run_plan(plan_sweep(**arguments), progress, should_stop)


def run_restarts(
    *, progress: Progress | None = None, should_stop: ShouldStop | None = None, **arguments
) -> RestartsResult:
    """:func:`gmm.restarts.run_restarts` with its EM runs in the worker processes.

    Takes the same keyword arguments and returns the same result.
    """
    return run_plan(plan_restarts(**arguments), progress, should_stop)
