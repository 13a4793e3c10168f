#!/usr/bin/env python3
"""A sweep's player in a real browser shows a frame exactly as the figure drawn alone.

A `Sweep` holds the frame it shows first as a PNG and every other frame as what that frame
changes over it; the player's script composes the two on a canvas. On a hand-made notebook, run
in JupyterLab with the project's kernel (outputs made in the session run their scripts): a sweep
of three frames of the 1-D panels, each with its own axes, and a plain cell drawing the figure of
its first frame. Moving the slider to that frame must show on the canvas exactly the pixels of
the plain cell's PNG. The frame shown before the move (another mean) must differ from them, so
the comparison can fail.

    test_sweep_player.py      (run by `make browser-checks`)

Screenshots go to target/browser/ (sweep-player-*.png). Exit status 1 if any check fails.
"""
import base64
import re
import sys
from pathlib import Path

from fixtures import code_cell, notebook
from test_jupyterlab import HandMadeCheck, log, main_hand_made

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from png_image import decode_png  # noqa: E402

PANELS = """fn panels(mean: f64) -> Result<Figure, PlotError> {
    let gm = GaussianMixture::new_1d(&[1.0], &[mean], &[1.0])?;
    Curves1d::new(&gm, -4.0..=4.0).size(320, 300).render()
}"""
SWEEP_INDEX = 4  # the intro, three set-up cells, then the sweep
DIRECT_INDEX = 5


def sweep_notebook():
    return notebook([
        code_cell(':dep scorelab = { path = "../kernel/scorelab" }\nuse scorelab::prelude::*;'),
        code_cell(PANELS),
        # evcxr shows the first final expression compiled against scorelab as text only: a
        # statement using the crate goes first, as in the notebooks.
        code_cell("let gm = GaussianMixture::new_1d(&[1.0], &[0.0], &[1.0])?;"),
        code_cell('Sweep::new("mean μ", -1.0..=1.0, 3, panels)?.rescale(true)'),
        code_cell("panels(-1.0)?"),
    ], intro="A sweep, and its first frame drawn alone.")


JS_IMAGE = """(cell) => { const img = cell.querySelector('.jp-OutputArea-output img');
  return img && img.complete && img.naturalWidth > 0 ? img.src : null; }"""
JS_CANVAS = """(cell) => { const c = cell.querySelector('.jp-OutputArea-output canvas');
  return c && c.style.display !== 'none' && c.width > 0 ? c.toDataURL('image/png') : null; }"""
JS_MOVE = """(input) => { input.value = '0'; input.dispatchEvent(new Event('input')); }"""


def pixels(url):
    """(width, height, rows) of a `data:image/png;base64,` URL."""
    match = re.match(r"data:image/png;base64,(.*)", url, re.S)
    return decode_png(base64.b64decode(match.group(1)))


def differing(a, b):
    """How many pixels of two images of one size differ; None if the sizes differ."""
    if a[:2] != b[:2]:
        return None
    return sum(p != q for row_a, row_b in zip(a[2], b[2]) for p, q in zip(row_a, row_b))


class SweepCheck(HandMadeCheck):
    INDEX, KIND = SWEEP_INDEX, "sweep"

    def check(self):
        cell = self.cell(SWEEP_INDEX)
        slider = cell.locator('.jp-OutputArea-output input[type="range"]').first
        if not self.wait(lambda: slider.count() and slider.is_visible(), "no working slider"):
            self.shot("sweep-player-no-slider", cell)
            return
        first = self.wait(lambda: self.page.evaluate(JS_IMAGE, cell.element_handle()), "no first frame")
        direct = self.wait(lambda: self.page.evaluate(JS_IMAGE, self.cell(DIRECT_INDEX).element_handle()),
                           "the plain cell showed no figure")
        slider.scroll_into_view_if_needed()
        slider.evaluate(JS_MOVE)
        shown = self.wait(lambda: self.page.evaluate(JS_CANVAS, cell.element_handle()),
                          "no composed frame on the canvas after moving the slider")
        self.shot("sweep-player-frame0", cell)
        if not (first and direct and shown):
            return
        first, direct, shown = pixels(first), pixels(direct), pixels(shown)
        log(f"   canvas {shown[0]}x{shown[1]}, plain figure {direct[0]}x{direct[1]}")
        off = differing(shown, direct)
        if off is None:
            self.problem(SWEEP_INDEX, "sweep", f"the canvas is {shown[0]}x{shown[1]}, the figure "
                         f"{direct[0]}x{direct[1]}")
        elif off:
            self.problem(SWEEP_INDEX, "sweep", f"{off} pixels of the composed frame differ from the figure drawn alone")
        else:
            log("   the composed frame equals the figure drawn alone, pixel for pixel")
        control = differing(first, direct)
        if not control:
            self.problem(SWEEP_INDEX, "sweep", "the first frame shown equals the other frame: the check cannot fail")
        else:
            log(f"   (the frame shown first differs from it in {control} pixels)")


def main():
    return main_hand_made(sweep_notebook(), "sweep", SweepCheck, "sweep-player", "sweep player in the browser")


if __name__ == "__main__":
    sys.exit(main())
