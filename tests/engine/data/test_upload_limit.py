"""The largest file the app reads: the loader's limit, the upload box's and the message."""

import io
import tomllib
from pathlib import Path

import pytest

from gmm.data import MAX_FILE_MB, MAX_ROWS, load_csv
from gmm.errors import DataError

CONFIG = Path(__file__).resolve().parents[3] / ".streamlit" / "config.toml"


def test_the_upload_box_takes_what_the_loader_reads():
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_FILE_MB


def test_a_larger_file_is_refused_with_what_to_do():
    text = "a,b\n" + "1.5,2.5\n" * 2_000  # 16 kB
    with pytest.raises(DataError) as refused:
        load_csv(io.BytesIO(text.encode()), max_megabytes=0.01)
    message = str(refused.value)
    assert "the app reads files of up to 0.01 MB" in message
    assert "Save only the columns you need, or a random sample of the rows" in message
    assert f"EM uses at most {MAX_ROWS:,}" in message
    frame, _ = load_csv(io.BytesIO(text.encode()), max_megabytes=0.1)
    assert frame.shape == (2_000, 2)
