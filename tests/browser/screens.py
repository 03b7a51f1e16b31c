"""Screenshots of the Explore page at the screen sizes a class meets, for ``docs/screens/``.

    python tests/browser/screens.py               # writes docs/screens/*.png
    python tests/browser/screens.py --out /tmp/s  # somewhere else

Starts ``streamlit run app.py`` (``server.py``), opens it in Debian's Chromium at
1024×768, 1366×768, 1400×900 and 1920×1080, takes the teacher's first steps on Old
Faithful (Step, Step, Next: E-step: "Iteration 3 · after the E-step") and saves the
window as a 256-colour PNG; at 1024×768 also with the sidebar closed, as on a projector.
It prints the main chart's and the curve's size at each, and whether the chart fits in
the window (``docs/screens/README.md`` keeps what it printed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import server as streamlit_server  # noqa: E402
from conftest import (  # noqa: E402
    SIZES,
    button,
    click,
    launch_chromium,
    live_chart_box,
    open_app,
    set_sidebar,
    truncated_buttons,
)

OUT = HERE.parents[1] / "docs" / "screens"


def teacher_steps(page) -> None:
    """Two full iterations, then one E-step: the phase, the curve and a formula on show."""
    click(page, button(page, "Step (E+M)"))
    click(page, button(page, "Step (E+M)"))
    click(page, button(page, "Next: E-step"))


def save(page, path: Path) -> None:
    """The window without a tooltip or focus ring, as a 256-colour PNG."""
    from PIL import Image

    page.evaluate("document.activeElement && document.activeElement.blur()")
    size = page.viewport_size
    page.mouse.move(size["width"] - 2, size["height"] - 2)
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))
    with Image.open(path) as image:
        image.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(
            path, optimize=True
        )


def measure(page, name: str) -> str:
    chart, curve = live_chart_box(page, "points"), live_chart_box(page, "loglik_line")
    size = page.viewport_size
    fits = chart["y"] + chart["height"] <= size["height"]
    cut = [b["text"] for b in truncated_buttons(page)]
    return (
        f"{name:<28} chart {chart['width']:.0f}×{chart['height']:.0f} at "
        f"({chart['x']:.0f}, {chart['y']:.0f}){'' if fits else ' (below the fold)'} · "
        f"curve {curve['width']:.0f}×{curve['height']:.0f} at "
        f"({curve['x']:.0f}, {curve['y']:.0f}) · truncated buttons: {cut or 'none'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    log_dir = Path("test-artifacts") / "screens-server"
    with streamlit_server.streamlit_server(log_dir) as server, sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            for size in SIZES:
                page = open_app(chromium, server.url, viewport=size)
                teacher_steps(page)
                name = f"explore-{size['width']}x{size['height']}"
                save(page, out / f"{name}.png")
                print(measure(page, name))
                if size["width"] == 1024:
                    set_sidebar(page, False)
                    name += "-no-sidebar"
                    save(page, out / f"{name}.png")
                    print(measure(page, name))
                page.context.close()
        finally:
            chromium.close()


if __name__ == "__main__":
    main()
