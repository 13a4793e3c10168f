#!/usr/bin/env python3
"""kernel/live.py against a stand-in for the crate's socket (no Rust, no kernel): frames replace
the first one in place, events are coalesced, a moving slider gets drafts and then the sharp frame,
an error shows under the controls and the next good value clears it, a socket that went away
reads "re-run the cell", a dropped connection is reopened.

Run by `make kernel-checks` with the venv's Python.
"""
import json
import os
import socket
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT / "kernel"))
import live  # noqa: E402
from retina import retina  # noqa: E402

CONTROLS = [
    {"kind": "slider", "name": "mean μ₁", "min": -4.0, "max": 4.0, "step": 0.08, "value": 2.0},
    {"kind": "checkbox", "name": "trajectory", "value": True},
    {"kind": "dropdown", "name": "preset", "options": ["two modes", "three modes"], "value": "two modes"},
]


class FakeCrate:
    """Serves the live protocol on a Unix socket, one connection at a time, as the crate does.
    Each request takes `delay` seconds; a mean above 3 is an error; a draft's PNG reads "draft"."""

    def __init__(self, path, delay=0.0):
        self.path, self.delay = path, delay
        self.requests = []
        self.drafts = []  # (mean, draft, time.monotonic()) of each request
        self.connections = 0
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.connections += 1
            with conn, conn.makefile("rb") as lines:
                for line in lines:
                    request = json.loads(line)
                    values, draft = request["values"], request["draft"]
                    self.requests.append(values)
                    self.drafts.append((values["mean μ₁"], draft, time.monotonic()))
                    time.sleep(self.delay)
                    if values["mean μ₁"] > 3:
                        reply = {"ok": False, "error": f"mean μ₁ = {values['mean μ₁']} is too large"}
                    else:
                        png = f"{'draft' if draft else 'png'} {values['mean μ₁']}"
                        reply = {"ok": True, "data": {"image/png": png},
                                 "metadata": {"image/png": {"width": 320, "height": 300}}}
                    conn.sendall((json.dumps(reply) + "\n").encode())

    def close(self):
        self.server.close()
        Path(self.path).unlink(missing_ok=True)


class Published:
    """Collects what a LiveFigure publishes on IOPub."""

    def __init__(self):
        self.messages = []
        self.cond = threading.Condition()

    def __call__(self, msg_type, content):
        with self.cond:
            self.messages.append((msg_type, content))
            self.cond.notify_all()

    def updates(self):
        return [c["data"]["image/png"] for t, c in self.messages if t == "update_display_data"]

    def sharp(self):
        """The updates that are not drafts (two changes close together make the second a draft,
        then its sharp frame)."""
        return [u for u in self.updates() if not u.startswith("draft")]

    def wait(self, predicate, timeout=10):
        # Polled: the error line changes through a widget trait, not through `publish`.
        deadline = time.monotonic() + timeout
        while not predicate():
            assert time.monotonic() < deadline, f"timed out; published {self.messages}"
            time.sleep(0.005)


class LiveFigureTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="live-test-")
        self.path = os.path.join(self.dir, "1-0.sock")

    def figure(self, delay=0.0):
        self.crate = FakeCrate(self.path, delay)
        self.addCleanup(self.crate.close)
        spec = {"version": live.VERSION, "socket": self.path, "controls": CONTROLS}
        published = Published()
        figure = live.LiveFigure(spec, {"image/png": "first", live.MIME: spec}, published)
        self.addCleanup(figure.close)
        return figure, published

    def test_first_frame_and_controls_are_shown(self):
        figure, published = self.figure()
        (kind, frame), (kind2, controls) = published.messages
        self.assertEqual((kind, kind2), ("display_data", "display_data"))
        self.assertEqual(frame["data"], {"image/png": "first"}, "the live description was not stripped")
        self.assertTrue(frame["transient"]["display_id"])
        self.assertIn("application/vnd.jupyter.widget-view+json", controls["data"])
        slider, checkbox, dropdown = figure.controls.values()
        self.assertEqual((slider.min, slider.max, slider.step, slider.value), (-4.0, 4.0, 0.08, 2.0))
        self.assertTrue(slider.continuous_update)
        self.assertEqual((checkbox.value, dropdown.value), (True, "two modes"))
        # One name width for all, room for the longest ("three modes" is an option, not a name).
        widths = {c.style.description_width for c in figure.controls.values()}
        self.assertEqual(widths, {f"{len('trajectory') + 2}ch"}, "the sliders' tracks would not line up")

    def test_a_sliders_readout_has_the_decimals_of_its_step(self):
        for step, largest, fmt in [(0.01, 0.95, ".2f"), (0.005, 0.95, ".3f"), (0.0005, 0.06, ".4f"),
                                   (10.0, 200.0, ".0f"), (0.08, 4.0, ".2f"), (0.019, 0.95, ".3f"),
                                   (1 / 300, 1 / 3, ".3g"), (1e298, 1e300, ".3g")]:
            self.assertEqual(live.readout_format(step, largest), fmt, f"step {step}")

    def test_a_change_updates_the_frame_in_place(self):
        figure, published = self.figure()
        figure.controls["mean μ₁"].value = 1.5
        published.wait(lambda: published.updates() == ["png 1.5"])
        update = [c for t, c in published.messages if t == "update_display_data"][0]
        self.assertEqual(update["transient"]["display_id"], published.messages[0][1]["transient"]["display_id"])
        # Shown at the frame's logical size, with the values it was drawn for.
        self.assertEqual(update["metadata"], {
            "image/png": {"width": 320, "height": 300},
            "scorelab": {"live_values": {"mean μ₁": 1.5, "trajectory": True, "preset": "two modes"}}})
        self.assertEqual(self.crate.requests[-1], {"mean μ₁": 1.5, "trajectory": True, "preset": "two modes"})

    def test_events_during_a_render_are_coalesced_latest_wins(self):
        figure, published = self.figure(delay=0.2)
        slider = figure.controls["mean μ₁"]
        for value in [0.08 * k for k in range(1, 30)]:
            slider.value = value
            time.sleep(0.005)
        published.wait(lambda: published.updates() and published.updates()[-1] == f"png {slider.value}")
        time.sleep(0.5)
        print(f"  29 events during 0.2 s renders -> {len(self.crate.requests)} renders")
        # The first change, then the latest values (as drafts), then the sharp frame at rest.
        self.assertLessEqual(len(self.crate.requests), 4)
        self.assertEqual(published.updates()[-1], f"png {slider.value}")
        self.assertEqual(self.crate.connections, 1, "one persistent connection per figure")

    def test_a_lone_change_gets_the_sharp_frame_at_once(self):
        figure, published = self.figure()
        figure.controls["mean μ₁"].value = 1.5
        published.wait(lambda: published.updates() == ["png 1.5"])
        time.sleep(2 * live.REST_SECONDS)
        self.assertEqual([(m, d) for m, d, _ in self.crate.drafts], [(1.5, False)])
        self.assertEqual((figure.frames, figure.drafts), (1, 0))

    def test_a_moving_slider_gets_drafts_then_the_sharp_frame_once_it_rests(self):
        figure, published = self.figure(delay=0.03)
        slider = figure.controls["mean μ₁"]
        for k in range(1, 21):
            slider.value = 0.08 * k
            time.sleep(0.01)
        last_change = time.monotonic()
        last = slider.value
        published.wait(lambda: published.updates()[-1:] == [f"png {last}"])
        time.sleep(2 * live.REST_SECONDS)
        kinds = [(m, d) for m, d, _ in self.crate.drafts]
        print(f"  20 changes 10 ms apart, 30 ms renders -> {kinds}")
        self.assertEqual(kinds[0], (0.08, False), "the first change is a lone one so far: sharp")
        self.assertTrue(all(d for _, d in kinds[1:-1]), "frames while moving are drafts")
        self.assertEqual(kinds[-2:], [(last, True), (last, False)], "the last values, drafted, then sharp")
        self.assertGreaterEqual(self.crate.drafts[-1][2] - last_change, live.REST_SECONDS * 0.9,
                                "the sharp frame waits until the slider rests")
        updates = published.updates()
        self.assertTrue(all(u.startswith("draft") for u in updates[1:-1]))
        self.assertEqual((figure.frames, figure.drafts), (len(updates), len(updates) - 2))

    def test_an_error_shows_under_the_controls_and_a_good_value_clears_it(self):
        figure, published = self.figure()
        figure.controls["mean μ₁"].value = 3.5
        published.wait(lambda: "too large" in figure.error.value)
        self.assertIn("mean μ₁ = 3.5 is too large", figure.error.value)
        self.assertEqual(published.updates(), [], "an error replaced the last good frame")
        figure.controls["mean μ₁"].value = -1.0
        published.wait(lambda: published.sharp() == ["png -1.0"])
        published.wait(lambda: figure.error.value == "")

    def test_a_dropped_connection_is_reopened(self):
        figure, published = self.figure()
        figure.controls["mean μ₁"].value = 1.0
        published.wait(lambda: published.updates() == ["png 1.0"])
        figure.connection.sock.shutdown(socket.SHUT_RDWR)  # as if the server closed it
        figure.controls["mean μ₁"].value = 0.5
        published.wait(lambda: published.sharp() == ["png 1.0", "png 0.5"])
        self.assertEqual(self.crate.connections, 2)

    def test_a_socket_that_is_gone_says_to_rerun_the_cell(self):
        figure, published = self.figure()
        self.crate.close()
        figure.connection.close()
        figure.controls["mean μ₁"].value = 1.0
        published.wait(lambda: "re-run the cell" in figure.error.value)
        figure.controls["trajectory"].value = False  # still answers, with the same message
        time.sleep(0.2)
        self.assertIn("re-run the cell", figure.error.value)

    def test_two_figures_render_independently(self):
        first, published = self.figure()
        other_path = os.path.join(self.dir, "1-1.sock")
        other_crate = FakeCrate(other_path)
        self.addCleanup(other_crate.close)
        other_published = Published()
        second = live.LiveFigure({"version": live.VERSION, "socket": other_path, "controls": CONTROLS},
                                 {"image/png": "first"}, other_published)
        self.addCleanup(second.close)
        first.controls["mean μ₁"].value = 1.0
        second.controls["mean μ₁"].value = -2.0
        published.wait(lambda: published.updates() == ["png 1.0"])
        other_published.wait(lambda: other_published.updates() == ["png -2.0"])


class Retina(unittest.TestCase):
    """A figure's HTML <img> plus 1x PNG becomes its dense PNG sized by the metadata."""

    FIGURE = {
        "text/html": '<img src="data:image/png;base64,REVOU0U=" width="300" height="200" alt="figure, 300×200 px">',
        "image/png": "U01BTEw=",
        "text/plain": "Figure",
    }

    def test_a_figure_becomes_its_dense_png_at_its_logical_size(self):
        data, metadata = retina(self.FIGURE, {"scorelab": {"live_values": {"a": 1}}})
        self.assertEqual(data, {"image/png": "REVOU0U=", "text/plain": "Figure"})
        self.assertEqual(metadata, {"scorelab": {"live_values": {"a": 1}},
                                    "image/png": {"width": 300, "height": 200}})
        # A live figure's first frame goes through the same rule.
        frame, _ = live.frame_bundle({**self.FIGURE, live.MIME: "{}"})
        self.assertEqual(frame, data)

    def test_other_bundles_pass_unchanged(self):
        for data in [
            {"text/html": '<img src="data:image/png;base64,REVOU0U=" width="300" height="200">',
             "image/png": "U01BTEw="},  # an <img> the crate did not write
            {"text/html": self.FIGURE["text/html"] + "<p>more</p>", "image/png": "U01BTEw="},
            {"text/html": self.FIGURE["text/html"]},  # no PNG beside it
            {"image/png": "U01BTEw="},
        ]:
            self.assertEqual(retina(data), (data, {}))


if __name__ == "__main__":
    unittest.main(verbosity=2)
