"""Hand-made notebooks that prove the browser test catches what it claims to catch."""
import base64
import json
import secrets
import struct
import zlib



def png(width, height, pixel):
    """A PNG (RGB) whose pixel (x, y) is pixel(x, y)."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def frame_png(k, n):
    """Frame k of n: a light panel with a blue bar whose position moves with k."""
    left = 10 + k * (200 // max(1, n - 1))

    def pixel(x, y):
        return (40, 90, 200) if left <= x < left + 40 and 10 <= y < 70 else (235, 238, 245)

    return base64.b64encode(png(260, 80, pixel)).decode()


def sweep_html(uid, frames, script="works"):
    """The shape of a Sweep output: a static first frame (all a reader sees when scripts are
    stripped), controls hidden with style="display:none" (JupyterLab's sanitizer keeps that; it
    drops the `hidden` attribute), and an inline script that shows the controls and swaps the
    frame's src as the range input moves. script: "works", "no-listener" (shows the controls but
    never swaps the frame) or "none"."""
    srcs = [f"data:image/png;base64,{f}" for f in frames]
    body = (
        "var root = document.getElementById('%s');"
        "var frames = %s;"
        "var img = root.querySelector('img');"
        "var input = root.querySelector('input');"
        "var label = root.querySelector('span');"
        "root.querySelector('.controls').style.display = '';"
    ) % (uid, json.dumps(srcs))
    listener = (
        "input.addEventListener('input', function () {"
        " img.src = frames[Number(input.value)]; label.textContent = 'frame ' + input.value; });"
    )
    scripts = {
        "works": f"<script>(function () {{ {body}{listener} }})();</script>",
        "no-listener": f"<script>(function () {{ {body} }})();</script>",
        "none": "",
    }
    return (
        f'<div id="{uid}" class="sweep">'
        f'<img src="{srcs[0]}" alt="frame 0" width="260" height="80">'
        f'<div class="controls" style="display:none">'
        f'<input type="range" min="0" max="{len(frames) - 1}" value="0" step="1" style="width: 260px">'
        f" <span>frame 0</span></div>"
        f"{scripts[script]}</div>"
    )


def evcxr_show(mime, content):
    """A Rust cell that shows `content` as `mime` in the evcxr kernel."""
    assert "\n" not in content and '"###' not in content
    return f'println!("EVCXR_BEGIN_CONTENT {mime}\\n{{}}\\nEVCXR_END_CONTENT", r###"{content}"###);'


def code_cell(source, outputs=(), tags=(), count=None, metadata=None):
    meta = dict(metadata or {})
    if tags:
        meta["tags"] = list(tags)
    return {
        "cell_type": "code", "execution_count": count, "id": secrets.token_hex(4),
        "metadata": meta, "outputs": list(outputs), "source": source,
    }


def display(data, count):
    return {"output_type": "execute_result", "execution_count": count, "metadata": {}, "data": data}


def notebook(cells, intro="A hand-made notebook that checks the browser test itself."):
    return {
        "cells": [{"cell_type": "markdown", "id": secrets.token_hex(4), "metadata": {}, "source": intro}] + cells,
        "metadata": {
            "kernelspec": {"display_name": "Rust", "language": "rust", "name": "rust"},
            "language_info": {"name": "Rust", "file_extension": ".rs", "mimetype": "text/rust"},
        },
        "nbformat": 4, "nbformat_minor": 5,
    }


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="260" height="80">'
       '<rect width="260" height="80" fill="#eef"/><circle cx="130" cy="40" r="30" fill="#c33"/></svg>')


def fixtures():
    """(name, notebook, the problems the checker must report as ((cells), kind), run it?, trust it?)"""
    frames = [frame_png(k, 5) for k in range(5)]
    figure = frames[2]
    good_sweep = sweep_html("sweep-good", frames)
    dead_sweep = sweep_html("sweep-dead", frames, script="no-listener")
    scriptless_sweep = sweep_html("sweep-scriptless", frames, script="none")
    good = notebook([
        code_cell("let answer = 6 * 7;", count=1),
        code_cell(evcxr_show("image/png", figure), [display({"image/png": figure}, 2)], ["figure"], 2),
        code_cell(evcxr_show("text/html", good_sweep), [display({"text/html": good_sweep}, 3)], ["sweep"], 3),
        code_cell("answer", [display({"text/plain": "42"}, 4)], count=4),
    ])
    broken_cells = [
        # cell 1: the figure's output was removed from the committed notebook
        code_cell(evcxr_show("image/png", figure), [], ["figure"], None),
        # cell 2: a figure committed only as SVG, which JupyterLab withholds when untrusted
        code_cell(evcxr_show("image/svg+xml", SVG), [display({"image/svg+xml": SVG}, 2)], ["figure"], 2),
        # cell 3: a figure cell that, re-run, draws nothing
        code_cell('println!("no figure here");', [display({"image/png": figure}, 3)], ["figure"], 3),
        # cell 4: a slider whose script shows the controls but never swaps the frame
        code_cell(evcxr_show("text/html", dead_sweep), [display({"text/html": dead_sweep}, 4)], ["sweep"], 4),
        # cell 5: a slider without a script: its controls stay hidden
        code_cell(evcxr_show("text/html", scriptless_sweep), [display({"text/html": scriptless_sweep}, 5)],
                  ["sweep"], 5),
        # cell 6: an Err returned through `?` (evcxr prints it to stderr)
        code_cell('let n: i32 = "not a number".parse::<i32>()?;', count=6),
        # cell 7: fine, but evcxr sometimes sends cell 6's stderr late, tagged with this cell's
        # request, and JupyterLab then shows it here
        code_cell("let after = 1;", count=7),
        # cell 8: a cell that does not compile (an error output)
        code_cell('let m: i32 = "not a number";', count=8),
    ]
    broken = notebook(broken_cells)
    # Trust goes by content: the trusted copy must differ from the broken one, or both are trusted.
    trusted = notebook(broken_cells, "The same cells, signed as trusted.")
    broken_planted = [
        ((1,), "untrusted-figure"), ((2,), "untrusted-figure"), ((3,), "run-figure"), ((4,), "slider"),
        ((5,), "slider"), ((6, 7), "error-output"), ((8,), "error-output"),
    ]
    return [
        ("selftest-good", good, [], True, False),
        ("selftest-broken", broken, broken_planted, True, False),
        # Signed as trusted, the SVG shows; the checker must notice it is not the untrusted view.
        ("selftest-trusted", trusted, [((-1,), "trust"), ((1,), "untrusted-figure")], False, True),
    ]


def match_planted(planted, problems):
    """Pairs each planted problem, ((cells it may show at), kind), with one reported problem.
    Returns (planted problems not reported, reported problems not planted)."""
    reported = sorted({(p.cell, p.kind) for p in problems})
    missed = []
    for cells, kind in planted:
        hit = next((r for r in reported if r[1] == kind and r[0] in cells), None)
        if hit is None:
            missed.append((cells, kind))
        else:
            reported.remove(hit)
    return missed, reported
