#!/usr/bin/env python3
"""Executes notebooks with the real Rust kernel (evcxr) through Jupyter's own client, and checks
every cell.

A run fails when a cell errors, panics ("panicked at"), writes to stderr (that is where evcxr
prints an `Err` returned through `?`), shows an `Err(..)` value, or when a tagged cell lacks its
output:

- `figure`: a PNG image; every PNG it shows (the image/png and the dense one in its HTML
  `<img>`) at most 250 kB;
- `sweep`: an HTML player (a `Sweep`): a range slider, the `data-frames` frames it declares as
  `data:image/png;base64` images that decode as PNG, and, with scripts removed (as in an
  untrusted notebook), a visible image and a visible line on how to enable the slider; no
  image/png copy of that visible frame; at most 2 MB in all;
- `animation`: a GIF89a with more than one frame, as image/gif or as the `data:image/gif`
  source of an HTML `<img>` (a dense GIF shown at its logical size).

A cell whose metadata has `expect_stderr` must instead print exactly one line to stderr
containing that text (a demonstrated error) — and the cells after it must still run; one with
`expect_text` (a text or a list of texts) must show each. Progress lines that long work prints
while it runs go to stdout and pass. A notebook written back must be at most 2 MB.

The notebooks under notebooks/ and experiment/ run here with progress lines off
(`SCORELAB_PROGRESS=0`): they carry timings that change on every run, and they are for the
reader watching a live cell, not for saved outputs. So a run reproduces those committed notebooks
exactly, and a run without --inplace checks that it does: every code cell's outputs must equal
the committed ones (run `make notebooks` and commit after changing what a notebook shows).

    run_notebooks.py [--inplace] [NOTEBOOK ...]

Without NOTEBOOK, runs every notebook under notebooks/, experiment/ and tests/kernel/. With
--inplace, writes the outputs back (refreshing the committed notebooks); otherwise the executed
copies go to target/notebooks/.
"""
import argparse
import base64
import binascii
import html.parser
import os
import queue
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIRS = ["notebooks", "experiment", "tests/kernel"]
# The notebooks whose outputs are committed (`make notebooks` writes them); tests/kernel's are not.
COMMITTED_OUTPUT_DIRS = ("notebooks", "experiment")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FIGURE_LIMIT_BYTES = 250_000
SWEEP_LIMIT_BYTES = 2_000_000
NOTEBOOK_LIMIT_BYTES = 2_000_000
DATA_PNG = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]*)")
DATA_GIF = re.compile(r"data:image/gif;base64,([A-Za-z0-9+/=]*)")


class DrainingClient(NotebookClient):
    """nbclient, but after a cell's idle status it keeps reading that cell's output for a moment.

    evcxr forwards the child process's stdout and stderr from a separate thread, so a line printed
    just before a cell finishes (such as the error message of a `?`) can reach the client after
    the kernel reported idle; plain nbclient would drop it and an error would go unseen.
    """

    drain_seconds = 0.3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.idle_at = {}

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        self.idle_at[cell_index] = time.perf_counter()
        while True:
            try:
                msg = await self.kc.iopub_channel.get_msg(timeout=self.drain_seconds)
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass


def stream_text(cell, name):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.name == name)


def rich_outputs(cell):
    return [o for o in cell.outputs if o.output_type in ("execute_result", "display_data")]


def check_cell(cell):
    """The problems with one executed code cell, as sentences."""
    problems = []
    stderr = stream_text(cell, "stderr")
    stdout = stream_text(cell, "stdout")
    plain = "".join(str(o.get("data", {}).get("text/plain", "")) for o in rich_outputs(cell))
    for o in cell.outputs:
        if o.output_type == "error":
            problems.append(f"error {o.get('ename', '')}: {o.get('evalue', '')}".strip())
    if "panicked at" in stderr + stdout:
        problems.append("panicked: " + (stderr + stdout).strip()[:300])
    expected = cell.metadata.get("expect_stderr")
    if expected:
        lines = [line for line in stderr.splitlines() if line.strip()]
        if len(lines) != 1 or expected not in lines[0]:
            problems.append(f"expected one stderr line containing {expected!r}, got {stderr!r}")
    elif stderr.strip():
        problems.append("wrote to stderr: " + stderr.strip()[:300])
    expected_texts = cell.metadata.get("expect_text", [])
    for expected_text in [expected_texts] if isinstance(expected_texts, str) else expected_texts:
        if expected_text not in stdout + plain:
            problems.append(f"expected output containing {expected_text!r}, got {(stdout + plain)!r}")
    if re.search(r"\bErr\(", stdout + plain):
        problems.append("shows an Err value: " + (stdout + plain).strip()[:300])
    return problems + check_tagged_outputs(cell)


def decode_b64(text):
    """The bytes of a base64 payload, or None if it is not valid base64."""
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def output_bytes(output):
    """Size of an output's data, all MIME types together, as stored in the notebook."""
    return sum(len(v if isinstance(v, str) else "".join(v)) for v in output.get("data", {}).values())


class VisibleParts(html.parser.HTMLParser):
    """What an untrusted JupyterLab shows of a page: scripts removed, and elements hidden only by an
    inline `display:none` (its sanitizer drops the `hidden` attribute but keeps `style`)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, hidden) of the open elements
        self.images = []
        self.text = []
        self.visible_inputs = []
        self.in_script = False

    def hidden(self):
        return any(h for _, h in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.in_script = True
        if tag == "img" and not self.hidden():
            self.images.append(attrs.get("src", ""))
        if tag == "input" and not self.hidden():
            self.visible_inputs.append(attrs)
        if tag not in self.VOID:
            style = attrs.get("style") or ""
            self.stack.append((tag, bool(re.search(r"display\s*:\s*none", style))))

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.in_script and not self.hidden():
            self.text.append(data)


def check_sweep_html(page):
    """The problems with a sweep player's HTML, as sentences."""
    problems = []
    if not re.search(r'<input\b[^>]*\btype="range"', page):
        problems.append("sweep has no <input type=\"range\"> slider")
    declared = re.search(r'data-frames="(\d+)"', page)
    frames = DATA_PNG.findall(page)
    if not declared:
        problems.append("sweep does not declare its frame count (data-frames)")
    elif int(declared.group(1)) < 2 or len(frames) != int(declared.group(1)):
        problems.append(f"sweep declares {declared.group(1)} frames but holds {len(frames)} PNG images")
    bad = [i for i, f in enumerate(frames) if not (decode_b64(f) or b"").startswith(PNG_MAGIC)]
    if bad:
        problems.append(f"sweep frames {bad[:5]} are not PNG")
    parts = VisibleParts()
    parts.feed(re.sub(r"<script\b.*?</script>", "", page, flags=re.S | re.I))
    parts.close()
    if not any(src.startswith("data:image/png;base64,") for src in parts.images):
        problems.append("sweep shows no image without scripts")
    text = " ".join(" ".join(parts.text).split())
    if "trust" not in text.lower():
        problems.append("sweep does not say, without scripts, how to enable the slider (trust)")
    if any(i.get("type") == "range" for i in parts.visible_inputs):
        problems.append("sweep shows a slider that cannot work without scripts")
    return problems


def gif_frame_count(raw):
    """Number of images in a GIF, or None if `raw` is not a well-formed GIF89a."""
    if not raw.startswith(b"GIF89a") or len(raw) < 13:
        return None
    pos = 13
    if raw[10] & 0x80:
        pos += 3 * (2 << (raw[10] & 7))
    frames = 0

    def skip_sub_blocks(pos):
        while pos < len(raw) and raw[pos] != 0:
            pos += raw[pos] + 1
        return pos + 1

    while pos < len(raw):
        block = raw[pos]
        if block == 0x3B:
            return frames
        if block == 0x21:
            pos = skip_sub_blocks(pos + 2)
        elif block == 0x2C:
            if pos + 10 > len(raw):
                return None
            flags = raw[pos + 9]
            pos += 10
            if flags & 0x80:
                pos += 3 * (2 << (flags & 7))
            pos = skip_sub_blocks(pos + 1)
            frames += 1
        else:
            return None
    return None


def check_tagged_outputs(cell):
    """The problems with the outputs a cell's tags ask for."""
    problems = []
    tags = cell.metadata.get("tags", [])
    outputs = rich_outputs(cell)
    if "figure" in tags:
        pngs = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
        if not pngs:
            problems.append("figure cell shows no image/png")
        for b64 in pngs:
            raw = decode_b64(b64) or b""
            if not raw.startswith(PNG_MAGIC):
                problems.append("image/png output is not a PNG")
            if len(raw) > FIGURE_LIMIT_BYTES:
                problems.append(f"figure is {len(raw)} bytes, over the {FIGURE_LIMIT_BYTES} limit")
        for o in outputs:
            page = o.get("data", {}).get("text/html")
            page = page if isinstance(page, str) else "".join(page or [])
            for b64 in DATA_PNG.findall(page):
                raw = decode_b64(b64) or b""
                if len(raw) > FIGURE_LIMIT_BYTES:
                    problems.append(f"dense figure is {len(raw)} bytes, over the {FIGURE_LIMIT_BYTES} limit")
    if "sweep" in tags:
        players = [o for o in outputs if "text/html" in o.get("data", {})]
        if not players:
            problems.append("sweep cell shows no text/html player")
        for o in players:
            page = o["data"]["text/html"]
            problems += check_sweep_html(page if isinstance(page, str) else "".join(page))
            fallback = o["data"].get("image/png")
            if fallback is not None and "".join(fallback).strip() in "".join(page):
                problems.append("sweep output stores its visible frame twice (image/png copies the player's <img>)")
            if output_bytes(o) > SWEEP_LIMIT_BYTES:
                problems.append(f"sweep output is {output_bytes(o)} bytes, over the {SWEEP_LIMIT_BYTES} limit")
    if "animation" in tags:
        gifs = [o["data"]["image/gif"] for o in outputs if "image/gif" in o.get("data", {})]
        for o in outputs:
            page = o.get("data", {}).get("text/html")
            gifs += DATA_GIF.findall(page if isinstance(page, str) else "".join(page or []))
        if not gifs:
            problems.append("animation cell shows no image/gif")
        for b64 in gifs:
            frames = gif_frame_count(decode_b64(b64) or b"")
            if frames is None:
                problems.append("image/gif output is not a well-formed GIF89a")
            elif frames < 2:
                problems.append(f"animation has {frames} frame(s), needs more than 1")
    return problems


def check_notebook_size(size):
    if size > NOTEBOOK_LIMIT_BYTES:
        return [f"notebook is {size} bytes, over the {NOTEBOOK_LIMIT_BYTES} limit"]
    return []


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def comparable_outputs(cell):
    """A code cell's outputs without what legitimately changes between runs (execution counts,
    the model id of a live figure's widgets)."""
    kept = []
    for output in cell.get("outputs", []):
        output = {k: v for k, v in output.items() if k not in ("execution_count", "metadata")}
        if "text" in output:
            output["text"] = "".join(output["text"]) if isinstance(output["text"], list) else output["text"]
        if "data" in output:
            output["data"] = {
                mime: "".join(value) if isinstance(value, list) else value for mime, value in output["data"].items()
            }
            if WIDGET_VIEW in output["data"]:  # a live figure's controls: a new model each run
                output["data"][WIDGET_VIEW] = {**output["data"][WIDGET_VIEW], "model_id": ""}
        kept.append(output)
    return kept


def reproduction_problems(committed, executed):
    """Cells whose outputs differ from the committed notebook's, each with the first difference."""
    ours = [c for c in committed.cells if c.cell_type == "code"]
    theirs = [c for c in executed.cells if c.cell_type == "code"]
    if len(ours) != len(theirs):
        return [f"{len(theirs)} code cells ran, the committed notebook has {len(ours)}"]
    problems = []
    for index, (old, new) in enumerate(zip(ours, theirs)):
        old, new = comparable_outputs(old), comparable_outputs(new)
        if old == new:
            continue
        detail = f"{len(new)} outputs, committed {len(old)}"
        for a, b in zip(old, new):
            if a != b:
                kinds = sorted(set(a.get("data", {})) | set(b.get("data", {}))) or [a.get("name", a["output_type"])]
                detail = f"its {'/'.join(kinds)} output differs"
                if "text" in a and "text" in b:
                    detail += f": committed {a['text'][:80]!r}, now {b['text'][:80]!r}"
                break
        problems.append(
            f"code cell {index} ({first_line(new_source(executed, index))}) does not reproduce the committed "
            f"notebook: {detail} (run `make notebooks` and commit)"
        )
    return problems


def new_source(nb, code_index):
    return [c for c in nb.cells if c.cell_type == "code"][code_index].source


def first_line(source):
    line = source.strip().splitlines()[0] if source.strip() else ""
    return line if len(line) <= 70 else line[:67] + "..."


def run(path, inplace):
    print(f"== {path.relative_to(ROOT)}", flush=True)
    nb = nbformat.read(path, as_version=4)
    started = {}

    def on_start(cell, cell_index, **_):
        started[cell_index] = time.perf_counter()

    def on_done(cell, cell_index, **_):
        # From the request to the kernel's idle status: what a reader waits for.
        end = client.idle_at.get(cell_index, time.perf_counter())
        seconds = end - started.get(cell_index, end)
        print(f"  cell {cell_index:2d} {seconds:7.2f} s  {first_line(cell.source)}", flush=True)

    client = DrainingClient(
        nb,
        kernel_name="rust",
        timeout=1800,
        startup_timeout=120,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=on_start,
        on_cell_executed=on_done,
    )
    committed = nbformat.read(path, as_version=4)
    reproduced = path.relative_to(ROOT).parts[0] in COMMITTED_OUTPUT_DIRS
    # Inherited by the kernel's worker: no progress lines in committed outputs (see above); the
    # kernel's own test notebooks check that progress shows, as it does for a reader.
    if reproduced:
        os.environ["SCORELAB_PROGRESS"] = "0"
    else:
        os.environ.pop("SCORELAB_PROGRESS", None)
    problems = []
    try:
        client.execute()
    except CellExecutionError as err:
        problems.append(f"execution stopped: {str(err)[:600]}")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            problems += [f"cell {index}: {p}" for p in check_cell(cell)]
    if not inplace and not problems and reproduced:
        problems += reproduction_problems(committed, nb)
    out = path if inplace else ROOT / "target/notebooks" / path.relative_to(ROOT)
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)
    problems += check_notebook_size(out.stat().st_size)
    for p in problems:
        print(f"  FAIL {p}", flush=True)
    return not problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inplace", action="store_true", help="write outputs back into the notebooks")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    paths = [p.resolve() for p in args.notebooks] or sorted(
        p for d in DEFAULT_DIRS for p in (ROOT / d).glob("*.ipynb") if not p.name.startswith(".")
    )
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    failed = [p for p in paths if not run(p, args.inplace)]
    print(f"{len(paths) - len(failed)} of {len(paths)} notebooks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
