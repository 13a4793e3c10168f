"""set_first_cell.py turns a notebook's `:dep scorelab` cell into the project kernel's form, once."""
import shutil
import tempfile
import unittest
from pathlib import Path

import nbformat

from set_first_cell import ROOT, main

OLD = ':dep scorelab = { path = "../crate" }\nuse scorelab::prelude::*;\nuse scorelab::studies;'


def notebook(first):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell(first),
                nbformat.v4.new_code_cell("let x = 1;")]
    return nb


class SetFirstCell(unittest.TestCase):
    def setUp(self):
        # Inside the repository, so the relative path to crate/ is a real one.
        (ROOT / "target").mkdir(exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(dir=ROOT / "target"))
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, first, sub="notebooks"):
        path = self.dir / sub / "n.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook(first), path)
        return path

    def first_cell(self, path):
        return nbformat.read(path, as_version=4).cells[1].source

    def test_dep_line_becomes_a_comment_and_the_uses_stay(self):
        path = self.write(OLD)
        self.assertEqual(main([str(path)]), 0)
        lines = self.first_cell(path).splitlines()
        crate = "../../../crate"  # target/<tmp>/notebooks -> crate
        self.assertEqual(lines[0], f"// scorelab: the crate in {crate}, prebuilt by `make setup` for the project's kernel.")
        self.assertEqual(lines[1], f'// In a plain evcxr kernel, write instead: :dep scorelab = {{ path = "{crate}" }}')
        self.assertEqual(lines[2], ':dep scorelab = { path = "../../../kernel/scorelab" }')
        self.assertEqual(lines[3:], ["use scorelab::prelude::*;", "use scorelab::studies;"])

    def test_idempotent(self):
        path = self.write(OLD)
        main([str(path)])
        once = path.read_bytes()
        main([str(path)])
        self.assertEqual(path.read_bytes(), once)

    def test_path_follows_the_notebook(self):
        path = self.write(OLD, sub="a/b")
        main([str(path)])
        self.assertIn(':dep scorelab = { path = "../../../../kernel/scorelab" }', self.first_cell(path))

    def test_other_cells_untouched(self):
        path = self.write(OLD)
        main([str(path)])
        self.assertEqual(nbformat.read(path, as_version=4).cells[2].source, "let x = 1;")

    def test_a_notebook_without_scorelab_is_left_alone(self):
        path = self.write("let y = 2;")
        before = path.read_bytes()
        self.assertEqual(main([str(path)]), 0)
        self.assertEqual(path.read_bytes(), before)


if __name__ == "__main__":
    unittest.main()
