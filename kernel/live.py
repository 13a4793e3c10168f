"""Live figures in the wrapper kernel: ipywidgets controls that ask the crate for new frames.

A cell's output that carries `application/vnd.scorelab.live+json` (written by `scorelab::Live`)
names a Unix socket, served by a thread in evcxr's worker process, and the figure's controls.
`LiveFigure` shows the frame with a display id, then one box of controls with an error line under
them. Each control change stores the values of all controls; a thread per figure renders only the
latest values (events arriving while a frame renders replace each other), over one persistent
connection to the socket, and replaces the frame in place by `update_display_data`.

Protocol (one line of JSON each way): request `{"values": {name: value, ...}}`, reply
`{"ok": true, "data": {"image/png": ...}, "metadata": {...}}` (the frame as shown: its dense PNG,
sized by the metadata) or `{"ok": false, "error": "..."}`.
"""
import html
import json
import socket
import threading
import uuid

from retina import retina

MIME = "application/vnd.scorelab.live+json"
# The version of the description and of the socket's replies that this wrapper reads.
VERSION = 2
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

    def request(self, values):
        """(data, metadata) of the frame for `values`; RenderError for an error reply, OSError
        when the socket cannot be reached even after reconnecting once."""
        line = (json.dumps({"values": values}, ensure_ascii=False) + "\n").encode()
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
        self.closed = False
        self.frames = 0  # frames shown since the first, for tests and benchmarks
        self.controls = {c["name"]: make_control(c) for c in spec["controls"]}
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
        with self.lock:
            self.pending = self.values()
            self.lock.notify()

    def request(self, values):
        """Asks for a frame for `values` (names → values), as a control change does."""
        with self.lock:
            self.pending = dict(values)
            self.lock.notify()

    def close(self):
        with self.lock:
            self.closed = True
            self.lock.notify()

    def _render_forever(self):
        while True:
            with self.lock:
                while self.pending is None and not self.closed:
                    self.lock.wait()
                if self.closed:
                    self.connection.close()
                    return
                values, self.pending = self.pending, None
            try:
                data, metadata = self.connection.request(values)
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
            self._show_error("")

    def _show_error(self, message):
        text = f'<span style="color:#b00020">{html.escape(message)}</span>' if message else ""
        if self.error.value != text:
            self.error.value = text


def values_metadata(values):
    """The frame's output metadata: the control values it was drawn for, kept in a saved
    notebook next to the last frame."""
    return {"scorelab": {"live_values": values}}


def make_control(control):
    """The ipywidget for one control of the description."""
    import ipywidgets as widgets

    kind, name = control["kind"], control["name"]
    common = {"description": name, "style": {"description_width": "initial"}}
    if kind == "slider":
        lo, hi = float(control["min"]), float(control["max"])
        step = float(control.get("step") or (hi - lo) / 100)
        return widgets.FloatSlider(
            value=float(control["value"]), min=lo, max=hi, step=step, continuous_update=True,
            readout_format=".3g", layout=widgets.Layout(width="420px"), **common,
        )
    if kind == "checkbox":
        return widgets.Checkbox(value=bool(control["value"]), indent=False, **common)
    if kind == "dropdown":
        return widgets.Dropdown(options=list(control["options"]), value=control["value"], **common)
    raise ValueError(f"unknown live control kind {kind!r} for {name!r}")
