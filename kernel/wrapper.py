#!/usr/bin/env python3
"""The project's Rust kernel as Jupyter sees it: an ipykernel kernel in front of evcxr_jupyter.

evcxr_jupyter closes every comm a front end opens, so it cannot own widgets. This kernel can: it
starts evcxr_jupyter behind it (through kernel/start.py, which gives it its build slot and the
prebuilt library) and forwards to it

- execute requests, re-publishing evcxr's streams, displays, results and errors under its own
  execution counts, and stdin's input requests both ways;
- complete, inspect and is_complete requests, and kernel_info's language (evcxr's);
- interrupt (evcxr ends its worker process, losing the variables, as it always did) and shutdown:
  evcxr and its processes end, and the live directory is removed. A restart is Jupyter's
  shutdown then a new kernel. If evcxr dies on its own, this kernel exits, so Jupyter reports a
  dead kernel and restarts it as before.

History requests, which evcxr leaves unanswered, get an empty history. What this kernel owns:
ipywidgets (comm messages stay here) and live figures (kernel/live.py); a figure evcxr shows as
an HTML <img> plus a 1x PNG is shown as its dense PNG sized by the output's metadata
(kernel/retina.py). evcxr runs with
`SCORELAB_LIVE_DIR`, a fresh directory (mode 0700, /tmp/scorelab-live-<pid>-*) where
`scorelab::Live` binds one Unix socket per live figure; only this user reaches it, and it is
removed at shutdown (a kernel killed outright leaves it to the next kernel to remove).

    wrapper.py -f CONNECTION_FILE
"""
import asyncio
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import start  # noqa: E402  (evcxr's own start-up: slot, lock, library, pdeathsig)
from held_ports import HeldPorts  # noqa: E402

LIVE_DIR = "SCORELAB_LIVE_DIR"
LIVE_PREFIX = "scorelab-live-"
# evcxr messages re-published as they are; status and execute_input are this kernel's own.
FORWARDED_IOPUB = {"stream", "display_data", "update_display_data", "execute_result", "error", "clear_output"}
SHUTDOWN_SECONDS = 5.0
# How long after evcxr's idle status a cell's late stream lines are still taken as its own.
STREAM_GRACE_SECONDS = 0.05


def drop_orphaned_live_dirs():
    """Live directories of kernels that were killed before they could remove theirs."""
    for path in Path(tempfile.gettempdir()).glob(f"{LIVE_PREFIX}*"):
        try:
            pid = int(path.name[len(LIVE_PREFIX):].split("-")[0])
            if path.stat().st_uid == os.getuid():
                os.kill(pid, 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except (ValueError, OSError):
            pass


class Evcxr:
    """evcxr_jupyter started by kernel/start.py, and a blocking client to it."""

    def __init__(self):
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        drop_orphaned_live_dirs()
        self.live_dir = tempfile.mkdtemp(prefix=f"{LIVE_PREFIX}{os.getpid()}-")  # mode 0700
        self.connection_file, _ = write_connection_file(
            os.path.join(self.live_dir, "evcxr.json"), ip="127.0.0.1")
        env = {**os.environ, LIVE_DIR: self.live_dir, start.PARENT_PID: str(os.getpid())}
        # Output of evcxr itself (not of cells) goes where this kernel's own output goes.
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "start.py"), "--control_file", self.connection_file],
            env=env, stdin=subprocess.DEVNULL,
        )
        self.client = BlockingKernelClient(connection_file=self.connection_file)
        self.client.load_connection_file()
        self.client.start_channels()
        self.shell_lock = threading.Lock()
        self.control_lock = threading.Lock()
        self.stopping = False
        self.info = None
        # evcxr's stream output can arrive after its idle status (its pipes are read by threads),
        # under that request's id: such messages still go to the request's cell.
        self.earlier = {}  # evcxr msg_id -> on_iopub, for the last few requests
        threading.Thread(target=self._exit_with_evcxr, name="evcxr-watch", daemon=True).start()

    def _exit_with_evcxr(self):
        code = self.process.wait()
        if not self.stopping:
            print(f"evcxr_jupyter exited ({code}); the kernel exits with it", file=sys.__stderr__)
            self.remove_live_dir()
            os._exit(1)

    def kernel_info(self):
        """evcxr's kernel_info reply (waits for evcxr to answer, once)."""
        if self.info is not None:
            return self.info
        with self.shell_lock:
            if self.info is None:
                while True:
                    self.client.kernel_info()
                    try:
                        self.info = self._reply("kernel_info_reply", timeout=2)
                        break
                    except TimeoutError:
                        if self.process.poll() is not None:
                            raise RuntimeError("evcxr_jupyter did not start") from None
        return self.info

    def _reply(self, msg_type, timeout=None, msg_id=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if left is not None and left == 0.0:
                raise TimeoutError(msg_type)
            try:
                msg = self.client.get_shell_msg(timeout=min(1.0, left) if left is not None else 1.0)
            except Exception:  # queue.Empty
                if self.process.poll() is not None:
                    raise RuntimeError("evcxr_jupyter is gone") from None
                continue
            if msg["msg_type"] == msg_type and (msg_id is None or msg["parent_header"].get("msg_id") == msg_id):
                return msg["content"]

    def request(self, msg_type, content, reply_type):
        """Sends a shell request and returns evcxr's reply content."""
        self.kernel_info()
        with self.shell_lock:
            msg = self.client.session.msg(msg_type, content)
            self.client.shell_channel.send(msg)
            return self._reply(reply_type, msg_id=msg["header"]["msg_id"])

    def execute(self, content, on_iopub, on_input):
        """Runs an execute request in evcxr. Every IOPub message of its own goes to
        `on_iopub(msg_type, content)`; `on_input(prompt, password)` answers stdin's requests.
        Returns the execute reply's content once evcxr is idle again."""
        import zmq

        self.kernel_info()
        with self.shell_lock:
            msg = self.client.session.msg("execute_request", content)
            msg_id = msg["header"]["msg_id"]
            self.client.shell_channel.send(msg)
            poller = zmq.Poller()
            iopub, stdin = self.client.iopub_channel, self.client.stdin_channel
            poller.register(iopub.socket, zmq.POLLIN)
            poller.register(stdin.socket, zmq.POLLIN)
            idle_at = None
            while True:
                if idle_at is not None:
                    # evcxr forwards the worker's stderr from its own thread, so a cell's last
                    # lines (the Err that `?` returned) can follow its idle status by a few ms.
                    left = idle_at + STREAM_GRACE_SECONDS - time.monotonic()
                    if left <= 0 or not poller.poll(int(left * 1000) + 1):
                        break
                ready = dict(poller.poll(1000))
                if not ready and self.process.poll() is not None:
                    raise RuntimeError("evcxr_jupyter is gone")
                while stdin.msg_ready():
                    request = stdin.get_msg(timeout=0)
                    if request["msg_type"] == "input_request":
                        c = request["content"]
                        self.client.input(on_input(c.get("prompt", ""), c.get("password", False)))
                while iopub.msg_ready():
                    out = iopub.get_msg(timeout=0)
                    kind, parent_id = out["msg_type"], out["parent_header"].get("msg_id")
                    if parent_id != msg_id:
                        if parent_id in self.earlier and kind == "stream":
                            self.earlier[parent_id](kind, out["content"])
                        continue
                    if kind == "status" and out["content"]["execution_state"] == "idle":
                        idle_at = time.monotonic()
                    elif kind in FORWARDED_IOPUB:
                        on_iopub(kind, out["content"])
            self.earlier[msg_id] = on_iopub
            while len(self.earlier) > 8:
                self.earlier.pop(next(iter(self.earlier)))
            return self._reply("execute_reply", msg_id=msg_id)

    def interrupt(self):
        with self.control_lock:
            msg = self.client.session.msg("interrupt_request", {})
            self.client.control_channel.send(msg)
            return self._control_reply(msg["header"]["msg_id"], timeout=SHUTDOWN_SECONDS)

    def _control_reply(self, msg_id, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.client.control_channel.get_msg(timeout=0.2)
            except Exception:  # queue.Empty
                if self.process.poll() is not None:
                    return None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]
        return None

    def shutdown(self, restart=False):
        """Asks evcxr to shut down, then ends it (and its worker) if it has not."""
        self.stopping = True
        if self.process.poll() is None:
            with self.control_lock:
                msg = self.client.session.msg("shutdown_request", {"restart": restart})
                self.client.control_channel.send(msg)
                self._control_reply(msg["header"]["msg_id"], timeout=SHUTDOWN_SECONDS)
            try:
                self.process.wait(timeout=SHUTDOWN_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.client.stop_channels()
        self.remove_live_dir()

    def remove_live_dir(self):
        shutil.rmtree(self.live_dir, ignore_errors=True)


def make_kernel_class():
    """The kernel class, built after evcxr started (ipykernel's import takes a moment)."""
    import comm
    from ipykernel.comm import CommManager
    from ipykernel.ipkernel import _create_comm, _get_comm_manager
    from ipykernel.kernelbase import Kernel

    import live
    from retina import retina

    comm.create_comm = _create_comm
    comm.get_comm_manager = _get_comm_manager

    class ScorelabKernel(Kernel):
        implementation = "scorelab"
        implementation_version = "1"
        language_info = {"name": "rust"}
        banner = "Rust (evcxr) with scorelab and live figures"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.evcxr = EVCXR
            self.comm_manager = comm.get_comm_manager()
            assert isinstance(self.comm_manager, CommManager)
            for msg_type in ("comm_open", "comm_msg", "comm_close"):
                self.shell_handlers[msg_type] = getattr(self.comm_manager, msg_type)
            self.live_figures = []

        @property
        def kernel_info(self):
            info = dict(super().kernel_info)
            if self.evcxr.info is not None:
                theirs = self.evcxr.info
                info["language_info"] = theirs.get("language_info", info["language_info"])
                info["banner"] = theirs.get("banner", info["banner"])
                info["help_links"] = theirs.get("help_links", [])
            return info

        async def shell_main(self, subshell_id, msg):
            # A kernel_info request is answered at once, even while a forwarded request (a warm
            # spare's warm-up completion, a long cell) holds the shell: Jupyter gives up on a
            # kernel that does not answer it within 60 s.
            if subshell_id is None and self._main_asyncio_lock.locked() and self.evcxr.info is not None:
                try:
                    _, frames = self.session.feed_identities(msg, copy=False)
                    header = self.session.deserialize(frames, content=False, copy=False)["header"]
                except Exception:
                    header = {}
                if header.get("msg_type") == "kernel_info_request":
                    shell_parent = self.get_parent("shell")
                    shell_ident = self._get_shell_context_var(self._shell_parent_ident)
                    try:
                        await self.dispatch_shell(msg, subshell_id=None, concurrent=True)
                    finally:
                        self.set_parent(shell_ident, shell_parent, channel="shell")
                    return
                if header.get("msg_type") in {"comm_open", "comm_msg", "comm_close"}:
                    # ipykernel handles a comm message that arrives during a cell at once, but
                    # without the busy and idle status under it, and ipywidgets sends nothing
                    # more for a widget until it sees that idle: a slider moved (or set by its
                    # view) while its live cell still runs would go dead.
                    self._publish_status("busy", "shell", parent={"header": header})
                    try:
                        await super().shell_main(subshell_id, msg)
                    finally:
                        self._publish_status("idle", "shell", parent={"header": header})
                    return
            await super().shell_main(subshell_id, msg)

        async def kernel_info_request(self, stream, ident, parent):
            await asyncio.to_thread(self.evcxr.kernel_info)
            await super().kernel_info_request(stream, ident, parent)

        def _publisher(self, parent):
            def publish(msg_type, content):
                self.session.send(self.iopub_socket, msg_type, content, parent=parent,
                                  ident=self._topic(msg_type))
            return publish

        async def do_execute(self, code, silent, store_history=True, user_expressions=None,
                             allow_stdin=False, *, cell_meta=None, cell_id=None):
            parent = self.get_parent("shell")
            publish = self._publisher(parent)
            count = self.execution_count
            errors = []

            def on_iopub(kind, content):
                if kind == "error":
                    errors.append(content)
                if silent:  # a silent request shows nothing
                    return
                if kind == "execute_result":
                    data = content.get("data", {})
                    if live.MIME in data:
                        self._show_live(data, publish)
                        return
                    content = {**content, "execution_count": count}
                if kind in ("execute_result", "display_data", "update_display_data"):
                    data, metadata = retina(content.get("data", {}), content.get("metadata"))
                    content = {**content, "data": data, "metadata": metadata}
                publish(kind, content)

            def on_input(prompt, password):
                return self.getpass(prompt) if password else self.raw_input(prompt)

            request = {"code": code, "silent": silent, "store_history": store_history,
                       "user_expressions": user_expressions or {}, "allow_stdin": allow_stdin}
            reply = await asyncio.to_thread(self.evcxr.execute, request, on_iopub, on_input)
            reply = {**reply, "execution_count": count}
            if reply.get("status") == "error":
                last = errors[-1] if errors else {}
                reply.setdefault("ename", last.get("ename", "Error"))
                reply.setdefault("evalue", last.get("evalue", ""))
                reply.setdefault("traceback", last.get("traceback", []))
            else:
                reply.setdefault("user_expressions", {})
            return reply

        def _show_live(self, data, publish):
            try:
                spec = data[live.MIME]
                if isinstance(spec, str):
                    spec = json.loads(spec)
                self.live_figures.append(live.LiveFigure(spec, data, publish))
            except Exception as err:  # a description this kernel cannot read: the first frame
                frame, metadata = live.frame_bundle(data)
                publish("display_data", {"data": frame, "metadata": metadata, "transient": {}})
                publish("stream", {"name": "stderr", "text": f"live controls unavailable: {err}\n"})

        async def _forward(self, msg_type, content, reply_type):
            return await asyncio.to_thread(self.evcxr.request, msg_type, content, reply_type)

        async def do_complete(self, code, cursor_pos):
            return await self._forward("complete_request", {"code": code, "cursor_pos": cursor_pos},
                                       "complete_reply")

        async def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
            return await self._forward(
                "inspect_request",
                {"code": code, "cursor_pos": cursor_pos, "detail_level": detail_level},
                "inspect_reply")

        async def do_is_complete(self, code):
            return await self._forward("is_complete_request", {"code": code}, "is_complete_reply")

        async def interrupt_request(self, stream, ident, parent):
            reply = await asyncio.to_thread(self.evcxr.interrupt)
            self.session.send(stream, "interrupt_reply", reply or {"status": "ok"}, parent, ident=ident)

        async def do_shutdown(self, restart):
            for figure in self.live_figures:
                figure.close()
            await asyncio.to_thread(self.evcxr.shutdown, restart)
            return {"status": "ok", "restart": restart}

    return ScorelabKernel


EVCXR = None


def connection_file_argument():
    """The path given by `-f PATH` or `-f=PATH`, or None."""
    for i, arg in enumerate(sys.argv):
        if arg == "-f" and i + 1 < len(sys.argv):
            return Path(sys.argv[i + 1])
        if arg.startswith("-f="):
            return Path(arg[3:])
    return None


def main():
    global EVCXR
    # Read first: a warm spare's starter deletes the connection file once it gave up waiting for
    # this kernel (it waits for its heartbeat, which starts only after ipykernel's import below),
    # and ipykernel, not finding it, would listen on new ports nobody knows.
    connection_file = connection_file_argument()
    connection = connection_file.read_text() if connection_file and connection_file.exists() else None
    # Before evcxr's ports and connections are opened: none of them may take one of this kernel's.
    held = HeldPorts(json.loads(connection) if connection else {})
    start.die_with_parent()  # a warm spare's: this kernel, then evcxr, die with the provisioner
    if not start.LIBRARY.exists():
        raise SystemExit(f"{start.LIBRARY} is missing: run `make setup` first")
    # The kernel's parent may ask it to stop with SIGTERM: end evcxr and the live directory too.
    EVCXR = Evcxr()
    atexit.register(lambda: EVCXR.process.poll() is None and EVCXR.process.kill())
    atexit.register(EVCXR.remove_live_dir)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    from ipykernel.kernelapp import IPKernelApp

    if connection is not None and not connection_file.exists():
        connection_file.write_text(connection)
        atexit.register(connection_file.unlink, missing_ok=True)

    class App(IPKernelApp):
        """ipykernel's application, binding the ports this kernel held."""

        def init_sockets(self):
            held.release("shell_port", "iopub_port", "stdin_port", "control_port")
            super().init_sockets()

        def init_heartbeat(self):
            held.release("hb_port")
            super().init_heartbeat()

    App.launch_instance(kernel_class=make_kernel_class())


if __name__ == "__main__":
    main()
