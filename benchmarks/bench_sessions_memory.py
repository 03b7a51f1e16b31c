"""The server's memory with many sessions at n = 100,000.

Run from the repository root (needs Debian's /usr/bin/chromium and playwright)::

    python benchmarks/bench_sessions_memory.py [--sessions 10] [--n 100000]
        [--root /work/main] [--distinct] [--idle-wait 80] [--doc LABEL]

Starts ``streamlit run app.py`` from ``--root`` (another checkout of the app, e.g. the
``main`` branch for a "before" figure; this one by default) and opens ``--sessions``
browser contexts, each a Streamlit session that stays connected. In each: generated data
of ``--n`` points (the same data set in every session, or ``--distinct``: data seed =
session number, from 1), three clicks on Step (E+M), and in every second session Run to
convergence. After each session the server process's ``VmRSS`` is read from
``/proc/<pid>/status`` (the first session's figure includes the app's imports, so
the increments are those of the sessions after it); at the end also ``VmHWM`` (its peak), the worker processes'
RSS, and, after ``--idle-wait`` seconds with no input (the idle release of
``pages/shared/memory.py`` happens after 60 s), ``VmRSS`` again.

Prints per-session increments (median, worst) and the totals. ``--doc LABEL`` adds the
row to the table in ``docs/browser-latency.md`` (section "Memory: ten sessions at
n = 100,000"), under ``LABEL`` (e.g. ``before (main)``).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from pathlib import Path

from bench_browser_latency import generate, type_number
from browser_helpers import ROOT, streamlit_server, ui
from doc_tables import add_rows

DOC = ROOT / "docs" / "browser-latency.md"
SECTION = "## Memory: ten sessions at n = 100,000"
HEADER = (
    "| what ran | data | sessions | server RSS, first session (MB) | each further "
    "session: median (MB) | worst (MB) | server RSS, all sessions (MB) | peak VmHWM (MB) "
    "| after idle wait (MB) | workers' RSS (MB) |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
)


def status_mb(pid: int, field: str) -> float:
    """``field`` (``VmRSS``, ``VmHWM``) of process ``pid`` in MB (10⁶ bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / 1e6
    raise KeyError(field)


def children_rss(pid: int) -> float:
    """Total VmRSS (MB) of the processes whose parent is ``pid``, and theirs (workers)."""
    total, parents = 0.0, {pid}
    for _ in range(3):  # the forkserver, then its workers
        found = set()
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
            if int(fields.get("PPid", "0").strip()) in parents and "VmRSS" in fields:
                child = int(status.parent.name)
                if child not in parents:
                    found.add(child)
                    total += int(fields["VmRSS"].split()[0]) * 1024 / 1e6
        if not found:
            break
        parents |= found
    return total


def run_to_convergence(page) -> None:
    """Click Run to convergence and wait until the run (maybe a background job) ends."""
    ui.click(page, ui.button(page, "Run to convergence"), timeout=180_000)
    page.get_by_role("button", name="Stop", exact=True).wait_for(state="detached", timeout=180_000)
    ui.wait_for_app_idle(page, timeout=60_000)


def one_session(browser, url: str, n: int, seed: int | None, converge: bool):
    page = ui.open_app(browser, url)
    generate(page, n)
    if seed is not None:
        type_number(page, "Data seed", seed)
    for _ in range(3):
        ui.click(page, ui.button(page, "Step (E+M)"), timeout=60_000)
    if converge:
        run_to_convergence(page)
    assert not ui.exceptions(page), ui.exceptions(page)
    return page


def measure(root: Path, sessions: int, n: int, distinct: bool, idle_wait: float) -> dict:
    from playwright.sync_api import sync_playwright

    streamlit_server.REPO_ROOT = root  # the server runs that checkout's app.py
    log_dir = Path(tempfile.mkdtemp(prefix="bench-sessions-memory-"))
    pages = []
    with (
        streamlit_server.streamlit_server(log_dir) as server,
        sync_playwright() as playwright,
    ):
        pid = server.process.pid
        browser = ui.launch_chromium(playwright)
        try:
            empty = status_mb(pid, "VmRSS")
            after = [empty]
            for i in range(sessions):
                pages.append(
                    one_session(browser, server.url, n, i + 1 if distinct else None, i % 2 == 1)
                )
                time.sleep(1.0)
                after.append(status_mb(pid, "VmRSS"))
                print(f"session {i + 1}: server RSS {after[-1]:.0f} MB", flush=True)
            result = {  # the first session also imports the app: counted apart
                "empty": empty,
                "first": after[1],
                "increments": [b - a for a, b in itertools.pairwise(after[1:])],
                "total": after[-1],
                "peak": status_mb(pid, "VmHWM"),
                "workers": children_rss(pid),
            }
            if idle_wait > 0:
                time.sleep(idle_wait)
                result["idle"] = status_mb(pid, "VmRSS")
            else:
                result["idle"] = float("nan")
            return result
        finally:
            for page in pages:
                page.context.close()
            browser.close()


def row(label: str, data: str, sessions: int, r: dict) -> str:
    median, worst = statistics.median(r["increments"]), max(r["increments"])
    return (
        f"| {label} | {data} | {sessions} | {r['first']:.0f} | {median:.1f} | {worst:.1f} | "
        f"{r['total']:.0f} | {r['peak']:.0f} | {r['idle']:.0f} | {r['workers']:.0f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--distinct", action="store_true", help="other data in each session")
    parser.add_argument("--idle-wait", type=float, default=80.0)
    parser.add_argument("--doc", metavar="LABEL", help="add the figures to the doc")
    args = parser.parse_args()
    r = measure(args.root.resolve(), args.sessions, args.n, args.distinct, args.idle_wait)
    data = f"{'distinct' if args.distinct else 'the same'} n = {args.n:,}"
    line = row(args.doc or str(args.root), data, args.sessions, r)
    print()
    print(HEADER)
    print(line)
    if args.doc:
        command = "python benchmarks/bench_sessions_memory.py [--root /work/main] [--distinct]"
        add_rows(DOC, SECTION, HEADER, [line], command)
        print(f"\nadded to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
