"""What a session keeps in memory, and when it lets go.

A session's run holds the data once (the data set's array, and its moments in one
:class:`gmm.stepper.SharedData` shared with every run on the same array, in every
session) and, while the user steps, the E-step results of the last two
parameter sets (n × K responsibilities and n log-densities, in
:class:`gmm.stepper.EMStepper`'s cache). At n = 100,000 and K = 5 that cache is 9.6 MB
per session. A session nobody has used for :data:`IDLE_SECONDS` does not need it: a
thread shared by all sessions releases it and hands the freed pages back to the OS
(:func:`return_freed_memory`), and the next Step or redraw recomputes the one E-step it
needs.

Every page run marks the session's run as used (:func:`touch`, called by
:func:`pages.shared.state.state`, and where a new run is put on screen). No Streamlit
here: the release works on the engine's objects, and tests drive :func:`release_idle`
with a clock of their own.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
import time
import weakref

from gmm.stepper import EMStepper

#: A run untouched this long (seconds) loses its cached E-step results.
IDLE_SECONDS = 60.0
#: How often the releasing thread looks, in seconds.
CHECK_SECONDS = 15.0

_lock = threading.Lock()
_last_used: weakref.WeakKeyDictionary[EMStepper, float] = weakref.WeakKeyDictionary()
_releaser: threading.Thread | None = None


def touch(stepper: EMStepper | None, now: float | None = None) -> None:
    """Mark ``stepper`` as used now (``now``: a ``time.monotonic()`` value, for tests)."""
    if stepper is None:
        return
    with _lock:
        _last_used[stepper] = time.monotonic() if now is None else now
    _start_releaser()


def release_idle(now: float | None = None, idle_seconds: float = IDLE_SECONDS) -> int:
    """Release the cached E-step results of every run untouched for ``idle_seconds``.

    Parameters
    ----------
    now : float, optional
        The current ``time.monotonic()``; tests pass their own.
    idle_seconds : float

    Returns
    -------
    int
        How many runs were released (they are forgotten until touched again).
    """
    now = time.monotonic() if now is None else now
    with _lock:
        idle = [run for run, used in list(_last_used.items()) if now - used >= idle_seconds]
        for run in idle:
            del _last_used[run]
    for run in idle:
        run.release_cache()
    return len(idle)


def watched() -> int:
    """How many runs are watched for idleness (alive and touched since their release)."""
    with _lock:
        return len(_last_used)


def return_freed_memory() -> bool:
    """Hand the memory freed inside this process back to the OS, where glibc allows.

    Once a few arrays of some MB have been freed, glibc serves the next ones from its
    heap (its mmap threshold rises), and freeing those leaves the process's RSS as it
    was. ``malloc_trim`` returns those pages. Returns whether it could be called.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, not returned
        return False
    return True


def _release_forever() -> None:
    while True:
        time.sleep(CHECK_SECONDS)
        if release_idle():
            return_freed_memory()


def _start_releaser() -> None:
    """Start the one releasing thread of this process, if it is not running."""
    global _releaser
    with _lock:
        if _releaser is None or not _releaser.is_alive():
            _releaser = threading.Thread(
                target=_release_forever, name="gmm-release-idle", daemon=True
            )
            _releaser.start()
