"""A private JupyterLab server and a headless Chromium for the browser test."""
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium reaches out to the network on its own (updates, sync, field trials).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}



def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server from the project's venv, private to this run, stopped on exit."""

    def __init__(self, root_dir, scratch):
        self.root_dir = Path(root_dir)
        self.scratch = Path(scratch)
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.log_path = self.scratch / "jupyterlab.log"

    def __enter__(self):
        # Fresh Jupyter config and data dirs: no user settings, no workspace, no notebook
        # signatures (so nothing opens trusted); the project's kernel and its lab settings
        # (tools/install_kernel.py) are found in the venv, as `make lab` finds them.
        self.env = env = dict(os.environ)
        for name in ("config", "data", "runtime"):
            (self.scratch / name).mkdir(parents=True, exist_ok=True)
        env["JUPYTER_CONFIG_DIR"] = str(self.scratch / "config")
        env["JUPYTER_DATA_DIR"] = str(self.scratch / "data")
        env["JUPYTER_RUNTIME_DIR"] = str(self.scratch / "runtime")
        env["JUPYTER_PLATFORM_DIRS"] = "1"
        cmd = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            "--ServerApp.terminals_enabled=False",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        self.log_file = open(self.log_path, "w")
        # Its own session: a Ctrl-C in the terminal reaches this script, which stops the server.
        self.proc = subprocess.Popen(
            cmd, cwd=self.root_dir, env=env, stdout=self.log_file, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def api(self, method, path):
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def _wait_ready(self):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not start within 90 s:\n{self.log_tail()}")

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def trust(self, path):
        """Signs a notebook as trusted for this server only (`jupyter trust`)."""
        subprocess.run([sys.executable, "-m", "jupyter", "trust", str(path)], env=self.env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def shutdown_kernels(self):
        try:
            for kernel in self.api("GET", "/api/kernels") or []:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
        except (urllib.error.URLError, ConnectionError, OSError):
            pass

    def __exit__(self, *exc):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.shutdown_kernels()
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        self.log_file.close()
        self.proc = None


@contextmanager
def chromium(playwright, profile_dir, device_scale_factor=1):
    """Headless Debian Chromium with a fresh profile, allowed to talk to 127.0.0.1 only;
    device_scale_factor 2 makes it a high-density screen (two device pixels per CSS pixel)."""
    context = playwright.chromium.launch_persistent_context(
        str(profile_dir),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=VIEWPORT,
        device_scale_factor=device_scale_factor,
    )

    def only_loopback(route):
        url = route.request.url
        if re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]", url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_loopback)
    try:
        yield context
    finally:
        try:
            context.close()
        except PlaywrightError:
            pass  # already gone (a Ctrl-C also stops the driver)
