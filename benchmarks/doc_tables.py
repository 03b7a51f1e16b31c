"""Rows added to a table in its own section of a doc, for benchmarks that measure one
configuration per run (e.g. ``main``'s checkout, then this one)."""

from __future__ import annotations

from pathlib import Path


def add_rows(doc: Path, section: str, header: str, lines: list[str], command: str) -> None:
    """Add ``lines`` below the last row of the table under ``section`` in ``doc``.

    Parameters
    ----------
    doc : Path
        The Markdown file; created if missing.
    section : str
        The section's heading line (``"## ..."``); created at the end of the file,
        with the command and the table's ``header``, if it is not there yet.
    header : str
        The table's header and separator lines, as they appear in the file.
    lines : list of str
        Table rows.
    command : str
        How the figures were measured, shown once above the table.
    """
    text = doc.read_text() if doc.exists() else "# Browser latency\n"
    if section not in text:
        text = text.rstrip() + f"\n\n{section}\n\nMeasured with\n\n```bash\n{command}\n```\n\n"
        text += header + "\n"
    table_end = text.index(header, text.index(section)) + len(header)
    while text.startswith("\n|", table_end):  # after the table's last row
        table_end = text.index("\n", table_end + 1)
    doc.write_text(text[:table_end] + "".join("\n" + line for line in lines) + text[table_end:])
