#!/usr/bin/env python3
"""Rewrites the first code cell of notebooks for the project's kernel (kernel/start.py): the
`:dep scorelab = { path = "../crate" }` line becomes `:dep scorelab = { path = "../kernel/scorelab" }`
(the crate prebuilt by `make setup`), under a comment saying so and what to write in a plain
evcxr kernel; the cell's other lines (`use ...`) stay.

    set_first_cell.py NOTEBOOK ...

Idempotent: a cell already in the new form is left as it is. The path in the comment is the
notebook's own relative path to crate/.
"""
import os
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DEP_LINE = re.compile(r"^\s*:dep\s+scorelab\b.*$")
HEADER = re.compile(r"^// (scorelab: |In a plain evcxr kernel)")


def header(notebook):
    def relative(path):
        return Path(os.path.relpath(ROOT / path, notebook.resolve().parent)).as_posix()

    crate = relative("crate")
    return [
        f"// scorelab: the crate in {crate}, prebuilt by `make setup` for the project's kernel.",
        f'// In a plain evcxr kernel, write instead: :dep scorelab = {{ path = "{crate}" }}',
        f':dep scorelab = {{ path = "{relative("kernel/scorelab")}" }}',
    ]


def rewrite(source, notebook):
    """The first cell's new source."""
    body = [line for line in source.splitlines() if not DEP_LINE.match(line) and not HEADER.match(line)]
    return "\n".join(header(notebook) + body)


def main(paths):
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        cell = next((c for c in nb.cells if c.cell_type == "code"), None)
        if cell is None:
            print(f"{path}: no code cell", file=sys.stderr)
            return 1
        if "use scorelab" not in cell.source and not DEP_LINE.match(cell.source.splitlines()[0] if cell.source else ""):
            print(f"{path}: the first code cell does not load scorelab; left as it is", file=sys.stderr)
            continue
        new = rewrite(cell.source, path)
        if new != cell.source:
            cell.source = new
            nbformat.write(nb, path)
            print(f"{path}: first cell rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
