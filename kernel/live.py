"""Live figures in the wrapper kernel: ipywidgets controls that ask the crate for new frames.

A cell's output that carries `application/vnd.scorelab.live+json` (written by `scorelab::Live`)
names a Unix socket, served by a thread in evcxr's worker process, and the figure's controls.
`LiveFigure` shows the frame with a display id, then one box of controls with an error line under
them. Each control change stores the values of all controls; a thread per figure renders only the
latest values (events arriving while a frame renders replace each other), over one persistent
connection to the socket, and replaces the frame in place by `update_display_data`.

While a slider moves (a change within `REST_SECONDS` of the one before), frames come as drafts,
at one pixel per logical pixel: a quarter of the pixels to draw (for a closure that draws at
`v.density()`), encode, send and decode. Once the controls rest for `REST_SECONDS`, the last
values come again as the sharp frame: the crate draws it at 2×, or encodes the draft's drawing
in full where that was already drawn at 2×. A lone change (a click, a key) gets the sharp frame
at once.

Protocol (one line of JSON each way): request `{"values": {name: value, ...}, "draft": bool}`,
reply `{"ok": true, "data": {"image/png": ...}, "metadata": {...}}` (the frame as shown: its PNG,
sized by the metadata) or `{"ok": false, "error": "..."}`.
"""
import html
import json
import socket
import threading
import time
import uuid

from retina import retina

MIME = "application/vnd.scorelab.live+json"
# The version of the description and of the socket's replies that this wrapper reads.
VERSION = 3
# Changes closer together than this are a slider moving: drafts until the controls rest this long.
REST_SECONDS = 0.2
# A frame renders in tens of milliseconds; a closure that takes longer than this is reported.
RENDER_TIMEOUT_SECONDS = 60.0
GONE = ("The process that drew this figure is gone (the kernel was interrupted or restarted): "
        "re-run the cell.")


class RenderError(Exception):
    """A reply `{"ok": false}`: the closure's error, or a refused request."""


class Connection:
    """One persistent connection to a live figure's socket, reopened after a failure."""

    def __init__(self, path):
        self.path = path
        self.sock = None
        self.reader = None

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = self.reader = None

    def _request_once(self, line):
        if self.sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(RENDER_TIMEOUT_SECONDS)
            try:
                sock.connect(self.path)
            except OSError:
                sock.close()
                raise
            self.sock, self.reader = sock, sock.makefile("rb")
        self.sock.sendall(line)
        reply = self.reader.readline()
        if not reply.endswith(b"\n"):
            raise ConnectionError("the figure's socket closed the connection")
        return json.loads(reply)

    def request(self, values, draft=False):
        """(data, metadata) of the frame for `values` (a draft if `draft`); RenderError for an
        error reply, OSError when the socket cannot be reached even after reconnecting once."""
        line = (json.dumps({"values": values, "draft": draft}, ensure_ascii=False) + "\n").encode()
        try:
            reply = self._request_once(line)
        except socket.timeout:
            self.close()
            raise
        except (OSError, ValueError):
            self.close()  # a connection the server dropped: once more, on a new one
            try:
                reply = self._request_once(line)
            except (OSError, ValueError):
                self.close()
                raise ConnectionError(GONE) from None
        if reply.get("ok"):
            return reply["data"], reply.get("metadata", {})
        raise RenderError(str(reply.get("error", "the figure could not be drawn")))


def frame_bundle(data, metadata=None):
    """(data, metadata) of the first frame: the cell's output without the live description, a
    figure as its dense PNG sized by the metadata (`retina`), as later frames come."""
    return retina({mime: value for mime, value in data.items() if mime != MIME}, metadata)


class LiveFigure:
    """The frame and controls of one live output, kept up to date by a rendering thread.

    `publish(msg_type, content)` sends an IOPub message under the cell's parent header.
    """

    def __init__(self, spec, data, publish):
        if spec.get("version") != VERSION:
            raise ValueError(f"live figure description version {spec.get('version')!r} is not {VERSION}")
        self.spec = spec
        self.publish = publish
        self.display_id = f"scorelab-live-{uuid.uuid4().hex}"
        self.connection = Connection(spec["socket"])
        self.lock = threading.Condition()
        self.pending = None  # the latest values not yet rendered
        self.moving = False  # whether the pending values came while a slider moved
        self.changed_at = float("-inf")  # time.monotonic() of the latest change
        self.owed = None  # values shown as a draft, whose sharp frame is owed once at rest
        self.closed = False
        self.frames = 0  # frames shown since the first, for tests and benchmarks
        self.drafts = 0  # of which drafts
        # One width for every name, so that the sliders' tracks line up.
        name_width = f"{max(len(c['name']) for c in spec['controls']) + 2}ch"
        self.controls = {c["name"]: make_control(c, name_width) for c in spec["controls"]}
        import ipywidgets as widgets

        self.error = widgets.HTML(value="")
        self.box = widgets.VBox([*self.controls.values(), self.error])
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        frame, metadata = frame_bundle(data, values_metadata(self.values()))
        self.publish("display_data", {
            "data": frame, "metadata": metadata,
            "transient": {"display_id": self.display_id},
        })
        bundle = self.box._repr_mimebundle_()
        bundle["text/plain"] = "Live controls: " + ", ".join(self.controls) + " (shown by the kernel)"
        self.publish("display_data", {"data": bundle, "metadata": {}, "transient": {}})
        self.thread = threading.Thread(target=self._render_forever, name=self.display_id, daemon=True)
        self.thread.start()

    def values(self):
        return {name: control.value for name, control in self.controls.items()}

    def _changed(self, _change):
        self.request(self.values())

    def request(self, values):
        """Asks for a frame for `values` (names → values), as a control change does."""
        with self.lock:
            now = time.monotonic()
            self.moving = self.pending is not None or now - self.changed_at < REST_SECONDS
            self.pending, self.changed_at = dict(values), now
            self.lock.notify()

    def _next(self):
        """(values, draft) of the next frame to ask for: the pending values (a draft while a
        slider moves), else, once the controls rest, the sharp frame owed for the last draft;
        None once closed."""
        with self.lock:
            while not self.closed:
                if self.pending is not None:
                    values, draft = self.pending, self.moving
                    self.pending = self.owed = None
                    return values, draft
                rest = self.changed_at + REST_SECONDS - time.monotonic()
                if self.owed is not None and rest <= 0:
                    values, self.owed = self.owed, None
                    return values, False
                self.lock.wait(rest if self.owed is not None else None)
            return None

    def close(self):
        with self.lock:
            self.closed = True
            self.lock.notify()

    def _render_forever(self):
        while True:
            request = self._next()
            if request is None:
                self.connection.close()
                return
            values, draft = request
            try:
                data, metadata = self.connection.request(values, draft)
            except RenderError as err:
                self._show_error(str(err))
                continue
            except socket.timeout:
                self._show_error(f"no frame within {RENDER_TIMEOUT_SECONDS:.0f} s")
                continue
            except OSError as err:
                self._show_error(str(err) if isinstance(err, ConnectionError) else f"{GONE} ({err})")
                continue
            self.publish("update_display_data", {
                "data": data, "metadata": {**metadata, **values_metadata(values)},
                "transient": {"display_id": self.display_id},
            })
            self.frames += 1
            if draft:
                self.drafts += 1
                with self.lock:
                    if self.pending is None:
                        self.owed = values
            self._show_error("")

    def _show_error(self, message):
        text = f'<span style="color:#b00020">{html.escape(message)}</span>' if message else ""
        if self.error.value != text:
            self.error.value = text


def values_metadata(values):
    """The frame's output metadata: the control values it was drawn for, kept in a saved
    notebook next to the last frame."""
    return {"scorelab": {"live_values": values}}


def readout_format(step, largest):
    """A slider's readout (d3 format): as many decimals as its step has, so that every value on
    its grid reads exactly (step 0.005: 0.500, not 0.5 beside 0.505); three significant digits
    when the step needs more than six decimals or the values reach a million."""
    for decimals in range(7 if largest < 1e6 else 0):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-9 * max(1.0, scaled):
            return f".{decimals}f"
    return ".3g"


def make_control(control, name_width):
    """The ipywidget for one control of the description, its name `name_width` wide (CSS)."""
    import ipywidgets as widgets

    kind, name = control["kind"], control["name"]
    common = {"description": name, "style": {"description_width": name_width}}
    if kind == "slider":
        lo, hi = float(control["min"]), float(control["max"])
        step = float(control["step"])  # the crate chooses it when the cell did not
        return widgets.FloatSlider(
            value=float(control["value"]), min=lo, max=hi, step=step, continuous_update=True,
            readout_format=readout_format(step, max(abs(lo), abs(hi))),
            layout=widgets.Layout(width="420px"), **common,
        )
    if kind == "checkbox":
        return widgets.Checkbox(value=bool(control["value"]), indent=False, **common)
    if kind == "dropdown":
        return widgets.Dropdown(options=list(control["options"]), value=control["value"], **common)
    raise ValueError(f"unknown live control kind {kind!r} for {name!r}")
