#!/usr/bin/env python3
"""The project's Rust kernel (kernel/start.py), checked through Jupyter's own client:

- completion: `gm.sc<Tab>` offers `score`, `Curves1d::new(..).po<Tab>` offers `points`, and
  inspection of `gm` names its type;
- never stale: with the prebuilt library older than `crate/`, built from another Cargo.lock or by
  another rustc, the first cell using scorelab fails with a message naming the change and saying
  to run `make setup`;
- two kernels at once, on kernel_1d.ipynb and kernel_2d.ipynb: both show their figure, each in
  its own build slot; a restarted kernel reuses a free slot (disk use stays bounded); a kernel
  killed while its cell still runs frees its slot, though the cell's process outlives it;
- start.py given a parent pid dies with that parent, and exits at once if it is already gone;
- the wrapper (kernel/wrapper.py) holds its own ports from its start, before it opens evcxr's;
- live figures through the wrapper's widgets, and every `Live` cell of the series drawing at
  both ends of each of its sliders;
- warm spares (kernel/warm/scorelab_warm.py): a new kernel adopts its directory's warm spare,
  which holds no state and shows the figure; a spare older than the library is never handed
  out; a spare dies with the process that started it; the server extension `make lab` loads
  starts one per notebook directory. The other tests run without spares.

Run by `make test` (kernel-checks) with the venv's Python; `make setup` must have run.
"""
import base64
import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

import nbformat
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import LocalPortCache, port_names, write_connection_file
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "kernel"))
sys.path.insert(0, str(ROOT / "tests"))
from png_image import decode_png, png_parts  # noqa: E402
import live  # noqa: E402  (the wrapper's live figures: when a slider rests)
import start  # noqa: E402  (the launcher: where the library and slots are)
import scorelab_warm  # noqa: E402  (the provisioner the kernel spec names)

os.environ["SCORELAB_WARM_KERNELS"] = "0"


class Kernel:
    """A running project kernel, started in `cwd` (tests/kernel/), and a client to it."""

    def __init__(self, cwd=HERE):
        self.manager = KernelManager(kernel_name="rust")
        env = dict(os.environ)
        env.pop("JUPYTER_PATH", None)
        self.manager.start_kernel(cwd=str(cwd), env=env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=300)

    def run(self, code, timeout=600):
        """Executes `code`; returns (MIME types shown, stdout, stderr + errors)."""
        msg_id = self.client.execute(code)
        mimes, out, err = set(), [], []
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind in ("execute_result", "display_data"):
                mimes.update(content["data"])
                out.append(content["data"].get("text/plain", ""))
            elif kind == "stream":
                (err if content["name"] == "stderr" else out).append(content["text"])
            elif kind == "error":
                err.append(f"{content['ename']}: {content['evalue']}")
        return mimes, "".join(out), "".join(err)

    def ok(self, code):
        mimes, out, err = self.run(code)
        assert not err.strip(), f"{code!r} failed: {err[:800]}"
        return mimes, out

    def shell_reply(self, msg_id, timeout=60):
        while True:
            reply = self.client.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    def complete(self, code):
        """(completions offered at the end of `code`, seconds the request took)."""
        started = time.perf_counter()
        content = self.shell_reply(self.client.complete(code, len(code)))
        return content["matches"], time.perf_counter() - started

    def inspect(self, code):
        content = self.shell_reply(self.client.inspect(code, len(code)))
        return content.get("data", {}).get("text/plain", "")

    def compile_dir(self):
        return self.ok(":last_compile_dir")[1].strip()

    def evcxr(self):
        """The pid of the evcxr_jupyter behind the wrapper kernel (kernel/wrapper.py)."""
        return evcxr_child(self.manager.provisioner.pid)

    def slot(self):
        """The build directory start.py gave this kernel."""
        return process_env(self.evcxr())["EVCXR_TMPDIR"]

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def code_cells(name):
    return [c.source for c in nbformat.read(HERE / name, as_version=4).cells if c.cell_type == "code"]


def first_figure(kernel, name):
    """Runs a notebook's cells in `kernel`; returns the MIME types its last cell showed."""
    mimes = set()
    for source in code_cells(name):
        mimes, _ = kernel.ok(source)
    return mimes


class ProjectKernel(unittest.TestCase):
    def test_completion_and_inspection_of_crate_items(self):
        kernel = Kernel()
        try:
            for source in code_cells("kernel_1d.ipynb")[:2]:
                kernel.ok(source)
            matches, seconds = kernel.complete("gm.sc")
            print(f"  gm.sc -> {matches} in {seconds:.2f} s")
            self.assertIn("score", [m.split("(")[0] for m in matches])
            matches, seconds = kernel.complete("Curves1d::new(&gm, -6.0..=6.0).po")
            print(f"  Curves1d::new(..).po -> {matches} in {seconds:.2f} s")
            self.assertIn("points", [m.split("(")[0] for m in matches])
            self.assertIn("GaussianMixture", kernel.inspect("gm"))
        finally:
            kernel.stop()

    def test_completion_offers_only_reader_facing_methods(self):
        # What Tab offers after `gm.sc`, `gm.lo` and `GaussianMixture::ne`: the methods a reader
        # calls, not the block evaluation the samplers use or the mixture's private functions (the
        # kernel completes private items of a path dependency too).
        kernel = Kernel()
        try:
            for source in code_cells("kernel_1d.ipynb")[:2]:
                kernel.ok(source)
            matches, _ = kernel.complete("gm.sc")
            names = {m.split("(")[0] for m in matches}
            print(f"  gm.sc -> {sorted(names)}")
            self.assertIn("score", names)
            self.assertEqual(names - {"score", "score_into", "score_batch", "score_rows"}, set())
            matches, _ = kernel.complete("gm.lo")
            names = {m.split("(")[0] for m in matches}
            print(f"  gm.lo -> {sorted(names)}")
            self.assertIn("log_prob", names)
            reader_facing = {"log_prob", "log_prob_batch", "log_prob_rows", "log_prob_and_score"}
            self.assertEqual(names - reader_facing, set())
            matches, _ = kernel.complete("GaussianMixture::ne")
            names = {m.split("(")[0] for m in matches}
            print(f"  GaussianMixture::ne -> {sorted(names)}")
            self.assertIn("new", names)
            # `ne` is PartialEq's, which the mixture derives.
            self.assertEqual(names - {"new", "new_1d", "ne"}, set())
        finally:
            kernel.stop()

    def test_a_library_older_than_the_crate_is_refused(self):
        # As if crate/ changed after the last `make setup`: a source file newer than the library
        # (same content, so restoring its time makes the library current again).
        source = ROOT / "crate/src/lib.rs"
        times = source.stat()
        os.utime(source, ns=(times.st_atime_ns, time.time_ns()))
        try:
            kernel = Kernel()
            try:
                mimes, out, err = kernel.run(code_cells("kernel_1d.ipynb")[0])
                print(f"  stale library -> {err.strip()[:300]!r}")
                self.assertIn("the prebuilt scorelab library is older than", err)
                self.assertIn("make setup", err)
                self.assertNotIn("image/png", mimes)
            finally:
                kernel.stop()
        finally:
            os.utime(source, ns=(times.st_atime_ns, times.st_mtime_ns))
        kernel = Kernel()
        try:
            self.assertIn("image/png", first_figure(kernel, "kernel_1d.ipynb"))
        finally:
            kernel.stop()

    def test_a_library_built_from_another_cargo_lock_or_rustc_is_refused(self):
        # As if Cargo.lock changed, or rustc was upgraded, after the last `make setup`: the
        # record of what the library was built with, next to it, says otherwise.
        records = {path: path.read_bytes() for path in (start.BUILT_WITH_LOCK, start.BUILT_BY_RUSTC)}
        kernel = Kernel()
        try:
            try:
                start.BUILT_WITH_LOCK.write_bytes(records[start.BUILT_WITH_LOCK] + b"# another lock\n")
                mimes, out, err = kernel.run(code_cells("kernel_1d.ipynb")[0])
                print(f"  another Cargo.lock -> {err.strip()[:300]!r}")
                self.assertIn("Cargo.lock changed", err)
                self.assertIn("make setup", err)
                start.BUILT_WITH_LOCK.write_bytes(records[start.BUILT_WITH_LOCK])
                start.BUILT_BY_RUSTC.write_text("rustc 1.0.0 (a59807616 2015-05-15)\nrelease: 1.0.0\n")
                mimes, out, err = kernel.run(code_cells("kernel_1d.ipynb")[0])
                print(f"  another rustc -> {err.strip()[:300]!r}")
                self.assertIn("rustc 1.0.0 (a59807616 2015-05-15)", err)
                current = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
                self.assertIn(current.splitlines()[0], err)
                self.assertIn("make setup", err)
            finally:
                for path, content in records.items():
                    path.write_bytes(content)
            # The same kernel, the records restored: the library is current again.
            self.assertIn("image/png", first_figure(kernel, "kernel_1d.ipynb"))
        finally:
            kernel.stop()

    def test_a_kernel_killed_while_its_cell_runs_frees_its_slot(self):
        # evcxr runs cells in a child process, which a busy cell keeps alive after evcxr died (as
        # when the OOM killer picks evcxr): that child must not keep the slot locked.
        kernel = Kernel()
        orphans = []
        try:
            slot = kernel.slot()
            msg_id = kernel.client.execute('println!("started"); std::thread::sleep(std::time::Duration::from_secs(300));')
            while True:
                msg = kernel.client.get_iopub_msg(timeout=600)
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                    break
            evcxr = kernel.evcxr()
            orphans = children(evcxr)
            self.assertTrue(orphans, "evcxr runs the cell in no child process")
            os.kill(evcxr, signal.SIGKILL)
            kernel.manager.provisioner.process.wait()  # the wrapper exits with its evcxr
            self.assertTrue(all(alive(pid) for pid in orphans), "the cell's process died with evcxr")
            second = Kernel()
            try:
                self.assertEqual(second.slot(), slot, "the killed kernel's slot is still locked")
            finally:
                second.stop()
        finally:
            for pid in orphans:
                os.kill(pid, signal.SIGKILL)
            kernel.stop()

    def test_two_kernels_at_once_then_a_restart_reuses_a_slot(self):
        kernels = [Kernel(), Kernel()]
        try:
            results = {}

            def run(kernel, name):
                try:
                    results[name] = (first_figure(kernel, name), kernel.compile_dir())
                except Exception as err:  # reported below, in the main thread
                    results[name] = err

            threads = [threading.Thread(target=run, args=(k, n)) for k, n in zip(kernels, ["kernel_1d.ipynb", "kernel_2d.ipynb"])]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            for name, result in results.items():
                self.assertNotIsInstance(result, Exception, f"{name}: {result}")
                self.assertIn("image/png", result[0], name)
            dirs = [r[1] for r in results.values()]
            self.assertNotEqual(dirs[0], dirs[1], "two kernels built in the same directory")
        finally:
            for k in kernels:
                k.stop()
        slots_before = sorted(p.name for p in start.SLOTS.iterdir() if p.is_dir())
        kernel = Kernel()
        try:
            self.assertIn(kernel.compile_dir(), dirs, "a restarted kernel did not reuse a free slot")
            self.assertEqual(sorted(p.name for p in start.SLOTS.iterdir() if p.is_dir()), slots_before)
            leftovers = [p for p in Path(kernel.compile_dir()).glob("target/*/debug/deps/libcode_*.so")]
            self.assertEqual(leftovers, [], "cell libraries of the previous kernel were kept")
        finally:
            kernel.stop()


class StartedWithAParent(unittest.TestCase):
    """start.py given a parent pid, as kernel/warm/scorelab_warm.py starts spares."""

    def setUp(self):
        self.connection_file, _ = write_connection_file(ip="127.0.0.1")
        self.addCleanup(Path(self.connection_file).unlink, missing_ok=True)
        self.argv = [sys.executable, str(ROOT / "kernel/start.py"), "--control_file", self.connection_file]

    def test_exits_at_once_when_its_parent_is_already_gone(self):
        gone = subprocess.Popen(["true"])
        gone.wait()
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        env[start.PARENT_PID] = str(gone.pid)
        kernel = subprocess.Popen(self.argv, env=env, stderr=subprocess.PIPE, text=True)
        try:
            _, err = kernel.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            kernel.kill()
            kernel.wait()
            self.fail("start.py ran on after its parent was gone")
        self.assertNotEqual(kernel.returncode, 0)
        self.assertIn(str(gone.pid), err)

    def test_dies_with_its_parent(self):
        code = (
            "import os, subprocess, sys, time\n"
            "kernel = subprocess.Popen(sys.argv[2:], env=dict(os.environ, **{sys.argv[1]: str(os.getpid())}),\n"
            "                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "while not os.readlink(f'/proc/{kernel.pid}/exe').endswith('evcxr_jupyter'): time.sleep(0.1)\n"
            "print(kernel.pid, flush=True)\n"
            "os._exit(0)\n"
        )
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        pid = int(subprocess.run([sys.executable, "-c", code, start.PARENT_PID, *self.argv],
                                 env=env, capture_output=True, text=True, check=True).stdout)
        for _ in range(100):
            if not alive(pid):
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            self.fail(f"kernel {pid} outlived its parent")

    def test_the_wrapper_exits_at_once_when_its_parent_is_already_gone(self):
        gone = subprocess.Popen(["true"])
        gone.wait()
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        env[start.PARENT_PID] = str(gone.pid)
        argv = [sys.executable, str(ROOT / "kernel/wrapper.py"), "-f", self.connection_file]
        kernel = subprocess.Popen(argv, env=env, stderr=subprocess.PIPE, text=True)
        try:
            _, err = kernel.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            kernel.kill()
            kernel.wait()
            self.fail("wrapper.py ran on after its parent was gone")
        self.assertNotEqual(kernel.returncode, 0)
        self.assertIn(str(gone.pid), err)

    def test_the_wrapper_and_its_evcxr_die_with_its_parent(self):
        code = (
            "import os, subprocess, sys, time\n"
            f"sys.path.insert(0, {str(HERE)!r}); from test_kernel import evcxr_child\n"
            "kernel = subprocess.Popen(sys.argv[2:], env=dict(os.environ, **{sys.argv[1]: str(os.getpid())}),\n"
            "                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            "print(kernel.pid, evcxr_child(kernel.pid), flush=True)\n"
            "os._exit(0)\n"
        )
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        argv = [sys.executable, str(ROOT / "kernel/wrapper.py"), "-f", self.connection_file]
        pids = [int(p) for p in subprocess.run([sys.executable, "-c", code, start.PARENT_PID, *argv],
                                               env=env, capture_output=True, text=True, check=True).stdout.split()]
        for _ in range(100):
            if not any(alive(pid) for pid in pids):
                break
            time.sleep(0.1)
        else:
            for pid in pids:
                os.kill(pid, signal.SIGKILL)
            self.fail(f"kernel and evcxr {pids} outlived their parent")


class Wrapper(unittest.TestCase):
    """What kernel/wrapper.py adds in front of evcxr: its live directory, interrupt, history."""

    def test_live_directory_is_private_and_removed_at_shutdown_and_restart(self):
        kernel = Kernel()
        try:
            live_dir = Path(process_env(kernel.evcxr())["SCORELAB_LIVE_DIR"])
            self.assertEqual(live_dir.stat().st_mode & 0o777, 0o700)
            kernel.manager.restart_kernel(now=False)
            self.assertFalse(live_dir.exists(), "a restart kept the old live directory")
            kernel.client.wait_for_ready(timeout=300)
            restarted = Path(process_env(kernel.evcxr())["SCORELAB_LIVE_DIR"])
            self.assertNotEqual(restarted, live_dir)
            self.assertEqual(kernel.run("let n: i32 = 1; n + 1")[1].strip(), "2")
            kernel.client.stop_channels()
            kernel.manager.shutdown_kernel(now=False)  # as JupyterLab shuts a kernel down
            self.assertFalse(restarted.exists(), "shutdown kept the live directory")
            killed = Kernel()  # killed outright: the next kernel removes its directory
            killed_dir = Path(process_env(killed.evcxr())["SCORELAB_LIVE_DIR"])
            killed.stop()
            self.assertTrue(killed_dir.exists())
            kernel = Kernel()
            self.assertFalse(killed_dir.exists(), "a killed kernel's live directory was kept")
        finally:
            kernel.stop()

    def test_interrupt_ends_the_running_cell_and_the_kernel_goes_on(self):
        # evcxr's documented behaviour: an interrupt ends its worker process (variables are lost).
        kernel = Kernel()
        try:
            kernel.ok("let kept: i32 = 41;")
            msg_id = kernel.client.execute('println!("started"); std::thread::sleep(std::time::Duration::from_secs(300));')
            while True:
                msg = kernel.client.get_iopub_msg(timeout=600)
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                    break
            started = time.monotonic()
            kernel.manager.interrupt_kernel()
            reply = kernel.shell_reply(msg_id, timeout=60)
            print(f"  interrupt -> cell ended in {time.monotonic() - started:.2f} s, status {reply['status']}")
            mimes, out, err = kernel.run("let n: i32 = 1; n + 1")
            self.assertEqual(out.strip(), "2", f"shown {sorted(mimes)}, stderr {err!r}")
            mimes, out, err = kernel.run("kept")
            print(f"  after the interrupt, `kept` -> {err.strip()[:120]!r}")
            self.assertIn("kept", err)
        finally:
            kernel.stop()

    def test_the_kernels_ports_are_held_from_before_evcxr_starts(self):
        # Jupyter's ports are free until the kernel binds them; the wrapper opens evcxr's ports
        # and connections before ipykernel binds, so it must hold its own from the start.
        connection_file, info = write_connection_file(ip="127.0.0.1")
        self.addCleanup(Path(connection_file).unlink, missing_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        argv = [sys.executable, str(ROOT / "kernel/wrapper.py"), "-f", connection_file]
        kernel = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.addCleanup(kernel.wait)
        self.addCleanup(kernel.kill)
        evcxr_child(kernel.pid)
        for name in port_names:
            with socket.socket() as probe, self.subTest(port=name):
                with self.assertRaises(OSError, msg=f"{name} was free when evcxr started") as caught:
                    probe.bind(("127.0.0.1", info[name]))
                self.assertEqual(caught.exception.errno, errno.EADDRINUSE)
        client = BlockingKernelClient(connection_file=connection_file)
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=300)
        finally:
            client.stop_channels()

    def test_history_and_is_complete_are_answered(self):
        kernel = Kernel()
        try:
            self.assertEqual(kernel.shell_reply(kernel.client.history(), timeout=30)["history"], [])
            self.assertEqual(kernel.shell_reply(kernel.client.is_complete("let a = 1;"))["status"], "complete")
            info = kernel.shell_reply(kernel.client.kernel_info())
            self.assertEqual(info["language_info"]["name"], "Rust")
        finally:
            kernel.stop()


LIVE_CELL = """Live::new()
    .slider("mean μ₁", -4.0..=4.0, 2.0)
    .slider("weight w₁", 0.05..=1.5, 0.5)
    .show(|v| {
        let w = v.number("weight w₁")?;
        let gm = GaussianMixture::new_1d(&[w, 1.0 - w], &[v.number("mean μ₁")?, -2.0], &[1.0, 1.0])?;
        Curves1d::new(&gm, -6.0..=6.0).render()
    })?"""


def direct_cell(mean, weight):
    """The live cell's figure drawn by a plain cell, for the given values."""
    return (f"{{ let gm = GaussianMixture::new_1d(&[{weight!r}, 1.0 - {weight!r}], &[{mean!r}, -2.0], "
            f"&[1.0, 1.0])?; Curves1d::new(&gm, -6.0..=6.0).render()? }}")


class LiveSession:
    """A kernel with the live cell run, acting as the front end's widget manager would: it sets
    a control's value by a comm message and reads the frames and the error line on IOPub."""

    def __init__(self, kernel, cells=1, setup=None):
        self.kernel = kernel
        self.messages = []
        # Two cells: evcxr shows the first final expression after a `:dep` as text only.
        for source in code_cells("kernel_1d.ipynb")[:2] if setup is None else setup:
            kernel.ok(source)
        self.figures = [self.show() for _ in range(cells)]

    def show(self, cell=LIVE_CELL):
        """Runs a live cell; its figure is the next of `figures`' indices."""
        start = len(self.messages)
        msg_id = self.kernel.client.execute(cell)
        self.until(lambda m: m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                   and m["content"]["execution_state"] == "idle", timeout=600)
        shown = self.messages[start:]
        frame = next(m["content"] for m in shown if m["msg_type"] == "display_data"
                     and "image/png" in m["content"]["data"])
        models, states = {}, {}
        for m in shown:
            if m["msg_type"] == "comm_open":
                state = m["content"]["data"]["state"]
                name = state.get("description") or state["_model_name"]
                models[name], states[name] = m["content"]["comm_id"], state
        return {"display_id": frame["transient"]["display_id"], "png": frame["data"]["image/png"],
                "models": models, "states": states}

    def until(self, predicate, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            msg = self.kernel.client.get_iopub_msg(timeout=max(0.01, deadline - time.monotonic()))
            self.messages.append(msg)
            if predicate(msg):
                return msg

    def set(self, figure, name, value):
        comm_id = self.figures[figure]["models"][name]
        msg = self.kernel.client.session.msg("comm_msg", {
            "comm_id": comm_id, "data": {"method": "update", "state": {"value": value}, "buffer_paths": []}})
        self.kernel.client.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def next_frame(self, figure, timeout=60):
        display_id = self.figures[figure]["display_id"]
        msg = self.until(lambda m: m["msg_type"] == "update_display_data"
                         and m["content"]["transient"]["display_id"] == display_id, timeout)
        return msg["content"]["data"]["image/png"]

    def frame_or_error(self, figure, timeout=60):
        """The next frame of the figure, or AssertionError with its error line's message."""
        display_id, error_id = self.figures[figure]["display_id"], self.figures[figure]["models"]["HTMLModel"]
        msg = self.until(lambda m: (m["msg_type"] == "update_display_data"
                                    and m["content"]["transient"]["display_id"] == display_id)
                         or (m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == error_id
                             and m["content"]["data"].get("state", {}).get("value")), timeout)
        if msg["msg_type"] == "comm_msg":
            raise AssertionError(msg["content"]["data"]["state"]["value"])
        return msg["content"]["data"]["image/png"]

    def error_line(self, figure, timeout=60):
        """The next value of the figure's error line."""
        comm_id = self.figures[figure]["models"]["HTMLModel"]
        msg = self.until(lambda m: m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == comm_id
                         and "value" in m["content"]["data"].get("state", {}), timeout)
        return msg["content"]["data"]["state"]["value"]


class LiveFigures(unittest.TestCase):
    """Live figures end to end: scorelab::Live in evcxr's worker, the wrapper's widgets."""

    def test_every_live_cell_of_the_series_draws_at_both_ends_of_its_sliders(self):
        # A slider's range promises the reader that every value in it draws.
        for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
            cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
            if not any("Live::new" in c.source for c in cells):
                continue
            kernel = Kernel(cwd=path.parent)
            try:
                session = LiveSession(kernel, cells=0, setup=[])
                last = max(i for i, c in enumerate(cells) if "Live::new" in c.source)
                for cell in cells[:last + 1]:
                    if "Live::new" in cell.source:
                        session.figures.append(session.show(cell.source))
                    else:  # a demonstrated error prints to stderr: run, not checked
                        (kernel.run if "expect_stderr" in cell.metadata else kernel.ok)(cell.source)
                for figure, shown in enumerate(session.figures):
                    for name, state in shown["states"].items():
                        if "min" not in state:
                            continue
                        for value in (state["min"], state["max"]):
                            with self.subTest(notebook=path.name, figure=figure, slider=name, value=value):
                                session.set(figure, name, value)
                                session.frame_or_error(figure)
                                print(f"  {path.name} · live figure {figure + 1} · {name} = {value}: drawn")
                                time.sleep(2 * live.REST_SECONDS)  # at rest: the next change is a lone one, drawn sharp
            finally:
                kernel.stop()

    def test_a_slider_redraws_the_figure_as_a_direct_render_would(self):
        kernel = Kernel()
        try:
            session = LiveSession(kernel, cells=2)
            started = time.monotonic()
            session.set(0, "mean μ₁", 1.5)
            png = session.next_frame(0)
            print(f"  slider -> new frame on IOPub in {1000 * (time.monotonic() - started):.0f} ms")
            self.assertNotEqual(png, session.figures[0]["png"])
            session.messages.clear()
            msg_id = kernel.client.execute(direct_cell(1.5, 0.5))
            result = session.until(lambda m: m["parent_header"].get("msg_id") == msg_id
                                   and m["msg_type"] == "execute_result", timeout=600)
            direct = result["content"]["data"]["image/png"]
            self.assertNotEqual(png, direct, "a frame is deflated for speed, a cell's figure for size")
            self.assertEqual(png_parts(base64.b64decode(png)), png_parts(base64.b64decode(direct)),
                             "the frame's pixels differ from a direct render's")
            # The second figure of the same kernel is independent of the first.
            session.set(1, "mean μ₁", -1.0)
            self.assertNotEqual(session.next_frame(1), session.figures[1]["png"])
        finally:
            kernel.stop()

    def test_a_moving_slider_shows_drafts_then_the_sharp_frame(self):
        kernel = Kernel()
        try:
            session = LiveSession(kernel)
            display_id = session.figures[0]["display_id"]
            means = [round(1.0 - 0.1 * k, 1) for k in range(11)]
            for mean in means:  # a drag: changes 20 ms apart
                session.set(0, "mean μ₁", mean)
                time.sleep(0.02)
            frames = []  # (mean, PNG) of each frame, until the sharp one of the last value
            while True:
                msg = session.until(lambda m: m["msg_type"] == "update_display_data"
                                    and m["content"]["transient"]["display_id"] == display_id)
                content = msg["content"]
                png = base64.b64decode(content["data"]["image/png"])
                mean = content["metadata"]["scorelab"]["live_values"]["mean μ₁"]
                frames.append((mean, png))
                size = content["metadata"]["image/png"]
                if mean == means[-1] and png_parts(png)[0] == 2 * size["width"]:
                    break
            widths = [png_parts(png)[0] for _, png in frames]
            print(f"  11 changes 20 ms apart -> frames of widths {widths}")
            drafts = [(mean, png) for mean, png in frames if png_parts(png)[0] == size["width"]]
            self.assertTrue(drafts, "no draft while the slider moved")
            session.messages.clear()
            with tempfile.TemporaryDirectory() as tmp:
                small = Path(tmp) / "direct_1x.png"
                # The direct render, shown, and its 1x PNG (the pixels averaged down) saved.
                cell = f"let direct = {direct_cell(means[-1], 0.5)};\n" \
                       f"std::fs::write({json.dumps(str(small))}, direct.png_1x())?;\ndirect"
                msg_id = kernel.client.execute(cell)
                result = session.until(lambda m: m["parent_header"].get("msg_id") == msg_id
                                       and m["msg_type"] in ("execute_result", "error"), timeout=600)
                self.assertEqual(result["msg_type"], "execute_result", result["content"])
                direct_1x = small.read_bytes()
            direct = base64.b64decode(result["content"]["data"]["image/png"])
            self.assertEqual(png_parts(frames[-1][1]), png_parts(direct), "the sharp frame is the direct render")
            mean, draft = drafts[-1]
            self.assertEqual(mean, means[-1], "the last values were drafted before they came sharp")
            self.assertEqual(decode_png(draft), decode_png(direct_1x),
                             "a draft is the direct render at one pixel per logical pixel")
        finally:
            kernel.stop()

    def test_an_error_shows_under_the_sliders_and_the_sliders_keep_working(self):
        kernel = Kernel()
        try:
            kernel.ok("let kept: i32 = 7;")
            session = LiveSession(kernel)
            session.set(0, "weight w₁", 1.2)
            line = session.error_line(0)
            print(f"  weight 1.2 -> {line!r}")
            self.assertIn("weight", line.lower() + line)
            session.set(0, "weight w₁", 0.3)
            session.next_frame(0)
            self.assertEqual(session.error_line(0), "")
            self.assertEqual(kernel.run("kept + 1")[1].strip(), "8", "a variable was lost")
        finally:
            kernel.stop()

    def test_sliders_work_while_another_cell_runs(self):
        kernel = Kernel()
        try:
            session = LiveSession(kernel)
            busy = kernel.client.execute("std::thread::sleep(std::time::Duration::from_secs(8)); 1")
            time.sleep(1.0)
            started = time.monotonic()
            update = session.set(0, "mean μ₁", 0.5)
            session.next_frame(0, timeout=20)
            seconds = time.monotonic() - started
            print(f"  slider while a cell runs -> new frame in {1000 * seconds:.0f} ms")
            self.assertLess(seconds, 5.0, "the slider waited for the running cell")
            # The update's own idle status, which ipywidgets waits for before it sends the next
            # value of that widget (else a slider set while its cell runs goes dead).
            def idle(m):
                return (m["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
                        and m["parent_header"].get("msg_id") == update)
            if not any(idle(m) for m in session.messages):
                session.until(idle, timeout=5)
            session.set(0, "mean μ₁", -0.5)
            session.next_frame(0, timeout=20)
            self.assertEqual(kernel.shell_reply(busy, timeout=60)["status"], "ok")
        finally:
            kernel.stop()

    def test_after_an_interrupt_the_sliders_say_to_rerun_the_cell(self):
        kernel = Kernel()
        try:
            session = LiveSession(kernel)
            kernel.manager.interrupt_kernel()  # ends evcxr's worker process, and the figure's thread
            time.sleep(1.0)
            session.set(0, "mean μ₁", 0.5)
            line = session.error_line(0)
            print(f"  after an interrupt -> {line!r}")
            self.assertIn("re-run the cell", line)
            # The next cell reports the ended worker; in the fresh one, the first final expression
            # shows as text only (evcxr), so a statement goes first.
            kernel.run("let again = 1;")
            kernel.ok("let again = 1;")
            session.figures.append(session.show())
            session.set(1, "mean μ₁", 0.5)
            session.next_frame(1)
        finally:
            kernel.stop()

    def test_two_kernels_each_with_a_live_figure(self):
        kernels = [Kernel(), Kernel()]
        try:
            sessions = [LiveSession(k) for k in kernels]
            for session, mean in zip(sessions, [1.0, -1.0]):
                session.set(0, "mean μ₁", mean)
            frames = [session.next_frame(0) for session in sessions]
            self.assertNotEqual(frames[0], frames[1])
        finally:
            for k in kernels:
                k.stop()


def warm_spare(directory):
    """Starts a spare kernel for `directory` now and waits until it is warm."""
    spec = KernelSpecManager().get_kernel_spec("rust")
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
    scorelab_warm.start_spare(spec.argv, env, directory)
    for _ in range(600):
        spare = scorelab_warm.SPARES.get(str(directory))
        if spare is not None:
            break
        time.sleep(0.1)
    assert spare.warm.wait(300), "the spare did not warm up"
    return spare


class WarmSpares(unittest.TestCase):
    def setUp(self):
        os.environ["SCORELAB_WARM_KERNELS"] = "1"

    def tearDown(self):
        os.environ["SCORELAB_WARM_KERNELS"] = "0"  # also drops the replacements still queued
        scorelab_warm.stop_spares()

    def test_a_new_kernel_adopts_the_warm_spare_of_its_directory(self):
        spare = warm_spare(HERE)
        ports = {spare.connection_info[name] for name in port_names}
        self.assertLessEqual(ports, LocalPortCache.instance().currently_used_ports,
                             "a kernel started here could be given the spare's ports")
        kernel = Kernel()
        try:
            self.assertEqual(kernel.manager.provisioner.pid, spare.process.pid, "the spare was not adopted")
            self.assertFalse(Path(spare.connection_file).exists(), "the spare's connection file was kept")
            mimes, out, err = kernel.run(":vars")
            self.assertEqual((out.strip(), err), ("", ""), "the warm-up left state behind")
            self.assertIn("image/png", first_figure(kernel, "kernel_1d.ipynb"))
            self.assertEqual(kernel.run("let n: i32 = 1; n + 1")[1].strip(), "2")
        finally:
            kernel.stop()

    def test_a_spare_taken_the_moment_it_starts_still_runs(self):
        # The replacement spare may be adopted before evcxr has read its connection file.
        spec = KernelSpecManager().get_kernel_spec("rust")
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        scorelab_warm.start_spare(spec.argv, env, HERE)
        while str(HERE) not in scorelab_warm.SPARES:
            time.sleep(0.001)
        spare = scorelab_warm.SPARES[str(HERE)]
        kernel = Kernel()
        try:
            self.assertEqual(kernel.manager.provisioner.pid, spare.process.pid, "the spare was not adopted")
            self.assertEqual(kernel.run("let n: i32 = 1; n + 1")[1].strip(), "2")
        finally:
            kernel.stop()
        for _ in range(100):
            if not Path(spare.connection_file).exists():
                break
            time.sleep(0.1)
        else:
            self.fail("the spare's connection file was kept after the kernel answered")

    def test_a_spare_older_than_the_library_is_not_handed_out(self):
        spare = warm_spare(HERE)
        times = start.LIBRARY.stat()
        os.utime(start.LIBRARY, ns=(times.st_atime_ns, times.st_mtime_ns + 1))
        try:
            self.assertIsNone(scorelab_warm.take_spare(HERE))
            self.assertIsNotNone(spare.process.poll(), "the stale spare still runs")
        finally:
            os.utime(start.LIBRARY, ns=(times.st_atime_ns, times.st_mtime_ns))

    def test_a_spare_dies_with_the_process_that_started_it(self):
        code = (
            "import os, sys, time; sys.path.insert(0, sys.argv[1]); import scorelab_warm\n"
            "from jupyter_client.kernelspec import KernelSpecManager\n"
            "scorelab_warm.start_spare(KernelSpecManager().get_kernel_spec('rust').argv, dict(os.environ), sys.argv[2])\n"
            "while not scorelab_warm.SPARES: time.sleep(0.1)\n"
            "pid = next(iter(scorelab_warm.SPARES.values())).process.pid\n"
            f"sys.path.insert(0, {str(HERE)!r}); from test_kernel import evcxr_child\n"
            "evcxr = evcxr_child(pid)\n"
            "print('pids', pid, evcxr, flush=True)\n"
            "os._exit(0)  # no clean-up: the spare must die by itself\n"
        )
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        out = subprocess.run([sys.executable, "-c", code, str(ROOT / "kernel/warm"), str(HERE)],
                             env=env, capture_output=True, text=True, check=True).stdout
        # The spare shares the script's stdout, on which evcxr may write a line of its own.
        pids = [int(p) for p in re.search(r"^pids (\d+) (\d+)$", out, re.M).groups()]
        for _ in range(100):
            if not any(alive(pid) for pid in pids):
                break
            time.sleep(0.1)
        else:
            self.fail(f"spare kernel and its evcxr {pids} outlived the process that started it")
        orphans = list(scorelab_warm.SPARES_DIRECTORY.glob("kernel-*.json"))
        self.assertTrue(orphans, "the test's spare left no connection file to drop")
        warm_spare(HERE)
        self.assertEqual([p for p in orphans if p.exists()], [], "orphaned connection files were kept")

    def test_make_lab_starts_a_spare_per_notebook_directory_that_dies_with_it(self):
        # The server extension exactly as `make lab` loads it.
        recipe = subprocess.run(["make", "-s", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        flag = re.search(r"--ServerApp\.jpserver_extensions=\S+", recipe).group(0)
        cmd = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1",
               "--ServerApp.port=0", f"--ServerApp.root_dir={ROOT}", flag]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        env = {k: v for k, v in os.environ.items() if k != "JUPYTER_PATH"}
        before = set(evcxr_processes())
        server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            wanted = {str(d) for d in scorelab_warm.NOTEBOOK_DIRECTORIES}
            for _ in range(300):
                spares = {pid: cwd for pid, cwd in evcxr_processes().items() if cwd in wanted and pid not in before}
                if set(spares.values()) == wanted:
                    break
                time.sleep(0.1)
            self.assertEqual(set(spares.values()), wanted, "no spare kernel for each notebook directory")
        finally:
            server.terminate()
            server.wait(timeout=60)
        for _ in range(100):
            if not set(spares) & set(evcxr_processes()):
                break
            time.sleep(0.1)
        else:
            self.fail(f"spare kernels {spares} outlived JupyterLab")


def alive(pid):
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def children(pid):
    """The pids of `pid`'s live child processes."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(proc.name))
        except (OSError, ValueError, IndexError):
            pass
    return [p for p in found if alive(p)]


def evcxr_child(pid, timeout=60):
    """The evcxr_jupyter that the wrapper kernel `pid` started (waits for its exec)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children(pid):
            try:
                if os.readlink(f"/proc/{child}/exe").endswith("evcxr_jupyter"):
                    return child
            except OSError:
                pass
        time.sleep(0.05)
    raise AssertionError(f"kernel {pid} started no evcxr_jupyter")


def process_env(pid):
    entries = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
    return dict(e.split("=", 1) for e in entries if "=" in e)


def evcxr_processes():
    """pid → working directory of every running evcxr_jupyter."""
    found = {}
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and os.readlink(proc / "exe").endswith("evcxr_jupyter"):
                if "zombie" not in (proc / "status").read_text():
                    found[int(proc.name)] = os.readlink(proc / "cwd")
        except OSError:
            pass
    return found


if __name__ == "__main__":
    unittest.main(verbosity=2)
