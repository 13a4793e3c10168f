#!/usr/bin/env python3
"""A live figure in a real browser: JupyterLab with ipywidgets, an untrusted notebook, the mouse.

On a hand-made notebook with one live cell (`scorelab::Live`, two sliders, the 1-D panels), opened
untrusted in JupyterLab and run with Run All Cells in the project's kernel:

1. the controls show (two sliders) and no prompt covers the notebook; the server logged its kernel
   websockets with TCP_NODELAY on (kernel/server/scorelab_websocket.py);
2. dragging the mean slider with the mouse (press, several moves, release) changes the image while
   dragging, and the last image equals the figure a plain cell draws for the slider's final
   value (the exact value is read from the saved notebook's output metadata, then that cell is
   run in the same kernel; the frame is deflated for speed and the cell's figure for size, so
   their filtered rows are compared, which are equal when the pixels are);
3. a weight outside the mixture's range shows the error under the sliders, the image keeps its
   last good frame, and a good value afterwards clears the error and draws again;
4. the saved notebook holds the last frame (the image shown) in place of the first.

    test_live.py

Screenshots go to target/browser/ (live-*.png). Exit status 1 if any check fails.
"""
import base64
import json
import re
import sys
import time
from pathlib import Path

from fixtures import code_cell, notebook
from test_jupyterlab import HandMadeCheck, log, main_hand_made

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from png_image import png_parts  # noqa: E402

sys.path.insert(0, str(ROOT / "kernel"))
import live  # noqa: E402

LIVE_CELL = """Live::new()
    .slider("mean μ₁", -4.0..=4.0, 2.0)
    .slider("weight w₁", 0.05..=1.5, 0.5)
    .show(|v| {
        let w = v.number("weight w₁")?;
        let gm = GaussianMixture::new_1d(&[w, 1.0 - w], &[v.number("mean μ₁")?, -2.0], &[1.0, 1.0])?;
        Curves1d::new(&gm, -6.0..=6.0).render()
    })?"""
LIVE_INDEX = 3  # the intro, two set-up cells, then the live cell
DIRECT_INDEX = 4


def live_notebook():
    return notebook([
        code_cell(':dep scorelab = { path = "../kernel/scorelab" }\nuse scorelab::prelude::*;'),
        # evcxr shows the first final expression compiled against scorelab as text only (it
        # does so for any figure): a statement using the crate goes first, as in the notebooks.
        code_cell("let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;"),
        code_cell(LIVE_CELL),
        code_cell("// replaced by the test with the direct render"),
    ], intro="A live figure: drag the sliders.")


def direct_cell(mean, weight):
    return (f"{{ let gm = GaussianMixture::new_1d(&[{weight!r}, 1.0 - {weight!r}], &[{mean!r}, -2.0], "
            f"&[1.0, 1.0])?; Curves1d::new(&gm, -6.0..=6.0).render()? }}")


JS_LIVE_IMAGE = """(cell) => { const img = cell.querySelector('.jp-OutputArea-output img');
  return img ? img.src : null; }"""
# A frame's logical width is its `width` attribute (from the metadata; the cell may show it
# narrower): a draft has one pixel per logical pixel, the sharp frame two.
JS_IS_SHARP = "(img) => img.naturalWidth > Number(img.getAttribute('width'))"
JS_LIVE_SHARP = f"""(cell) => {{ const img = cell.querySelector('.jp-OutputArea-output img');
  return Boolean(img && img.complete && ({JS_IS_SHARP})(img)); }}"""
# Counts the drafts shown in the cell, looking once per animation frame, until JS_DRAFTS_SHOWN.
JS_COUNT_DRAFTS = f"""(cell) => {{ const seen = window.scorelabDrafts = {{count: 0, on: true}}; let last = null;
  const look = () => {{ const img = cell.querySelector('.jp-OutputArea-output img');
    if (img && img.complete && img.naturalWidth > 0 && img.src !== last) {{
      last = img.src; if (!({JS_IS_SHARP})(img)) seen.count++; }}
    if (seen.on) requestAnimationFrame(look); }};
  requestAnimationFrame(look); }}"""
JS_DRAFTS_SHOWN = "() => { window.scorelabDrafts.on = false; return window.scorelabDrafts.count; }"
JS_ERROR_LINE = """(cell) => { const e = cell.querySelector('.widget-html-content');
  return e ? e.textContent : null; }"""
JS_SET_SOURCE = """([index, source]) => { const nb = window.jupyterapp.shell.currentWidget.content;
  nb.widgets[index].model.sharedModel.setSource(source); nb.activeCellIndex = index; }"""


def shown_png(data):
    """The PNG a front end shows for a frame bundle: the dense one of an `<img>` in text/html if
    there is one (JupyterLab prefers HTML), else image/png (the kernel's retina form of a
    figure: the dense PNG, sized by the metadata)."""
    text = lambda value: "".join(value) if isinstance(value, list) else value  # noqa: E731
    match = re.search(r'src="(data:image/png;base64,[^"]*)"', text(data.get("text/html", "")))
    return png_bytes(match.group(1)) if match else base64.b64decode(text(data["image/png"]))


def png_bytes(src):
    match = re.match(r"data:image/png;base64,(.*)", src or "", re.S)
    return base64.b64decode(match.group(1)) if match else None


class LiveCheck(HandMadeCheck):
    INDEX, KIND, WAIT_S = LIVE_INDEX, "live", 30
    CHECK_PROMPT = True

    def image(self):
        return self.page.evaluate(JS_LIVE_IMAGE, self.cell(LIVE_INDEX).element_handle())

    def settled_sharp(self, quiet_s=0.6):
        """Whether the frame shown is sharp and stayed the same for `quiet_s` (longer than the
        rest after which the sharp frame is drawn); polls for up to `quiet_s`."""
        cell = self.cell(LIVE_INDEX).element_handle()
        first = self.image()
        deadline = time.monotonic() + quiet_s
        while time.monotonic() < deadline:
            if self.image() != first or not self.page.evaluate(JS_LIVE_SHARP, cell):
                return False
            self.page.wait_for_timeout(100)
        return True

    def error_line(self):
        return self.page.evaluate(JS_ERROR_LINE, self.cell(LIVE_INDEX).element_handle())

    def saved(self):
        """The notebook as saved by JupyterLab (File > Save)."""
        self.page.keyboard.press("Control+s")
        self.page.wait_for_timeout(1500)
        return json.loads((self.lab.root_dir / self.served_path).read_text())

    def drag(self, handle, dx_total, steps):
        box = handle.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        self.page.mouse.move(x, y)
        self.page.mouse.down()
        seen = {self.image()}
        for k in range(1, steps + 1):
            self.page.mouse.move(x + dx_total * k / steps, y, steps=3)
            self.page.wait_for_timeout(120)
            seen.add(self.image())
        self.page.mouse.up()
        return len(seen) - 1  # images seen while dragging, besides the first

    def check(self):
        cell = self.cell(LIVE_INDEX)
        sliders = cell.locator(".widget-slider")
        if not self.wait(lambda: sliders.count() == 2, "two sliders did not show", 60):
            self.shot("live-no-sliders")
            return
        first = self.image()
        self.shot("live-first", cell)
        # 1b. the server's kernel websocket sends each message at once: with Nagle's algorithm on,
        # the idle status ipywidgets waits for before the next slider value sat up to 40 ms.
        nodelay = re.findall(r"kernel websocket \S+: TCP_NODELAY (\d+)", self.lab.log_path.read_text())
        log(f"   kernel websockets' TCP_NODELAY: {nodelay}")
        if not nodelay or "0" in nodelay:
            self.problem(LIVE_INDEX, "live", f"a kernel websocket without TCP_NODELAY ({nodelay})")
        # 2. drag the mean slider to the left with the mouse
        handle = cell.locator(".widget-slider .noUi-handle, .widget-slider .ui-slider-handle").first
        started = time.monotonic()
        changes = self.drag(handle, -150, 10)
        log(f"   drag: {changes} new images while dragging ({time.monotonic() - started:.1f} s)")
        if changes < 2:
            self.problem(LIVE_INDEX, "live", f"the image changed {changes} times while dragging")
        self.page.wait_for_timeout(1000)  # the last frame after the release
        dragged = self.image()
        if dragged == first:
            self.problem(LIVE_INDEX, "live", "the image did not change after the drag")
        self.shot("live-dragged", cell)
        nb = self.saved()
        outputs = nb["cells"][LIVE_INDEX]["outputs"]
        frame = next((o for o in outputs if "image/png" in o.get("data", {})), None)
        if frame is None:
            self.problem(LIVE_INDEX, "live", "the saved notebook has no frame")
            return
        values = frame.get("metadata", {}).get("scorelab", {}).get("live_values", {})
        if shown_png(frame["data"]) != png_bytes(dragged):
            self.problem(LIVE_INDEX, "live", "the saved notebook does not hold the last frame shown")
        log(f"   final values {values}")
        self.page.evaluate(JS_SET_SOURCE, [DIRECT_INDEX, direct_cell(values["mean μ₁"], values["weight w₁"])])
        self.page.keyboard.press("Escape")
        self.cell(DIRECT_INDEX).click()
        self.page.keyboard.press("Shift+Enter")
        direct = self.wait(lambda: self.page.evaluate(JS_LIVE_IMAGE, self.cell(DIRECT_INDEX).element_handle()),
                           "the direct render showed no image", 300)
        if direct and png_parts(png_bytes(direct)) != png_parts(png_bytes(dragged)):
            self.problem(LIVE_INDEX, "live", "the last frame differs from the direct render for the same values")
        elif direct:
            log("   the last frame holds the direct render's pixels")
        # 3. an error value, then a good one (the weight slider: its readout is editable)
        weight = cell.locator(".widget-slider").nth(1).locator(".widget-readout")
        weight.click()
        self.page.keyboard.press("Control+a")
        self.page.keyboard.type("1.2")
        self.page.keyboard.press("Enter")
        line = self.wait(lambda: self.error_line(), "no error under the sliders for weight 1.2")
        log(f"   weight 1.2 -> {line!r}")
        self.shot("live-error", cell)
        if self.image() != dragged:
            self.problem(LIVE_INDEX, "live", "an error replaced the last good frame")
        # A change within REST_SECONDS of the one before counts as a slider moving and is drawn
        # as a draft first; a reader types slower than that, and so does this check.
        self.page.wait_for_timeout(2000 * live.REST_SECONDS)
        weight.click()
        self.page.keyboard.press("Control+a")
        self.page.evaluate(JS_COUNT_DRAFTS, cell.element_handle())
        self.page.keyboard.type("0.3")
        self.page.keyboard.press("Enter")
        self.wait(lambda: self.image() != dragged, "a good value after the error drew nothing")
        self.wait(lambda: not self.error_line(), "the error stayed after a good value")
        self.wait(self.settled_sharp, "no sharp frame once the controls rested")
        drafts = self.page.evaluate(JS_DRAFTS_SHOWN)
        log(f"   weight typed 0.3 -> {drafts} drafts shown")
        if drafts:
            self.problem(LIVE_INDEX, "live", f"a lone typed value showed {drafts} drafts before its sharp frame")
        self.shot("live-recovered", cell)
        # 4. saved: the last frame
        nb = self.saved()
        frame = next(o for o in nb["cells"][LIVE_INDEX]["outputs"] if "image/png" in o.get("data", {}))
        if shown_png(frame["data"]) != png_bytes(self.image()):
            self.problem(LIVE_INDEX, "live", "the saved notebook does not hold the last frame after the error")


def main():
    return main_hand_made(live_notebook(), "live", LiveCheck, "live", "live figure in the browser")


if __name__ == "__main__":
    sys.exit(main())
