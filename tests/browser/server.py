"""Start and stop ``streamlit run app.py`` the way Streamlit's own e2e tests do.

Used by the browser tests (``tests/browser/conftest.py``) and by
``benchmarks/bench_browser_latency.py``::

    with streamlit_server(log_dir) as server:
        page.goto(server.url)

The server runs headless on a free port with the file watcher off, its output goes to a
file (a pipe nobody reads would eventually block it), and it is always stopped
(terminate, then kill) when the ``with`` block ends, whatever happened inside.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = 60.0  # seconds until /_stcore/health must answer "ok"
PORT_ATTEMPTS = 3  # another process may take the free port before Streamlit binds it


class ServerStartError(RuntimeError):
    """The server did not come up; the message holds its log."""


@dataclass(frozen=True)
class Server:
    port: int
    log_path: Path
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}/"

    def log(self) -> str:
        return read_log(self.log_path)


def free_port() -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_log(path: Path, limit: int = 20_000) -> str:
    try:
        text = Path(path).read_text(errors="replace")
    except OSError as error:
        return f"<no log: {error}>"
    return text if len(text) <= limit else "…" + text[-limit:]


STREAMLIT = (sys.executable, "-m", "streamlit")


def command(port: int, launcher: tuple[str, ...] = STREAMLIT) -> list[str]:
    """The command line, as Streamlit's e2e tests start an app.

    ``launcher`` replaces ``python -m streamlit``, e.g. with a wrapper that times each
    script run (``benchmarks/bench_browser_latency.py``). Usage statistics are left to
    ``.streamlit/config.toml``, so that the browser tests check the app as it ships
    (``test_nothing_is_fetched_from_another_host``).
    """
    return [
        *launcher,
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.fileWatcherType",
        "none",
    ]


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://localhost:{port}/_stcore/health", timeout=2
        ) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate the server; kill it if it has not exited after ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=grace)


def _start_once(
    log_path: Path, timeout: float, launcher: tuple[str, ...]
) -> tuple[Server | None, str]:
    """One attempt on one port: (server, "") or (None, why it failed)."""
    port = free_port()
    log_file = open(log_path, "w")  # noqa: SIM115 - handed to the child, closed below
    try:
        process = subprocess.Popen(
            command(port, launcher),
            cwd=REPO_ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    finally:
        log_file.close()  # the child holds its own copy of the descriptor
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return None, (
                    f"streamlit exited with code {process.returncode} before "
                    f"answering on port {port}"
                )
            if _healthy(port) and process.poll() is None:
                return Server(port, log_path, process), ""
            time.sleep(0.25)
    except BaseException:  # e.g. Ctrl-C while waiting: never leave the server behind
        stop(process)
        raise
    stop(process)
    return None, f"no 'ok' from http://localhost:{port}/_stcore/health in {timeout:.0f} s"


def start(
    log_dir: Path, timeout: float = STARTUP_TIMEOUT, launcher: tuple[str, ...] = STREAMLIT
) -> Server:
    """Start the app and wait until it answers; raise ServerStartError with the log."""
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    reasons = []
    for attempt in range(1, PORT_ATTEMPTS + 1):
        log_path = log_dir / f"streamlit-{attempt}.log"
        server, why = _start_once(log_path, timeout, launcher)
        if server is not None:
            return server
        log = read_log(log_path)
        reasons.append(f"attempt {attempt}: {why}\n--- {log_path} ---\n{log}")
        if "is not available" not in log:  # only a lost port race is worth retrying
            break
    raise ServerStartError("The Streamlit server did not start.\n\n" + "\n\n".join(reasons))


@contextlib.contextmanager
def streamlit_server(
    log_dir: Path, timeout: float = STARTUP_TIMEOUT, launcher: tuple[str, ...] = STREAMLIT
):
    """``start`` the server, yield it, and always stop it."""
    server = start(log_dir, timeout, launcher)
    try:
        yield server
    finally:
        stop(server.process)
