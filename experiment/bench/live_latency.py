#!/usr/bin/env python3
"""Live-slider latency in a real browser: the project's `Live` figures (Rust kernel) against
`ipywidgets.interact` with matplotlib's inline backend (Python kernel), in one run.

One JupyterLab server (the project's venv, lab.py) and one headless Chromium (Playwright). Both
notebooks are opened, untrusted, from copies at their own depth below the served root, and run
whole:
- ours: `live_rust.ipynb`, two `Live` cells (the project's kernel);
- Python: `score_function_gaussian_python.ipynb`, whose cells tagged `live` put the same two
  figures under `interact` (a kernel from the bench venv, registered for this run only).
The cells tagged `live`, in order, are the 1-D panels (slider: a mean) and the 2-D score field
with a Langevin trajectory (slider: the step size); both sides use the same ranges and steps.

Measurement. Each slider is dragged with the mouse: button down on the handle, then moves of
`--px` pixels every `--interval` ms to the right end, to the left end and back to the middle,
then button up. In the page, the slider's own `slide` event records each value change with the
time stamp of the pointer event that caused it (the input), and a MutationObserver on the cell
records every new image (a new <img> or a changed src): when it entered the DOM, when
`img.decode()` resolved, and the next animation frame after that (shown). Frames are told apart
by a hash of their data URL; a calibration pass first steps each slider through every value with
the keyboard and records which frame each value draws, so every frame seen while dragging is
known by its value.

Coalescing means not every input gets its own frame. The latency of an input is the time from
it to the first frame shown that reflects a value at least that new: a frame drawing the value
of input j (the latest input with that value before the frame appeared) serves every input
i <= j. Frames per second: frames shown while the button is down, over the drag's duration.
The two sides alternate within each repeat (order swapped every repeat), so machine noise hits
both.

Breakdown (for ours, and Python alike): the kernel websocket is wrapped in the page, so each
frame's path splits into input -> comm message sent (front end), sent -> frame message received
(server, kernel, render, encode), received -> image in the DOM (JupyterLab renders the output),
DOM -> shown (decode, paint). And the CPU time each process (browser, server, kernels, the bench
itself) uses per frame while dragging, read from /proc (`cpu_use.py`).

    live_latency.py --python-kernel PYTHON [--repeats N] [--output live_latency.md] [--json live_latency.json]
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests/browser"))

from playwright.sync_api import sync_playwright  # noqa: E402

from lab import Lab, chromium  # noqa: E402

from cpu_use import CpuUse  # noqa: E402

RUST_NOTEBOOK = HERE / "live_rust.ipynb"
PYTHON_NOTEBOOK = HERE / "score_function_gaussian_python.ipynb"
FIGURES = ["1-D panels (mean μ₂)", "2-D score field + Langevin trajectory (step size ε)"]
SIDES = ["ours", "python"]
PYTHON_SPEC = "scorelab-bench-python"
TARGET_MEDIAN_MS, TARGET_P90_MS, TARGET_RATIO, MOONSHOT_FPS = 60.0, 120.0, 3.0, 30.0


def log(message):
    print(message, flush=True)


# --------------------------------------------------------------------------------------------
# In the page

# Wraps the kernel websockets: for every message sent or received, its time, size, type and,
# for a comm message sent, the widget value it carries. Jupyter's v1 websocket protocol is binary:
# a count n, n offsets (little-endian uint64), then channel, header, parent header, metadata,
# content, buffers.
JS_WEBSOCKET = r"""
(() => {
  const log = window.__benchWs = [];
  // Our frames by the hash of the data URL they show as: the slider value the kernel drew each
  // for (a draft is not among the calibrated sharp frames). Filled by JS_STOP from the frame
  // messages kept as they came: parsing and hashing them on arrival would put the bench's work
  // on the page's main thread while it draws.
  window.__benchLive = {};
  const frameMessages = window.__benchFrameMessages = [];
  const dec = new TextDecoder();
  const enc = new TextEncoder();
  // A frame's name: the SHA-1 of its data URL, in hex (also used by JS_STOP).
  const hash = window.__benchHash = async (src) => Array.from(
    new Uint8Array(await crypto.subtle.digest('SHA-1', enc.encode(src)))).map(b => b.toString(16).padStart(2, '0')).join('');
  function parts(data) {
    if (typeof data === 'string') {
      const m = JSON.parse(data);
      return {channel: m.channel, type: m.header && m.header.msg_type, content: () => m.content};
    }
    const buf = data instanceof ArrayBuffer ? data : data.buffer;
    const dv = new DataView(buf);
    const n = Number(dv.getBigUint64(0, true));
    const off = [];
    for (let i = 0; i < n; i++) off.push(Number(dv.getBigUint64(8 * (i + 1), true)));
    off.push(buf.byteLength);
    const part = (i) => dec.decode(new Uint8Array(buf, off[i], off[i + 1] - off[i]));
    return {channel: part(0), type: JSON.parse(part(1)).msg_type, content: () => JSON.parse(part(4))};
  }
  function size(data) { return typeof data === 'string' ? data.length : (data.byteLength || 0); }
  const Native = window.WebSocket;
  class Logged extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (!String(url).includes('/api/kernels/')) return;
      this.addEventListener('message', (e) => {
        const t = performance.now();
        try {
          const p = parts(e.data);
          log.push({dir: 'recv', t, size: size(e.data), type: p.type, channel: p.channel});
          if (p.type === 'update_display_data') frameMessages.push(p);
        }
        catch (err) { log.push({dir: 'recv', t, size: size(e.data), type: '?'}); }
      });
    }
    send(data) {
      const t = performance.now();
      if (String(this.url).includes('/api/kernels/')) {
        const entry = {dir: 'send', t, size: size(data)};
        try {
          const p = parts(data);
          entry.type = p.type;
          if (p.type === 'comm_msg') {
            const c = p.content();
            const state = c.data && c.data.state;
            if (state && typeof state.value === 'number') entry.value = state.value;
          }
        } catch (err) { entry.type = '?'; }
        log.push(entry);
      }
      return super.send(data);
    }
  }
  window.WebSocket = Logged;
})();
"""

# Starts recording in one cell: slider value changes and new images.
JS_START = r"""(cell) => {
  const rec = window.__bench = {values: [], frames: [], srcs: [], wsStart: (window.__benchWs || []).length};
  const target = cell.querySelector('.noUi-target');
  if (!target || !target.noUiSlider) return 'no slider';
  if (window.__benchStop) window.__benchStop();
  const onSlide = (values, handle, unencoded) => {
    const e = window.event;
    rec.values.push({t: e && e.timeStamp ? e.timeStamp : performance.now(), t_handler: performance.now(),
                     value: Number(unencoded[handle])});
  };
  target.noUiSlider.on('slide.bench', onSlide);
  const last = new WeakMap();
  const onImg = (img) => {
    const src = img.getAttribute('src') || '';
    if (!src || last.get(img) === src) return;
    last.set(img, src);
    const f = {t_dom: performance.now(), t_decoded: null, t_shown: null};
    rec.frames.push(f);
    rec.srcs.push(src);
    img.decode().catch(() => null).then(() => {
      f.t_decoded = performance.now();
      f.natural_width = img.naturalWidth;
      f.logical_width = Number(img.getAttribute('width')) || img.naturalWidth;
      requestAnimationFrame(() => { f.t_shown = performance.now(); });
    });
  };
  const observer = new MutationObserver((mutations) => {
    for (const m of mutations) {
      if (m.type === 'attributes') { if (m.target.tagName === 'IMG') onImg(m.target); continue; }
      for (const n of m.addedNodes) {
        if (n.nodeType !== 1) continue;
        if (n.tagName === 'IMG') onImg(n);
        n.querySelectorAll && n.querySelectorAll('img').forEach(onImg);
      }
    }
  });
  observer.observe(cell, {subtree: true, childList: true, attributes: true, attributeFilter: ['src']});
  window.__benchStop = () => { observer.disconnect(); target.noUiSlider.off('slide.bench'); window.__benchStop = null; };
  return 'ok';
}"""

# Stops recording; returns the record with each frame's hash (SHA-1 of its data URL).
JS_STOP = r"""async () => {
  const rec = window.__bench;
  if (window.__benchStop) window.__benchStop();
  for (const p of window.__benchFrameMessages.splice(0)) {
    const c = p.content();
    const values = c.metadata && c.metadata.scorelab && c.metadata.scorelab.live_values;
    const png = c.data && c.data['image/png'];
    if (values && png) window.__benchLive[await window.__benchHash('data:image/png;base64,' + png)] = Object.values(values)[0];
  }
  const hashes = [];
  for (const src of rec.srcs) hashes.push(await window.__benchHash(src));
  const ws = (window.__benchWs || []).slice(rec.wsStart);
  return {values: rec.values, frames: rec.frames.map((f, i) => ({...f, hash: hashes[i], bytes: rec.srcs[i].length})), ws,
          live: window.__benchLive || {}};
}"""

JS_FRAME_COUNT = "() => window.__bench ? window.__bench.frames.length : 0"
JS_LAST_FRAME_TIME = "() => { const f = window.__bench.frames; return f.length ? f[f.length - 1].t_dom : -1; }"
JS_NOW = "() => performance.now()"

JS_SLIDER = r"""(cell) => {
  const t = cell.querySelector('.noUi-target');
  const h = cell.querySelector('.noUi-handle');
  const o = t.noUiSlider.options;
  const r = t.getBoundingClientRect(), hr = h.getBoundingClientRect();
  return {left: r.left, right: r.right, y: hr.top + hr.height / 2, handle_x: hr.left + hr.width / 2,
          min: o.range.min, max: o.range.max, step: o.step, value: Number(t.noUiSlider.get(true))};
}"""


# --------------------------------------------------------------------------------------------
# One notebook in one page


class Side:
    def __init__(self, name, context, lab, served, workspace):
        self.name = name
        self.lab = lab
        self.served = served
        self.workspace = workspace
        self.page = context.new_page()
        self.calibration = {}  # figure index -> {hash: step index}

    def cells(self):
        return self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell")

    def live_cells(self):
        nb = json.loads((self.lab.root_dir / self.served).read_text())
        return [i for i, c in enumerate(nb["cells"]) if "live" in c.get("metadata", {}).get("tags", [])]

    def open_and_run(self):
        url = f"{self.lab.url}/lab/workspaces/{self.workspace}/tree/{self.served}?token={self.lab.token}"
        self.page.goto(url)
        self.page.wait_for_function(
            "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return w && w.sessionContext && w.sessionContext.kernelDisplayStatus === 'idle'; }",
            timeout=300_000)
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        started = time.monotonic()
        errors = self.page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        for index in self.live_cells():
            cell = self.cells().nth(index)
            deadline = time.monotonic() + 600
            while not cell.locator(".noUi-target").count():
                if errors.count():
                    raise RuntimeError(f"{self.name}: a cell shows an error: {errors.first.text_content()[:500]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name}: cell {index} shows no slider after 600 s")
                self.page.wait_for_timeout(250)
            cell.locator(".jp-OutputArea-output img").first.wait_for(timeout=120_000)
        self.page.wait_for_function(
            "() => window.jupyterapp.shell.currentWidget.sessionContext.kernelDisplayStatus === 'idle'",
            timeout=600_000)
        errors = self.page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        if errors.count():
            raise RuntimeError(f"{self.name}: a cell shows an error: {errors.first.text_content()[:300]}")
        log(f"   {self.name}: ran in {time.monotonic() - started:.1f} s")
        nb = json.loads((self.lab.root_dir / self.served).read_text())
        self.timing = {}
        for i, c in enumerate(nb["cells"]):
            if "timing" in c.get("metadata", {}).get("tags", []):
                out = self.cells().nth(i).locator(".jp-OutputArea-output")
                out.first.wait_for(timeout=120_000)
                text = " ".join(out.all_text_contents())
                self.timing = {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", text)}
                log(f"   {self.name}: inside the kernel, {self.timing}")

    def cell(self, figure):
        cell = self.cells().nth(self.live_cells()[figure])
        cell.scroll_into_view_if_needed()
        return cell

    def start(self, figure):
        self.page.bring_to_front()
        cell = self.cell(figure)
        status = self.page.evaluate(JS_START, cell.element_handle())
        if status != "ok":
            raise RuntimeError(f"{self.name}, figure {figure}: {status}")
        return cell

    def stop(self):
        return self.page.evaluate(JS_STOP)

    def wait_quiet(self, quiet_ms, timeout_s=60):
        """Until no new frame has appeared for quiet_ms (counted from now at the earliest)."""
        deadline = time.monotonic() + timeout_s
        since = self.page.evaluate(JS_NOW)
        while time.monotonic() < deadline:
            last = self.page.evaluate(JS_LAST_FRAME_TIME)
            now = self.page.evaluate(JS_NOW)
            if now - max(last, since) >= quiet_ms:
                return
            self.page.wait_for_timeout(50)

    def wait_new_frame(self, count, timeout_s=30):
        self.page.wait_for_function(f"() => window.__bench.frames.length > {count}", timeout=timeout_s * 1000)

    def calibrate(self, figure, quiet_ms):
        """Steps the slider through every value with the keyboard; records which frame each draws."""
        cell = self.start(figure)
        handle = cell.locator(".noUi-handle").first
        handle.focus()
        geometry = self.page.evaluate(JS_SLIDER, cell.element_handle())
        steps = round((geometry["max"] - geometry["min"]) / geometry["step"])
        count = self.page.evaluate(JS_FRAME_COUNT)
        self.page.keyboard.press("Home")
        self.wait_new_frame(count)
        self.wait_quiet(quiet_ms)
        marks = [(self.page.evaluate(JS_FRAME_COUNT), 0)]  # (frames so far, step index)
        for k in range(1, steps + 1):
            count = self.page.evaluate(JS_FRAME_COUNT)
            self.page.keyboard.press("ArrowRight")
            self.wait_new_frame(count)
            self.wait_quiet(quiet_ms)
            marks.append((self.page.evaluate(JS_FRAME_COUNT), k))
        record = self.stop()
        table = {}
        for count, k in marks:
            table[record["frames"][count - 1]["hash"]] = k
        values = sorted({round((v["value"] - geometry["min"]) / geometry["step"]) for v in record["values"]})
        if values != list(range(0, steps + 1)):
            raise RuntimeError(f"{self.name}, figure {figure}: the keyboard reached steps {values[:5]}...{values[-5:]}")
        if len(set(table.values())) < (steps + 1) * 0.95:
            raise RuntimeError(f"{self.name}, figure {figure}: only {len(set(table.values()))} distinct frames for {steps} values")
        # The value it ended on (max) and the one before Home (kept for the drags).
        self.calibration[figure] = (table, geometry, steps)

    def drag(self, figure, px, interval_ms, settle_ms):
        cell = self.start(figure)
        table, _, _ = self.calibration[figure]
        cell.locator(".noUi-target").first.scroll_into_view_if_needed()
        g = self.page.evaluate(JS_SLIDER, cell.element_handle())
        x, y = g["handle_x"], g["y"]
        # From the handle to past the right end, to past the left end, back to the middle.
        targets = [g["right"] + 4, g["left"] - 4, (g["left"] + g["right"]) / 2]
        path = []
        for target in targets:
            n = max(1, round(abs(target - x) / px))
            path += [x + (target - x) * i / n for i in range(1, n + 1)]
            x = target
        mouse = self.page.mouse
        mouse.move(g["handle_x"], y)
        cpu = CpuUse()
        cpu.start()
        mouse.down()
        t0 = time.perf_counter()
        for i, xi in enumerate(path):
            delay = t0 + i * interval_ms / 1000 - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            mouse.move(xi, y)
        mouse.up()
        self.page.wait_for_timeout(50)
        self.wait_quiet(settle_ms)
        cpu_s = cpu.stop()
        record = self.stop()
        record["geometry"] = g
        record["cpu_s"] = cpu_s
        live = record.pop("live")
        for f in record["frames"]:
            f["step"] = table.get(f["hash"])
            # A draft is known by the values the kernel drew it for; a sharp frame by calibration,
            # and the two must agree.
            if f["hash"] in live:
                step = round((live[f["hash"]] - g["min"]) / g["step"])
                if f["step"] is not None and f["step"] != step:
                    raise RuntimeError(f"{self.name}, figure {figure}: a frame calibrated at step "
                                       f"{f['step']} came for step {step}")
                f["step"] = step
        for v in record["values"]:
            v["step"] = round((v["value"] - g["min"]) / g["step"])
        return record


# --------------------------------------------------------------------------------------------
# From a record to latencies


def analyse(record):
    """Per-input latencies (ms), frames per second while dragging, and the frame-path breakdown."""
    # Inputs: value changes only (a move within one step sends nothing).
    inputs = []
    for v in record["values"]:
        if not inputs or v["step"] != inputs[-1]["step"]:
            inputs.append(v)
    frames = [f for f in record["frames"] if f["t_shown"] is not None]
    unmatched = sum(f["step"] is None for f in frames)
    # Each frame reflects the latest input with its value that came before it.
    served = []
    for f in frames:
        if f["step"] is None:
            continue
        j = max((i for i, v in enumerate(inputs) if v["step"] == f["step"] and v["t"] <= f["t_dom"]), default=None)
        if j is not None:
            served.append((f, j))
    latencies = []
    for i, v in enumerate(inputs):
        shown = [f["t_shown"] for f, j in served if j >= i and f["t_shown"] >= v["t"]]
        if shown:
            latencies.append(min(shown) - v["t"])
    t_first, t_last = (inputs[0]["t"], inputs[-1]["t"]) if inputs else (0, 0)
    during = [f for f in frames if t_first <= f["t_shown"] <= t_last]
    fps = len(during) / ((t_last - t_first) / 1000) if t_last > t_first else 0.0
    # Breakdown per served frame: input -> sent -> received -> DOM -> shown.
    ws = record["ws"]
    sent = [m for m in ws if m["dir"] == "send" and m.get("type") == "comm_msg" and "value" in m]
    g = record["geometry"]
    for m in sent:
        m["step"] = round((m["value"] - g["min"]) / g["step"])
    big = [m for m in ws if m["dir"] == "recv" and m["size"] > 4000]
    parts = {"input → sent": [], "sent → received": [], "received → in DOM": [], "in DOM → shown": []}
    for f, j in served:
        v = inputs[j]
        s = [m for m in sent if m["step"] == f["step"] and v["t"] <= m["t"] <= f["t_dom"]]
        r = [m for m in big if m["t"] <= f["t_dom"]]
        if not s or not r or r[-1]["t"] < s[0]["t"]:
            continue
        parts["input → sent"].append(s[0]["t"] - v["t"])
        parts["sent → received"].append(r[-1]["t"] - s[0]["t"])
        parts["received → in DOM"].append(f["t_dom"] - r[-1]["t"])
        parts["in DOM → shown"].append(f["t_shown"] - f["t_dom"])
    return {
        "latencies_ms": latencies,
        "inputs": len(inputs),
        "frames": len(frames),
        "frames_unmatched": unmatched,
        "frames_1x": sum(0 < f.get("natural_width", 0) <= f.get("logical_width", 0) for f in frames),
        "input_gaps_ms": [b["t"] - a["t"] for a, b in zip(inputs, inputs[1:])],
        "fps": fps,
        "drag_seconds": (t_last - t_first) / 1000,
        "frame_bytes": statistics.median([f["bytes"] for f in frames]) if frames else 0,
        "parts_ms": parts,
        "cpu_s": record.get("cpu_s", {}),
    }


def percentile(xs, q):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summary(records):
    runs = [r["analysis"] for r in records]
    lat = [x for r in runs for x in r["latencies_ms"]]
    parts = {}
    for r in runs:
        for name, xs in r["parts_ms"].items():
            parts.setdefault(name, []).extend(xs)
    return {
        "median_ms": statistics.median(lat) if lat else float("nan"),
        "p90_ms": percentile(lat, 0.9),
        "inputs": sum(r["inputs"] for r in runs),
        "frames": sum(r["frames"] for r in runs),
        "frames_unmatched": sum(r["frames_unmatched"] for r in runs),
        "frames_1x": sum(r["frames_1x"] for r in runs),
        "input_gap_ms": statistics.median([g for r in runs for g in r["input_gaps_ms"]] or [float("nan")]),
        "fps": statistics.median([r["fps"] for r in runs]),
        "frame_kb": statistics.median([r["frame_bytes"] for r in runs]) / 1024,
        "parts_median_ms": {k: statistics.median(v) if v else float("nan") for k, v in parts.items()},
        "parts_count": len(next(iter(parts.values()), [])),
        "cpu_ms_per_frame": cpu_per_frame(runs),
    }


def cpu_per_frame(runs):
    """{role: ms of CPU time per frame shown}, over the drags (mouse down to the last frame)."""
    frames = sum(r["frames"] for r in runs)
    used = {}
    for r in runs:
        for name, seconds in r["cpu_s"].items():
            used[name] = used.get(name, 0.0) + seconds
    return {name: 1000 * seconds / frames for name, seconds in sorted(used.items(), key=lambda x: -x[1])} if frames else {}


# --------------------------------------------------------------------------------------------
# Report


def machine(python):
    def out(*cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    cpu = "unknown"
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    pyver = out(python, "-c", "import matplotlib, ipywidgets, numpy, platform; print(platform.python_version(),"
                " matplotlib.__version__, ipywidgets.__version__, numpy.__version__)").split()
    from importlib.metadata import version

    import jupyterlab

    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "os": platform.platform(),
        "rustc": out("rustc", "--version"),
        "chromium": out("/usr/bin/chromium", "--version"),
        "jupyterlab": jupyterlab.__version__,
        "playwright": version("playwright"),
        "python": pyver[0] if pyver else "?",
        "matplotlib": pyver[1] if len(pyver) > 1 else "?",
        "ipywidgets": pyver[2] if len(pyver) > 2 else "?",
        "numpy": pyver[3] if len(pyver) > 3 else "?",
    }


def report(results, info, args):
    s = {(fig, side): summary(results[fig][side]) for fig in range(len(FIGURES)) for side in SIDES}
    lines = [
        "# Live sliders: slider input to new image in the browser",
        "",
        f"Run: `make bench-live`, {info['date']}. {args.repeats} drags of each slider on each side, the two",
        "sides alternating (order swapped every repeat). Machine: "
        f"{info['cores']} cores ({info['cpu']}), {info['os']};",
        f"{info['chromium']} (headless, Playwright {info['playwright']}), JupyterLab {info['jupyterlab']}; ours: "
        f"{info['rustc']}; Python {info['python']},",
        f"matplotlib {info['matplotlib']} (inline backend), ipywidgets {info['ipywidgets']}, numpy {info['numpy']}.",
        f"Load average at the end (1 / 5 / 15 min): {info['load']}.",
        "",
        "| figure | side | median | p90 | frames/s while dragging | inputs | input every | frames | frame size |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for fig, name in enumerate(FIGURES):
        for side in SIDES:
            x = s[(fig, side)]
            label = "ours (`Live`)" if side == "ours" else "Python (`interact`)"
            frames = f"{x['frames']} ({x['frames_1x']} drafts)" if side == "ours" else f"{x['frames']}"
            lines.append(
                f"| {name} | {label} | {x['median_ms']:.0f} ms | {x['p90_ms']:.0f} ms | {x['fps']:.1f} "
                f"| {x['inputs']} | {x['input_gap_ms']:.0f} ms | {frames} | {x['frame_kb']:.0f} kB |")
    lines += ["", "| figure | ratio ours / Python (median) | ratio (p90) | targets |", "|---|---|---|---|"]
    for fig, name in enumerate(FIGURES):
        o, p = s[(fig, "ours")], s[(fig, "python")]
        ratio, ratio90 = o["median_ms"] / p["median_ms"], o["p90_ms"] / p["p90_ms"]
        checks = []
        if fig == 1:
            checks.append(f"median ≤ {TARGET_MEDIAN_MS:.0f} ms: {'met' if o['median_ms'] <= TARGET_MEDIAN_MS else '**missed**'}")
            checks.append(f"p90 ≤ {TARGET_P90_MS:.0f} ms: {'met' if o['p90_ms'] <= TARGET_P90_MS else '**missed**'}")
        checks.append(f"≥ {TARGET_RATIO:.0f}× faster: {'met' if ratio <= 1 / TARGET_RATIO else '**missed**'} ({1 / ratio:.1f}×)")
        if fig == 0:
            checks.append(f"moonshot {MOONSHOT_FPS:.0f} fps: {'met' if o['fps'] >= MOONSHOT_FPS else 'missed'} ({o['fps']:.1f})")
        lines.append(f"| {name} | {ratio:.2f} | {ratio90:.2f} | {'; '.join(checks)} |")
    lines += [
        "",
        "Where a frame's time goes (medians over the frames that could be traced; the kernel websocket",
        "is wrapped in the page): input → the comm message carrying that value leaves the page (front",
        "end, ipywidgets), → the message carrying the frame arrives (server, kernel, render, encode, back),",
        "→ the image is in the DOM (JupyterLab renders the output), → shown (decode, next paint).",
        "",
        "| figure | side | " + " | ".join(next(iter(s.values()))["parts_median_ms"]) + " | frames traced |",
        "|---|---|" + "---|" * (len(next(iter(s.values()))["parts_median_ms"]) + 1),
    ]
    for fig, name in enumerate(FIGURES):
        for side in SIDES:
            x = s[(fig, side)]
            lines.append(f"| {name} | {side} | " + " | ".join(f"{v:.0f} ms" for v in x["parts_median_ms"].values())
                         + f" | {x['parts_count']} |")
    roles = sorted({name for x in s.values() for name in x["cpu_ms_per_frame"]},
                   key=lambda name: -max(x["cpu_ms_per_frame"].get(name, 0) for x in s.values()))
    columns = [(fig, side) for fig in range(len(FIGURES)) for side in SIDES if (fig, side) in s]
    lines += [
        "",
        "CPU time per frame shown while dragging (all cores; from mouse down to the last frame,",
        "read from /proc by process, each process by its command line):",
        "",
        "| process | " + " | ".join(f"{FIGURES[fig].split(' (')[0]}, {side}" for fig, side in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name in roles:
        lines.append(f"| {name} | " + " | ".join(f"{s[c]['cpu_ms_per_frame'].get(name, 0):.1f} ms" for c in columns) + " |")
    lines.append("| **all** | " + " | ".join(f"**{sum(s[c]['cpu_ms_per_frame'].values()):.1f} ms**" for c in columns) + " |")
    lines += [
        "",
        "Playwright and the bench's driver are the measurement (the mouse, the page's records); a",
        "reader's machine runs neither, but here they take a share of the same two cores.",
    ]
    r = info.get("render_ms") or {}
    if r:
        lines += [
            "",
            f"Inside the Rust kernel, a frame's render alone (median of 9, the cell tagged `timing` of",
            f"`live_rust.ipynb`, in the same run), sharp at 2× and as a draft at 1×: 1-D panels",
            f"{r.get('panels', float('nan')):.0f} and {r.get('panels_draft', float('nan')):.0f} ms, 2-D score field with trajectory "
            f"{r.get('field', float('nan')):.0f} and {r.get('field_draft', float('nan')):.0f} ms.",
            "The rest of \"sent → received\" is the frame's PNG encoding (deflated for speed), the wrapper",
            "kernel (comm message, socket round trip, `update_display_data`), the server, and the wait for a",
            "frame already rendering when the input came.",
        ]
    lines += [
        "",
        "## How it is measured",
        "",
        f"`experiment/bench/live_latency.py`: one JupyterLab, headless Chromium through Playwright, both",
        "notebooks open (untrusted copies) in one run: `live_rust.ipynb` (two `Live` cells, the project's",
        "kernel) and `score_function_gaussian_python.ipynb` (its cells tagged `live`: `interact` with",
        "`%matplotlib inline`, a kernel from the bench venv). Same figures, sizes, slider ranges and steps:",
        "the 1-D panels with mean μ₂ in [−4, 4] (step 0.08), the 2-D score field with a 500-step Langevin",
        "trajectory recomputed for the step size ε in [0.005, 0.105] (step 0.001).",
        "",
        f"- A drag: mouse down on the handle, moves of {args.px} px every {args.interval} ms (a steady pace) to",
        "  past the right end, past the left end and back to the middle, mouse up; the run then waits",
        "  for the last frame.",
        "- Input: each change of the slider's value (its `slide` event), timed at the pointer event that",
        "  caused it. Frame shown: a new image in the cell (MutationObserver), after `img.decode()`, at the",
        "  next animation frame.",
        "- Coalescing means not every input gets its own frame. **Latency of an input: the time to the",
        "  first frame shown that reflects a value at least that new** (a frame drawing the value of a",
        "  later input counts). A calibration pass steps each slider through all its values with the",
        "  keyboard and hashes the frame each draws, so every frame seen while dragging is known by",
        "  its value.",
        "- Frames per second: frames shown while the button is down, over the time from the first to",
        "  the last value change. \"Input every\": the median time between value changes. The mouse moves",
        "  every few milliseconds, but Playwright waits for the page to take each move, so a page whose",
        "  main thread is busy with frames (decoding, rendering outputs) takes fewer, further apart:",
        "  frames per second cannot exceed inputs per second.",
        "- Ours: while the slider moves, frames come as drafts at one pixel per logical pixel (a",
        "  quarter of the pixels; both closures draw at `v.density()`, so a draft is drawn small), and",
        "  the sharp 2× frame once it rests 0.2 s; a lone key press gets the",
        "  sharp frame at once, so calibration sees sharp frames only. A draft is known by the slider",
        "  value the kernel sent with it (the output's metadata); where a frame is also calibrated, the",
        "  two must agree. Frame size: the median over all frames shown, drafts included.",
        "- Raw numbers (every input, frame and websocket message time): `live_latency.json`.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------


def served_copy(inside, notebook, kernel=None):
    rel = notebook.resolve().relative_to(ROOT)
    target = inside.joinpath(*rel.parts[1:])
    target.parent.mkdir(parents=True, exist_ok=True)
    nb = json.loads(notebook.read_text())
    if kernel:
        nb.setdefault("metadata", {})["kernelspec"] = kernel
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    target.write_text(json.dumps(nb))
    return target.relative_to(ROOT).as_posix()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python-kernel", type=Path, required=True, help="python of the bench venv (ipykernel, matplotlib, ipywidgets)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--px", type=float, default=2.0, help="pixels per mouse move")
    parser.add_argument("--interval", type=float, default=16.0, help="milliseconds between mouse moves")
    parser.add_argument("--sides", default="ours,python")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sides = args.sides.split(",")

    outside = Path(tempfile.mkdtemp(prefix="scorelab-bench-live-"))
    inside = Path(tempfile.mkdtemp(prefix="bench-live-", dir=ROOT))
    results = {fig: {side: [] for side in SIDES} for fig in range(len(FIGURES))}
    render_ms = {}
    try:
        with Lab(ROOT, outside) as lab:
            spec_dir = outside / "data/kernels" / PYTHON_SPEC
            spec_dir.mkdir(parents=True)
            (spec_dir / "kernel.json").write_text(json.dumps({
                "argv": [str(args.python_kernel.absolute()), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (bench)", "language": "python"}))
            notebooks = {
                "ours": lambda: served_copy(inside, RUST_NOTEBOOK),
                "python": lambda: served_copy(inside, PYTHON_NOTEBOOK, {
                    "name": PYTHON_SPEC, "display_name": "Python 3 (bench)", "language": "python"}),
            }
            served = {side: notebooks[side]() for side in sides}
            with sync_playwright() as pw, chromium(pw, outside / "profile") as context:
                context.add_init_script(JS_WEBSOCKET)
                pages = {}
                for side in sides:
                    log(f"== {side}: {served[side]}")
                    pages[side] = Side(side, context, lab, served[side], f"bench-{side}")
                    pages[side].open_and_run()
                render_ms = getattr(pages.get("ours"), "timing", {})
                quiet = {"ours": 400, "python": 1200}
                for side in sides:
                    for fig in range(len(FIGURES)):
                        log(f"   calibrating {side}, {FIGURES[fig]}")
                        pages[side].calibrate(fig, 250)
                for rep in range(args.repeats):
                    order = sides if rep % 2 == 0 else sides[::-1]
                    for fig in range(len(FIGURES)):
                        for side in order:
                            record = pages[side].drag(fig, args.px, args.interval, 2 * quiet[side])
                            record["analysis"] = analyse(record)
                            a = record["analysis"]
                            log(f"   repeat {rep + 1}, {FIGURES[fig]}, {side}: median "
                                f"{statistics.median(a['latencies_ms']) if a['latencies_ms'] else float('nan'):.0f} ms, "
                                f"{a['fps']:.1f} fps, {a['inputs']} inputs, {a['frames']} frames "
                                f"({a['frames_unmatched']} unmatched)")
                            results[fig][side].append(record)
    finally:
        shutil.rmtree(inside, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)

    info = machine(str(args.python_kernel))
    info["render_ms"] = render_ms
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "args": vars(args) | {"python_kernel": str(args.python_kernel), "output": str(args.output), "json": str(args.json)},
                                         "figures": FIGURES, "results": {FIGURES[f]: {side: [
                                             {"analysis": r["analysis"], "values": r["values"], "frames": r["frames"], "ws": r["ws"],
                                              "geometry": r["geometry"]} for r in results[f][side]] for side in sides}
                                             for f in range(len(FIGURES))}}, indent=None))
    if set(sides) == set(SIDES):
        text = report(results, info, args)
        print(text)
        if args.output:
            args.output.write_text(text)
    else:
        for fig in range(len(FIGURES)):
            for side in sides:
                print(FIGURES[fig], side, json.dumps({k: v for k, v in summary(results[fig][side]).items()}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
