"""``python -m gmm`` as a user runs it: in a subprocess, reading its output and exit code."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gmm import load_faithful
from gmm.cli import main
from gmm.data import Dataset
from gmm.figures.packing import from_text, unpack
from gmm.run import RunSettings
from gmm.selection import aic, bic, n_parameters
from gmm.sweep import fit_sweep

ROOT = Path(__file__).resolve().parents[2]


DATA = re.compile(r'<script id="gmm-data" type="application/octet-stream" data-bytes="(\d+)">')


def gmm_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m gmm ARGS`` with this checkout's gmm, its output as text."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "gmm", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=300,
    )


def value(stdout: str, label: str) -> float:
    """The number after ``label:`` on its line."""
    line = next(line for line in stdout.splitlines() if line.startswith(f"{label}:"))
    return float(line.split(":", 1)[1].split()[0])


@pytest.fixture
def csv_file(tmp_path) -> Path:
    rng = np.random.default_rng(0)
    rows = np.r_[rng.normal(0, 1, (60, 3)), rng.normal(6, 1, (60, 3))]
    path = tmp_path / "blobs.csv"
    lines = ["height,weight,age,label"] + [f"{a:.6f},{b:.6f},{c:.6f},x" for a, b, c in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------- help
@pytest.mark.parametrize("command", [[], ["fit"], ["select"], ["animate"]])
def test_every_command_has_help(command):
    result = gmm_cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: python -m gmm {' '.join(command)}".rstrip())
    assert result.stderr == ""
    if command:
        assert "--k" in result.stdout and "--builtin" in result.stdout


def test_no_command_prints_the_commands_and_fails_as_usage():
    result = gmm_cli()
    assert result.returncode == 2
    assert all(name in result.stderr for name in ("fit", "select", "animate"))


# ----------------------------------------------------------------------- fit
def test_fit_prints_what_the_engine_computes_and_writes_the_run(tmp_path):
    out = tmp_path / "run.json"
    result = gmm_cli("fit", "--builtin", "old-faithful", "--k", "2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    dataset = Dataset.from_frame("Old Faithful", load_faithful())
    settings = RunSettings(n_components=2)
    stepper = settings.start(dataset.X)
    stepper.run()
    log_likelihood = stepper.current.log_likelihood
    p = n_parameters(2, 2, "full")
    assert value(result.stdout, "log-likelihood") == pytest.approx(log_likelihood, abs=1e-6)
    assert value(result.stdout, "BIC") == pytest.approx(bic(log_likelihood, p, 272), abs=1e-4)
    assert value(result.stdout, "AIC") == pytest.approx(aic(log_likelihood, p), abs=1e-4)
    assert "μ eruptions" in result.stdout and "converged ✓" in result.stdout
    run = json.loads(out.read_text(encoding="utf-8"))
    assert run["format"] == "gmm-explorer-run/1"
    assert len(run["snapshots"]) == len(stepper.snapshots)
    assert run["settings"] == settings.to_dict()
    assert run["snapshots"][-1]["log_likelihood"] == pytest.approx(log_likelihood, abs=1e-9)


def test_fit_reads_a_csv_with_chosen_columns_standardised(csv_file):
    result = gmm_cli(
        "fit", str(csv_file), "--k", "2", "--columns", "weight,age", "--standardise",
        "--covariance", "diag", "--init", "random_from_data", "--seed", "4",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "columns weight × age, standardised" in result.stdout
    assert "diag (axis-aligned) covariances, init random_from_data, seed 4" in result.stdout
    assert "Note:" in result.stdout  # the text column the loader dropped, in its words
    dataset = Dataset.from_frame("blobs", load_csv_frame(csv_file), columns=("weight", "age"))
    settings = RunSettings(2, "diag", "random_from_data", seed=4)
    stepper = settings.start(dataset.with_standardisation(True).X)
    stepper.run()
    expected = stepper.current.log_likelihood
    assert value(result.stdout, "log-likelihood") == pytest.approx(expected, abs=1e-6)


def load_csv_frame(path: Path):
    from gmm.data import load_csv

    return load_csv(path)[0]


def test_progress_goes_to_stderr_when_asked():
    result = gmm_cli("fit", "--builtin", "old-faithful", "--k", "2", "--progress")
    assert result.returncode == 0
    assert "EM iterations: 0 of 100" in result.stderr
    assert "EM iterations" not in result.stdout


# -------------------------------------------------------------------- select
def test_select_prints_the_table_and_the_engines_choice():
    result = gmm_cli(
        "select", "--builtin", "old-faithful", "--k", "1-3", "--covariance", "full,tied",
        "--restarts", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    X = Dataset.from_frame("Old Faithful", load_faithful()).X
    sweep = fit_sweep(X, [1, 2, 3], ["full", "tied"], n_restarts=1)
    rows = [line.split() for line in result.stdout.splitlines() if line[:3].strip().isdigit()]
    assert [(int(r[0]), r[1]) for r in rows] == [
        (k, c) for k in (1, 2, 3) for c in ("full", "tied")
    ]
    for row, expected in zip(rows, sweep.rows):
        assert float(row[4]) == pytest.approx(expected.bic, abs=1e-3)
        assert float(row[5]) == pytest.approx(expected.aic, abs=1e-3)
    best = sweep.best("bic")
    assert f"Choice by BIC: K = {best.n_components}, {best.covariance_type}" in result.stdout
    assert "Choice by AIC: K =" in result.stdout


# ------------------------------------------------------------------- animate
def test_animate_writes_one_self_contained_page(tmp_path):
    out = tmp_path / "em.html"
    result = gmm_cli(
        "animate", "--builtin", "old-faithful", "--k", "2", "--standardise", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "EM on Old Faithful: K = 2" in page
    assert 'id="gmm-data"' in page and "src=" not in page
    assert f"Wrote {out}" in result.stdout


def test_animate_draws_one_column_as_the_1d_view(tmp_path):
    out = tmp_path / "em.html"
    result = gmm_cli(
        "animate", "--builtin", "old-faithful", "--columns", "eruptions", "--k", "2",
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "columns eruptions" in result.stdout and f"Wrote {out}" in result.stdout
    page = out.read_text(encoding="utf-8")
    found = DATA.search(page)
    end = page.index("</script>", found.end())
    _, manifest, arrays = unpack(from_text(page[found.end() : end], int(found.group(1))))
    assert manifest["dim"] == 1 and manifest["n_points"] == 272
    assert arrays["factors"].size == 3 * 2 * len(manifest["axes"])  # μ, σ², π per set
    roles = [t.get("meta", {}).get("role") for t in manifest["figure"]["data"]]
    assert roles.count("mixture") == 1 and roles.count("histogram") == 1


def test_animate_draws_three_columns_as_the_3d_view(tmp_path):
    out = tmp_path / "em.html"
    result = gmm_cli(
        "animate", "--builtin", "iris", "--columns", "sepal_length,sepal_width,petal_length",
        "--k", "3", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    found = DATA.search(page)
    end = page.index("</script>", found.end())
    _, manifest, arrays = unpack(from_text(page[found.end() : end], int(found.group(1))))
    assert manifest["dim"] == 3 and manifest["n_points"] == 150
    assert arrays["z"].size == 150 and arrays["factors"].size % (3 * 12) == 0
    roles = [t.get("meta", {}).get("role") for t in manifest["figure"]["data"]]
    assert roles.count("ellipsoid") == 3 * 2 and roles.count("mean") == 3


# ----------------------------------------------------------------- bad input
BAD = [
    # (arguments, exit code, words in the one line on stderr)
    (["fit", "nope.csv", "--k", "2"], 1, "Could not open nope.csv"),
    (["fit", "--builtin", "iris"], 2, "required: --k"),
    (["fit", "--builtin", "iris", "--k", "two"], 2, "'two' is not a whole number"),
    (["fit", "--builtin", "iris", "--k", "0"], 2, "must be 1 or more"),
    (["fit", "--builtin", "iris", "--k", "2", "--covariance", "round"], 2, "invalid choice"),
    (["fit", "--builtin", "atlantis", "--k", "2"], 2, "invalid choice: 'atlantis'"),
    (["fit", "--k", "2"], 2, "give a CSV file or --builtin NAME, one of them"),
    (["fit", "--builtin", "iris", "--k", "2", "--columns", "petal_length,nose"], 1, "'nose'"),
    (["fit", "--builtin", "iris", "--k", "151"], 1, "Lower K"),
    (["fit", "--builtin", "iris", "--k", "2", "--seed", "-3"], 1, "seed"),
    (["fit", "--builtin", "iris", "--k", "2", "--tol", "-1"], 1, "tol"),
    (["select", "--builtin", "iris", "--k", "8-2"], 2, "low to high"),
    (["select", "--builtin", "iris", "--k", "1-x"], 2, "is not a K range"),
    (["select", "--builtin", "iris", "--k", "1-2", "--covariance", "full,odd"], 2, "choose among"),
    (["animate", "--builtin", "iris", "--k", "2"], 2, "required: --out"),
    (
        [
            "animate",
            "--builtin",
            "iris",
            "--k",
            "2",
            "--columns",
            "petal_width,petal_length,sepal_width,sepal_length",
            "--out",
            "a.html",
        ],
        2,
        "draws one to three columns, not 4",
    ),
    (["frobnicate"], 2, "invalid choice: 'frobnicate'"),
    (
        ["fit", "--builtin", "iris", "--k", "2", "--out", "/no/such/folder/run.json"],
        1,
        "Could not write",
    ),
]


def one_line(stderr: str) -> str:
    """The one line a failure writes on stderr, with no traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("python -m gmm")
    return lines[0]


@pytest.mark.parametrize(("arguments", "code", "words"), BAD, ids=lambda a: str(a)[:40])
def test_bad_input_is_one_line_on_stderr_and_an_exit_code(
    arguments, code, words, tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(arguments) == code
    captured = capsys.readouterr()
    assert words in one_line(captured.err)
    assert captured.out == ""


@pytest.mark.parametrize("case", [0, 2, 7, 11], ids=lambda i: " ".join(BAD[i][0]))
def test_a_process_exits_with_the_code_and_the_line(case, tmp_path):
    arguments, code, words = BAD[case]
    result = gmm_cli(*arguments, cwd=tmp_path)
    assert result.returncode == code
    assert words in one_line(result.stderr)


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02binary\xff" * 50, b"name,city\nann,paris\nbob,rome\n", b"<html></html>"],
    ids=["empty", "binary", "no numbers", "html"],
)
def test_files_that_are_not_numeric_tables_get_the_apps_message(content, tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    result = gmm_cli("fit", str(path), "--k", "2")
    assert result.returncode == 1
    one_line(result.stderr)
    assert result.stdout == ""


def test_a_reader_that_leaves_early_gets_no_traceback():
    """``python -m gmm select ... | head -1``: the pipe closes, the command stops quietly."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "gmm", "select", "--builtin", "iris", "--k", "1-2"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    process.stdout.close()  # gone before the command writes its table
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=300) == 1
    assert stderr == ""
