#!/usr/bin/env python3
"""Executes notebooks with the real Rust kernel (evcxr) through Jupyter's own client, and checks
every cell.

A run fails when a cell errors, panics ("panicked at"), writes to stderr (that is where evcxr
prints an `Err` returned through `?`), shows an `Err(..)` value, or, when tagged `figure`, shows
no PNG image. A cell whose metadata has `expect_stderr` must instead print exactly one line to
stderr containing that text (a demonstrated error) — and the cells after it must still run;
one with `expect_text` must show that text.

    run_notebooks.py [--inplace] [NOTEBOOK ...]

Without NOTEBOOK, runs every notebook under notebooks/, experiment/ and tests/kernel/. With
--inplace, writes the outputs back (refreshing the committed notebooks); otherwise the executed
copies go to target/notebooks/.
"""
import argparse
import base64
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
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
FIGURE_LIMIT_BYTES = 150_000


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
    expected_text = cell.metadata.get("expect_text")
    if expected_text is not None and expected_text not in stdout + plain:
        problems.append(f"expected output containing {expected_text!r}, got {(stdout + plain)!r}")
    if re.search(r"\bErr\(", stdout + plain):
        problems.append("shows an Err value: " + (stdout + plain).strip()[:300])
    if "figure" in cell.metadata.get("tags", []):
        pngs = [o["data"]["image/png"] for o in rich_outputs(cell) if "image/png" in o.get("data", {})]
        if not pngs:
            problems.append("figure cell shows no image/png")
        for b64 in pngs:
            raw = base64.b64decode(b64)
            if not raw.startswith(PNG_MAGIC):
                problems.append("image/png output is not a PNG")
            if len(raw) > FIGURE_LIMIT_BYTES:
                problems.append(f"figure is {len(raw)} bytes, over the {FIGURE_LIMIT_BYTES} limit")
    return problems


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
    problems = []
    try:
        client.execute()
    except CellExecutionError as err:
        problems.append(f"execution stopped: {str(err)[:600]}")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            problems += [f"cell {index}: {p}" for p in check_cell(cell)]
    if inplace:
        nbformat.write(nb, path)
    else:
        out = ROOT / "target/notebooks" / path.relative_to(ROOT)
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, out)
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
