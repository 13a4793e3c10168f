"""The project's checkers flag each way a notebook cell or a Markdown link can go wrong."""
import base64
import unittest

import nbformat

from run_notebooks import check_cell, check_notebook_size, gif_frame_count, reproduction_problems

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 100).decode()
NOT_PNG = base64.b64encode(b"GIF89a" + b"\0" * 100).decode()


def gif(frames):
    """A 1 x 1 GIF89a with `frames` frames."""
    head = b"GIF89a" + bytes([1, 0, 1, 0, 0x80, 0, 0]) + bytes(6)
    frame = bytes([0x21, 0xF9, 4, 0, 10, 0, 0, 0]) + bytes([0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 1, 0])
    return head + frame * frames + b";"


def player(frames=3, declared=None, frame=PNG, img=True, note=True, controls_hidden=True, extra=""):
    """Sweep-player HTML shaped like the crate's, with one part optionally broken."""
    declared = frames if declared is None else declared
    shown = f'<img src="data:image/png;base64,{frame}">' if img else ""
    hidden = ' style="display:none"' if controls_hidden else ""
    text = "To move through the frames, trust this notebook." if note else "Frame 2."
    others = ",".join(f'"data:image/png;base64,{frame}"' for _ in range(frames - 1))
    return (
        f'<div data-frames="{declared}">{shown}<div id="c"{hidden}><button>Play</button>'
        f'<input type="range" min="0" max="{frames - 1}"></div><p id="n">{text}</p>'
        f"<script>var frames = [{others}, null];</script>{extra}</div>"
    )


def sweep_cell(page, png=None):
    data = {"text/html": page}
    if png is not None:
        data["image/png"] = png
    return cell([result(data)], tags=["sweep"])


def cell(outputs, **metadata):
    c = nbformat.v4.new_code_cell("x")
    c.outputs = [nbformat.from_dict(o) for o in outputs]
    c.metadata.update(metadata)
    return c


def stderr(text):
    return {"output_type": "stream", "name": "stderr", "text": text}


def stdout(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


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
        big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 250_001).decode()
        self.assertIn("limit", check_cell(cell([result({"image/png": big})], tags=["figure"]))[0])
        fits = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 200_000).decode()
        self.assertEqual(check_cell(cell([result({"image/png": fits})], tags=["figure"])), [])

    def test_oversized_dense_figure_in_html_fails(self):
        small = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
        big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 250_001).decode()
        html = f'<img src="data:image/png;base64,{big}" width="300" height="200">'
        out = result({"text/html": html, "image/png": small})
        self.assertIn("dense figure", check_cell(cell([out], tags=["figure"]))[0])

    def test_expected_error_must_appear_once(self):
        self.assertEqual(check_cell(cell([stderr("weights sum to 0.9\n")], expect_stderr="sum to 0.9")), [])
        self.assertTrue(check_cell(cell([], expect_stderr="sum to 0.9")))
        self.assertTrue(check_cell(cell([stderr("a\nweights sum to 0.9\n")], expect_stderr="sum to 0.9")))

    def test_expected_text(self):
        self.assertEqual(check_cell(cell([result({"text/plain": "2"})], expect_text="2")), [])
        self.assertTrue(check_cell(cell([result({"text/plain": "3"})], expect_text="2")))

    def test_every_expected_text_must_appear(self):
        shown = cell([stdout("ULA: 10 steps in 2 s\n"), result({"text/plain": "11"})], expect_text=["steps in", "11"])
        self.assertEqual(check_cell(shown), [])
        shown.metadata["expect_text"] = ["steps in", "12"]
        self.assertTrue(any("'12'" in p for p in check_cell(shown)))


# What the crate prints while a long run goes on (crate/src/progress.rs).
PROGRESS = (
    "Note: interrupting the Rust kernel ends its worker process and loses every variable of the notebook. "
    "This cell stops by itself; scorelab refuses sizes that would run for minutes or exhaust memory before starting.\n"
    "ULA: 12 288 of 60 000 000 steps (0 %), 1 s so far, about 3 min 20 s left\n"
    "ULA: 60 000 000 steps in 3 s\n"
)


class CheckProgress(unittest.TestCase):
    def test_progress_lines_pass(self):
        self.assertEqual(check_cell(cell([stdout(PROGRESS), result({"image/png": PNG})], tags=["figure"])), [])

    def test_an_error_after_progress_still_fails(self):
        problems = check_cell(cell([stdout(PROGRESS), stderr("Langevin dynamics diverged at step 3\n")]))
        self.assertTrue(any("stderr" in p for p in problems))

    def test_a_panic_after_progress_still_fails(self):
        problems = check_cell(cell([stdout(PROGRESS + "thread '<unnamed>' panicked at src/lib.rs:1:1\n")]))
        self.assertTrue(any("panicked" in p for p in problems))

    def test_progress_does_not_count_as_the_expected_error(self):
        problems = check_cell(cell([stdout(PROGRESS)], expect_stderr="out of range"))
        self.assertTrue(any("expected one stderr line" in p for p in problems))


class CheckSweep(unittest.TestCase):
    def test_good_player_passes(self):
        self.assertEqual(check_cell(sweep_cell(player())), [])

    def test_sweep_cell_without_html_fails(self):
        self.assertIn("no text/html", check_cell(cell([result({"image/png": PNG})], tags=["sweep"]))[0])

    def test_player_without_slider_fails(self):
        page = player().replace('type="range"', 'type="number"')
        self.assertTrue(any("slider" in p for p in check_cell(sweep_cell(page))))

    def test_frame_count_must_match_what_is_declared(self):
        self.assertTrue(any("declares 4 frames" in p for p in check_cell(sweep_cell(player(declared=4)))))
        page = player().replace(' data-frames="3"', "")
        self.assertTrue(any("frame count" in p for p in check_cell(sweep_cell(page))))

    def test_frames_must_be_png(self):
        self.assertTrue(any("not PNG" in p for p in check_cell(sweep_cell(player(frame=NOT_PNG)))))

    def test_player_without_a_static_image_fails(self):
        problems = check_cell(sweep_cell(player(img=False)))
        self.assertTrue(any("no image without scripts" in p for p in problems))

    def test_player_without_trust_note_fails(self):
        problems = check_cell(sweep_cell(player(note=False)))
        self.assertTrue(any("how to enable" in p for p in problems))

    def test_hidden_note_does_not_count(self):
        page = player().replace('<p id="n">', '<p id="n" style="display: none">')
        self.assertTrue(any("how to enable" in p for p in check_cell(sweep_cell(page))))

    def test_slider_visible_without_scripts_fails(self):
        problems = check_cell(sweep_cell(player(controls_hidden=False)))
        self.assertTrue(any("cannot work without scripts" in p for p in problems))

    def test_player_storing_its_visible_frame_twice_fails(self):
        self.assertTrue(any("twice" in p for p in check_cell(sweep_cell(player(), png=PNG))))

    def test_player_with_a_different_fallback_png_passes(self):
        other = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\1" * 100).decode()
        self.assertEqual(check_cell(sweep_cell(player(), png=other)), [])

    def test_oversized_player_fails(self):
        page = player(extra="<!--" + "x" * 2_000_000 + "-->")
        self.assertTrue(any("2000000 limit" in p for p in check_cell(sweep_cell(page))))


class CheckAnimation(unittest.TestCase):
    def animation_cell(self, raw):
        return cell([result({"image/gif": base64.b64encode(raw).decode()})], tags=["animation"])

    def test_good_animation_passes(self):
        self.assertEqual(gif_frame_count(gif(3)), 3)
        self.assertEqual(check_cell(self.animation_cell(gif(3))), [])

    def test_animation_as_a_dense_gif_in_html_passes(self):
        b64 = base64.b64encode(gif(3)).decode()
        html = f'<img src="data:image/gif;base64,{b64}" width="280" height="280">'
        self.assertEqual(check_cell(cell([result({"text/html": html})], tags=["animation"])), [])
        one = base64.b64encode(gif(1)).decode()
        html = f'<img src="data:image/gif;base64,{one}" width="280" height="280">'
        self.assertIn("1 frame", check_cell(cell([result({"text/html": html})], tags=["animation"]))[0])

    def test_animation_cell_without_gif_fails(self):
        self.assertIn("no image/gif", check_cell(cell([result({"image/png": PNG})], tags=["animation"]))[0])

    def test_single_frame_fails(self):
        self.assertIn("1 frame", check_cell(self.animation_cell(gif(1)))[0])

    def test_not_a_gif_fails(self):
        self.assertIn("not a well-formed", check_cell(self.animation_cell(b"GIF87a" + gif(2)[6:]))[0])
        self.assertIn("not a well-formed", check_cell(self.animation_cell(gif(2)[:-20]))[0])


class CheckNotebook(unittest.TestCase):
    def test_notebook_size_limit(self):
        self.assertEqual(check_notebook_size(2_000_000), [])
        self.assertIn("limit", check_notebook_size(2_000_001)[0])


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


class UntrustedView(unittest.TestCase):
    def test_hidden_attribute_does_not_hide_controls(self):
        # JupyterLab's sanitizer drops `hidden`: controls hidden that way show up, dead.
        page = player(controls_hidden=False).replace('<div id="c">', '<div id="c" hidden>')
        self.assertTrue(check_cell(sweep_cell(page)))


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("text"), *cells]
    return nb


class Reproduction(unittest.TestCase):
    def test_same_outputs_reproduce_despite_execution_counts(self):
        run = result({"image/png": PNG, "text/plain": "x"})
        again = dict(run, execution_count=7)
        self.assertEqual(reproduction_problems(notebook(cell([run])), notebook(cell([again]))), [])

    def test_changed_text_is_named(self):
        problems = reproduction_problems(notebook(cell([stdout("0.5\n")])), notebook(cell([stdout("0.6\n")])))
        self.assertEqual(len(problems), 1)
        self.assertIn("'0.5\\n'", problems[0])
        self.assertIn("make notebooks", problems[0])

    def test_changed_figure_and_missing_output_fail(self):
        other = result({"image/png": PNG + b"x".hex()})
        self.assertTrue(reproduction_problems(notebook(cell([result({"image/png": PNG})])), notebook(cell([other]))))
        self.assertTrue(reproduction_problems(notebook(cell([stdout("a")])), notebook(cell([]))))

    def test_progress_lines_in_a_committed_notebook_fail(self):
        line = stdout("ULA: 5 of 10 steps (50 %), 1 s so far, about 1 s left\n")
        self.assertTrue(reproduction_problems(notebook(cell([line])), notebook(cell([]))))
