"""The project's checkers flag each way a notebook cell or a Markdown link can go wrong."""
import base64
import unittest

import nbformat

from run_notebooks import check_cell

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 100).decode()


def cell(outputs, **metadata):
    c = nbformat.v4.new_code_cell("x")
    c.outputs = [nbformat.from_dict(o) for o in outputs]
    c.metadata.update(metadata)
    return c


def stderr(text):
    return {"output_type": "stream", "name": "stderr", "text": text}


def result(data):
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": data}


class CheckCell(unittest.TestCase):
    def test_good_figure_cell_passes(self):
        self.assertEqual(check_cell(cell([result({"image/png": PNG})], tags=["figure"])), [])

    def test_error_output_fails(self):
        c = cell([{"output_type": "error", "ename": "Error", "evalue": "bad", "traceback": []}])
        self.assertIn("error", check_cell(c)[0])

    def test_panic_fails(self):
        self.assertTrue(any("panicked" in p for p in check_cell(cell([stderr("thread panicked at src/lib.rs")]))))

    def test_err_printed_by_question_mark_fails(self):
        self.assertIn("stderr", check_cell(cell([stderr("invalid Gaussian mixture: ...\n")]))[0])

    def test_err_value_fails(self):
        self.assertIn("Err", check_cell(cell([result({"text/plain": "Err(Empty)"})]))[0])

    def test_figure_cell_without_image_fails(self):
        self.assertIn("no image/png", check_cell(cell([], tags=["figure"]))[0])

    def test_figure_that_is_not_png_fails(self):
        bad = base64.b64encode(b"GIF89a").decode()
        self.assertIn("not a PNG", check_cell(cell([result({"image/png": bad})], tags=["figure"]))[0])

    def test_oversized_figure_fails(self):
        big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 200_000).decode()
        self.assertIn("limit", check_cell(cell([result({"image/png": big})], tags=["figure"]))[0])

    def test_expected_error_must_appear_once(self):
        self.assertEqual(check_cell(cell([stderr("weights sum to 0.9\n")], expect_stderr="sum to 0.9")), [])
        self.assertTrue(check_cell(cell([], expect_stderr="sum to 0.9")))
        self.assertTrue(check_cell(cell([stderr("a\nweights sum to 0.9\n")], expect_stderr="sum to 0.9")))

    def test_expected_text(self):
        self.assertEqual(check_cell(cell([result({"text/plain": "2"})], expect_text="2")), [])
        self.assertTrue(check_cell(cell([result({"text/plain": "3"})], expect_text="2")))


if __name__ == "__main__":
    unittest.main()


class CheckLinks(unittest.TestCase):
    def test_missing_target_is_reported(self):
        import tempfile
        from pathlib import Path

        import check_links

        (check_links.ROOT / "target").mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=check_links.ROOT / "target") as tmp:
            page = Path(tmp) / "page.md"
            (Path(tmp) / "there.png").write_bytes(b"")
            page.write_text("![ok](there.png) [gone](missing.md) [web](https://example.org) [a](#x)")
            problems = check_links.broken_links(page)
        self.assertEqual(len(problems), 1)
        self.assertIn("missing.md", problems[0])
