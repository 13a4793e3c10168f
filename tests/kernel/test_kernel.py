#!/usr/bin/env python3
"""The project's Rust kernel (kernel/start.py), checked through Jupyter's own client:

- completion: `gm.sc<Tab>` offers `score`, `Curves1d::new(..).po<Tab>` offers `points`, and
  inspection of `gm` names its type;
- never stale: with the prebuilt library older than `crate/`, the first cell using scorelab fails
  with a message saying to run `make setup`;
- two kernels at once, on kernel_1d.ipynb and kernel_2d.ipynb: both show their figure, each in
  its own build slot; a restarted kernel reuses a free slot (disk use stays bounded).

Run by `make test` (kernel-checks) with the venv's Python; `make setup` must have run.
"""
import os
import re
import sys
import threading
import time
import unittest
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "kernel"))
import start  # noqa: E402  (the launcher: where the library and slots are)


class Kernel:
    """A running project kernel, started in tests/kernel/, and a client to it."""

    def __init__(self):
        self.manager = KernelManager(kernel_name="rust")
        env = dict(os.environ)
        env.pop("JUPYTER_PATH", None)
        self.manager.start_kernel(cwd=str(HERE), env=env)
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
