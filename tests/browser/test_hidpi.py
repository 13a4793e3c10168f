#!/usr/bin/env python3
"""A figure is sharp on a high-density screen and keeps its size, in an untrusted notebook.

1. The real Rust kernel (through nbclient, as tools/run_notebooks.py runs it) executes a small
   notebook that draws the port's 1-D figure (curves and text) at 800 x 600, so the output is
   exactly what the kernel shows: the density-2 PNG as image/png, its logical size in the
   output's metadata (kernel/retina.py).
2. JupyterLab opens that notebook untrusted (nothing signs it) in headless Chromium at device
   scale factor 2.
3. Checked on the page: the image is shown at the figure's logical size in CSS pixels (800 x
   600), and a screenshot of it in device pixels matches the density-2 PNG: nearly every
   device pixel equal (a browser that stretched a 1x image, or resampled the dense one,
   would blur its edges and miss that).

Two control outputs, made from the same kernel output's PNGs, prove the checks can fail: the
1x PNG at the same size (what a screen of density 2 showed before: right size, but blurred when
the browser stretches it) must fail the sharpness check, and the density-2 PNG with no size
attached must fail the size check.

    test_hidpi.py        (run by `make browser-checks`)
"""
import base64
import shutil
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError
from playwright.sync_api import sync_playwright

from lab import CHROMIUM, Lab, chromium

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
from png_image import decode_png  # noqa: E402
from run_notebooks import DrainingClient  # noqa: E402

SHOTS = ROOT / "target/browser-shots"
DENSITY = 2
# Device pixels of page around the image in its screenshot, to find where the image sits.
MARGIN = 4
# The figure's cell: the port's 1-D figure, narrow enough for the notebook's column (a wider
# image is scaled to fit it, at any density). evcxr shows a cell's value through its
# `evcxr_display` when the cell is that expression alone.
MIXTURE_CELL = "let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;"
FIGURE_CELL = "Curves1d::new(&gm, -6.0..=6.0).points(1000).size(800, 600).render()?"
FIGURE = 2  # the figure cell's index; the two controls follow it


def log(message):
    print(message, flush=True)


def upscale(image, factor):
    """Each pixel repeated factor x factor times (what the 1x PNG has to offer at density 2)."""
    width, height, rows = image
    out = []
    for row in rows:
        wide = [p for p in row for _ in range(factor)]
        out += [wide] * factor
    return width * factor, height * factor, out


def best_alignment(shot, want, margin):
    """The screenshot, taken `margin` device pixels wider on each side than the image, cut at
    the offset where it matches `want` best (the image may sit at a fraction of a CSS pixel,
    which the browser rounds to a device pixel), and that match."""
    w, h, _ = want
    # Find the offset on a coarse sample of rows first, then measure it on the whole image.
    rows = shot[2]
    best = None
    for dy in range(2 * margin + 1):
        for dx in range(2 * margin + 1):
            cut = (w, h, [r[dx:dx + w] for r in rows[dy:dy + h]])
            score = compare(cut, want, step=7)
            if best is None or score > best[0]:
                best = (score, cut)
    return best[1], compare(best[1], want)


def compare(shot, want, step=1):
    """Of the pixels that are drawn (not white) in either image, the share equal within 8 per
    channel. A stretched 1x image has its edges spread over twice the device pixels and its
    fine detail gone, so it matches far fewer of the density-2 image's drawn pixels than a
    screenshot of that image itself does."""
    (w, h, a), (w2, h2, b) = shot, want
    assert (w, h) == (w2, h2), f"screenshot {w}x{h}, figure {w2}x{h2}"
    white = (255, 255, 255)
    drawn = equal = 0
    for ra, rb in zip(a[::step], b[::step]):
        for pa, pb in zip(ra, rb):
            if pa != white or pb != white:
                drawn += 1
                equal += max(abs(pa[0] - pb[0]), abs(pa[1] - pb[1]), abs(pa[2] - pb[2])) <= 8
    return equal / max(drawn, 1)


def execute_figure_notebook(path):
    """Runs the figure cell in the real kernel; returns its output (the crate's own)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(f':dep scorelab = {{ path = "{ROOT}/kernel/scorelab" }}\nuse scorelab::prelude::*;'),
        nbformat.v4.new_code_cell(MIXTURE_CELL),
        nbformat.v4.new_code_cell(FIGURE_CELL),
    ]
    nb.metadata["kernelspec"] = {"name": "rust", "display_name": "Rust", "language": "rust"}
    client = DrainingClient(nb, kernel_name="rust", timeout=600, startup_timeout=120,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as err:
        raise SystemExit(f"the figure notebook failed in the kernel (stale library? `make setup`):\n{err}")
    cell = nb.cells[FIGURE]
    outputs = [o for o in cell.outputs if o.get("output_type") in ("display_data", "execute_result")]
    assert outputs, f"the figure cell showed nothing: {cell.outputs}"
    return nb, outputs[0]


def downsample(image, factor):
    """Each factor x factor block averaged into one pixel (the figure at one pixel per logical
    pixel, as the crate's `png_1x` makes it)."""
    width, height, rows = image
    out = []
    for y in range(0, height, factor):
        block_rows = rows[y:y + factor]
        out.append([tuple(round(sum(r[x + i][c] for r in block_rows for i in range(factor)) / factor ** 2)
                          for c in range(3)) for x in range(0, width, factor)])
    return width // factor, height // factor, out


def encode_png(image):
    """An RGB PNG of the image (no filter)."""
    width, height, rows = image
    raw = b"".join(b"\0" + bytes(v for p in row for v in p) for row in rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def add_controls(nb, output):
    """Two cells with the same figure shown as it must not be: blurred, and oversized. Returns
    the dense PNG and its logical size."""
    dense = output["data"]["image/png"]
    size = output["metadata"]["image/png"]
    small = encode_png(downsample(decode_png(base64.b64decode(dense)), DENSITY))
    stretched = base64.b64encode(small).decode()
    for source, data, metadata in [
            ("// control: the 1x PNG stretched", {"image/png": stretched}, {"image/png": size}),
            ("// control: the dense PNG without a size", {"image/png": dense}, {})]:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
        nb.cells.append(cell)
    return base64.b64decode(dense), (size["width"], size["height"]), small


def shown_image(page, cell_index):
    """The <img> of a cell's output: its box in CSS pixels, its natural size, and a screenshot
    of it in device pixels."""
    cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(cell_index)
    img = cell.locator(".jp-OutputArea-output img").first
    img.wait_for(timeout=30_000)
    img.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    info = img.evaluate("""img => img.decode().then(() => {
      const r = img.getBoundingClientRect();
      return {x: r.x, y: r.y, width: r.width, height: r.height,
              naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight};
    })""")
    SHOTS.mkdir(parents=True, exist_ok=True)
    # The image's box (CSS pixels) and a margin around it, taken in device pixels.
    m = MARGIN / DENSITY
    clip = {"x": info["x"] - m, "y": info["y"] - m, "width": info["width"] + 2 * m,
            "height": info["height"] + 2 * m}
    shot = page.screenshot(path=str(SHOTS / f"hidpi-cell{cell_index}.png"), clip=clip, animations="disabled")
    return info, decode_png(shot)


def check(page, want_size, dense):
    """The problems of the figure cell and of the two controls after it; each a list of text."""
    problems = {}
    for index in (FIGURE, FIGURE + 1, FIGURE + 2):
        info, shot = shown_image(page, index)
        found = []
        if (round(info["width"]), round(info["height"])) != want_size:
            found.append(f"shown {info['width']}x{info['height']} CSS px, not {want_size[0]}x{want_size[1]}")
        else:
            _, same = best_alignment(shot, dense, MARGIN)
            if same < 0.97:
                found.append(f"blurred: only {same:.1%} of device pixels match the density-2 PNG")
            log(f"  cell {index}: {info['width']:.0f}x{info['height']:.0f} CSS px at "
                f"({info['x']}, {info['y']}), natural {info['naturalWidth']}x{info['naturalHeight']}, "
                f"{same:.1%} of device pixels match the density-2 PNG")
        problems[index] = found
    return problems


def main():
    if not Path(CHROMIUM).exists():
        log(f"{CHROMIUM} is missing: run `make browser-setup`")
        return 1
    started = time.monotonic()
    outside = Path(tempfile.mkdtemp(prefix="scorelab-hidpi-"))
    inside = Path(tempfile.mkdtemp(prefix="browser-hidpi-", dir=ROOT))
    try:
        path = inside / "hidpi.ipynb"
        nb, output = execute_figure_notebook(path)
        # One PNG, sized by the output's metadata (the kernel's retina form), no HTML copy.
        assert "text/html" not in output["data"], sorted(output["data"])
        assert "image/png" in output.get("metadata", {}), output.get("metadata")
        dense_png, want_size, fallback_png = add_controls(nb, output)
        dense = decode_png(dense_png)
        small = decode_png(fallback_png)
        assert (dense[0], dense[1]) == (DENSITY * want_size[0], DENSITY * want_size[1])
        log(f"kernel output: {len(dense_png)} bytes at density 2 ({dense[0]}x{dense[1]}), "
            f"{len(fallback_png)} bytes at 1x ({time.monotonic() - started:.0f} s)")
        # What the stretched 1x PNG can at best look like: the sharpness check must tell.
        log(f"  (the 1x PNG repeated 2x2 matches {compare(upscale(small, DENSITY), dense):.1%} of it)")
        nbformat.write(nb, path)
        with Lab(ROOT, outside) as lab, sync_playwright() as playwright, \
                chromium(playwright, outside / "profile", device_scale_factor=DENSITY) as context:
            page = context.new_page()
            rel = path.relative_to(ROOT).as_posix()
            page.goto(f"{lab.url}/lab/workspaces/hidpi/tree/{rel}?token={lab.token}")
            page.wait_for_function("() => window.devicePixelRatio === 2", timeout=30_000)
            page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(FIGURE + 2).wait_for(timeout=90_000)
            trusted = page.evaluate("""() => window.jupyterapp.shell.currentWidget.content.widgets
                .some(c => c.model.type === 'code' && c.model.trusted)""")
            if trusted:
                log("FAIL the notebook opened trusted; the untrusted view is not what is checked")
                return 1
            problems = check(page, want_size, dense)
    finally:
        shutil.rmtree(inside, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)
    failed = 0
    expect = {FIGURE: None, FIGURE + 1: "blurred", FIGURE + 2: "shown"}
    for index, found in problems.items():
        want = expect[index]
        ok = not found if want is None else any(p.startswith(want) for p in found)
        failed += not ok
        what = "figure" if want is None else f"control (must be reported {want})"
        log(f"{'ok  ' if ok else 'FAIL'} cell {index} {what}: {'; '.join(found) or 'sharp, right size'}")
    log(f"hidpi check took {time.monotonic() - started:.0f} s; screenshots in {SHOTS.relative_to(ROOT)}/")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
