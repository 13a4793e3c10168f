"""One warm Rust kernel kept ready per notebook directory, so a notebook's kernel starts warm.

Most of a new evcxr kernel's first seconds go to rust-analyzer, which evcxr runs in-process:
at start it reads the standard library, and the first `let` waits while it infers types in
it for the first time. Neither depends on the notebook. This provisioner (named
`scorelab-warm` in the Rust kernel's spec, see tools/install_kernel.py) therefore starts a
spare kernel in the background for each directory a kernel was started in, and warms it with
one completion request, which leaves no state behind. The next kernel started there, a restart
or another notebook of the same directory, adopts the spare instead of starting cold. The
server extension of the same name starts spares for the notebook directories when JupyterLab
starts (`make lab`).

A spare is never handed out if the prebuilt library changed after it started, and every spare
dies with the process that started it (kernel/start.py, given its pid, arranges that). Each
spare takes a build slot and about 0.5 GB of memory; `SCORELAB_WARM_KERNELS=0` in JupyterLab's
environment turns spares off.
"""
import atexit
import heapq
import itertools
import os
import queue
import subprocess
import threading
import time
from pathlib import Path

from jupyter_client import BlockingKernelClient
from jupyter_client.connect import LocalPortCache, port_names, write_connection_file
from jupyter_client.provisioning import LocalProvisioner
from jupyter_core.utils import ensure_event_loop

ROOT = Path(__file__).resolve().parent.parent.parent
LIBRARY = ROOT / "target/kernel/release/libscorelab.so"
NOTEBOOK_DIRECTORIES = [ROOT / "notebooks", ROOT / "experiment"]
SPARES_DIRECTORY = ROOT / "target/kernel/spares"
# Completing a method call makes rust-analyzer infer a function body, as the first `let` would.
WARM_UP_CODE = "let warm_up = vec![1.0f64]; warm_up.it"
# A kernel's replacement spare starts this long after it, so that the two do not share the
# machine's cores while the new kernel runs its first cells.
REPLACEMENT_DELAY_SECONDS = 30.0
# Read by kernel/start.py: the kernel dies with the thread that started it (`STARTER`), which
# lives as long as this process.
PARENT_PID = "SCORELAB_KERNEL_PARENT_PID"


class Spare:
    """A kernel started ahead for one directory, warming up in a background thread."""

    def __init__(self, argv, env, cwd):
        SPARES_DIRECTORY.mkdir(parents=True, exist_ok=True)
        drop_orphaned_connection_files()
        self.connection_file = str(SPARES_DIRECTORY / f"kernel-{os.getpid()}-{id(self):x}.json")
        # From Jupyter's own cache, so that no kernel this process starts is given the same ports.
        ports = {name: LocalPortCache.instance().find_available_port("127.0.0.1") for name in port_names}
        self.connection_file, info = write_connection_file(self.connection_file, ip="127.0.0.1", **ports)
        self.connection_info = {**info, "key": info["key"].encode()}
        self.cwd = str(cwd)
        self.library_mtime = library_mtime()
        self.warm = threading.Event()
        cmd = [a.replace("{connection_file}", self.connection_file) for a in argv]
        self.process = subprocess.Popen(
            cmd, env={**env, PARENT_PID: str(os.getpid())}, cwd=self.cwd, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        threading.Thread(target=self.warm_up, daemon=True).start()

    def warm_up(self):
        client = BlockingKernelClient(connection_file=self.connection_file)
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=300)
            # Read by the kernel at its start, so kept until it answered, even if adopted before.
            Path(self.connection_file).unlink(missing_ok=True)
            client.complete(WARM_UP_CODE, len(WARM_UP_CODE), reply=True, timeout=300)
        except (RuntimeError, TimeoutError):
            pass  # a kernel that failed to start is dropped when it is taken
        finally:
            client.stop_channels()
            ensure_event_loop().close()  # this thread's, made by the client's calls
            Path(self.connection_file).unlink(missing_ok=True)
            self.warm.set()

    def usable(self):
        return self.process.poll() is None and self.library_mtime == library_mtime()

    def stop(self):
        """Ends a spare that was not adopted (an adopted one is its provisioner's)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        Path(self.connection_file).unlink(missing_ok=True)
        for name in port_names:
            LocalPortCache.instance().return_port(self.connection_info[name])


SPARES = {}


def enabled():
    return os.environ.get("SCORELAB_WARM_KERNELS", "1") != "0"


def library_mtime():
    try:
        return LIBRARY.stat().st_mtime_ns
    except OSError:
        return None


def drop_orphaned_connection_files():
    """Connection files of spares whose starting process died without cleaning up."""
    for path in SPARES_DIRECTORY.glob("kernel-*-*.json"):
        try:
            os.kill(int(path.name.split("-")[1]), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except (ValueError, PermissionError):
            pass


REQUESTS = queue.Queue()
LOCK = threading.Lock()


def start_spares_forever():
    """The one thread that starts spares, each when its request is due."""
    pending = []  # a heap of (due, order, argv, env, cwd)
    for order in itertools.count():
        timeout = max(0.0, pending[0][0] - time.monotonic()) if pending else None
        try:
            due, argv, env, cwd = REQUESTS.get(timeout=timeout)
            heapq.heappush(pending, (due, order, argv, env, cwd))
        except queue.Empty:
            pass
        while pending and pending[0][0] <= time.monotonic():
            _, _, argv, env, cwd = heapq.heappop(pending)
            if enabled():
                with LOCK:
                    spare = SPARES.get(cwd)
                    if spare is None or not spare.usable():
                        if spare is not None:
                            spare.stop()
                        SPARES[cwd] = Spare(argv, env, cwd)


STARTER = threading.Thread(target=start_spares_forever, name="scorelab-warm", daemon=True)
STARTER.start()


def start_spare(argv, env, cwd, delay=0.0):
    """Starts a spare kernel for `cwd` after `delay` seconds, unless a usable one exists then."""
    REQUESTS.put((time.monotonic() + delay, argv, env, str(Path(cwd).resolve())))


def take_spare(cwd):
    """The usable spare for `cwd`, removed from the pool, or None."""
    with LOCK:
        spare = SPARES.pop(str(Path(cwd).resolve()), None)
    if spare is not None and not spare.usable():
        spare.stop()
        return None
    return spare


@atexit.register
def stop_spares():
    with LOCK:
        for spare in SPARES.values():
            spare.stop()
        SPARES.clear()


class WarmProvisioner(LocalProvisioner):
    """Starts a kernel by adopting its directory's warm spare, and starts the next spare."""

    async def launch_kernel(self, cmd, **kwargs):
        if not enabled():
            return await super().launch_kernel(cmd, **kwargs)
        cwd = kwargs.get("cwd") or os.getcwd()
        spare = take_spare(cwd)
        if spare is None:
            info = await super().launch_kernel(cmd, **kwargs)
        else:
            self.process = spare.process
            self.pid = spare.process.pid
            self.pgid = os.getpgid(self.pid)
            self.cwd = cwd
            self.connection_info = info = spare.connection_info
        env = {k: v for k, v in (kwargs.get("env") or os.environ).items() if k != "JPY_SESSION_NAME"}
        start_spare(self.kernel_spec.argv, env, cwd, delay=REPLACEMENT_DELAY_SECONDS)
        return info


def _jupyter_server_extension_points():
    return [{"module": "scorelab_warm"}]


def _load_jupyter_server_extension(serverapp):
    """At JupyterLab's start: a spare kernel for each notebook directory."""
    if not enabled():
        return
    spec = serverapp.kernel_spec_manager.get_kernel_spec("rust")
    for directory in NOTEBOOK_DIRECTORIES:
        start_spare(spec.argv, dict(os.environ), directory)
    serverapp.log.info("scorelab: warming a Rust kernel for %s", ", ".join(d.name for d in NOTEBOOK_DIRECTORIES))
