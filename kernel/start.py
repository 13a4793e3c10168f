#!/usr/bin/env python3
"""Starts evcxr_jupyter for the project's Rust kernel, with `scorelab` prebuilt and a build slot.

kernel/wrapper.py (the kernel Jupyter starts) runs this behind it, with SCORELAB_LIVE_DIR set to
its live figures' private directory and SCORELAB_KERNEL_PARENT_PID to its own pid, so evcxr dies
with the wrapper. See wrapper.py for what the wrapper forwards and what it owns.

What it adds to a plain evcxr kernel (the commands of `init_commands` run before the first cell):

- `scorelab` is linked from a shared library compiled ahead (`make setup` builds it from
  `crate/` into target/kernel/release), through the small crate kernel/scorelab, which a
  notebook loads with `:dep scorelab = { path = "../kernel/scorelab" }`. A cell then compiles
  only itself, at `:opt 0`. rust-analyzer still reads the crate's source, so completion
  and the types of `let`s work as with `:dep scorelab = { path = "../crate" }`.
- Each kernel builds in its own slot, target/kernel/slots/N, locked for the kernel's life: two
  kernels never share a build directory, and a new kernel reuses a free slot's build instead of
  starting empty. At most MAX_SLOTS slots exist, so disk use is bounded.

  The lock is a POSIX record lock (`fcntl.lockf`), not an flock. Its descriptor must stay open
  across the exec into evcxr_jupyter and cannot be made close-on-exec after it, so every process
  evcxr starts inherits it: its runtime (evcxr_jupyter started again, which loads and runs the
  cells), cargo, rustc and the cells' own commands. An flock belongs to the open file, so such a
  child outliving evcxr (the runtime still in a long cell after evcxr was killed) would keep
  the slot locked. A record lock belongs to the process that took it: it lasts across the exec,
  ends when evcxr exits (or closes a descriptor of the lock file, which it never opens), and is
  never inherited, only its descriptor is. A separate process holding the lock would also work,
  but would have to learn when evcxr exits.
- With SCORELAB_KERNEL_PARENT_PID set, as kernel/warm/scorelab_warm.py sets it for its spares,
  the kernel gets SIGKILL when the thread that started it exits (prctl PR_SET_PDEATHSIG, which
  lasts across the exec). It exits at once if that parent died before the prctl took effect.

kernel/scorelab/build.rs refuses a library that is older than `crate/`, or was built from another
Cargo.lock, or by another rustc than the one compiling the cells. Each message names the change
and says to run `make setup`, which records the lock and `rustc -vV` next to the library. A
library rebuilt after the kernel started is refused with a message to restart the kernel.

    start.py --control_file CONNECTION_FILE
"""
import ctypes
import fcntl
import os
import shutil
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KERNEL_TARGET = ROOT / "target/kernel"
LIBRARY = KERNEL_TARGET / "release/libscorelab.so"
# Written by `make setup` next to the library; kernel/scorelab/build.rs compares them.
BUILT_WITH_LOCK = LIBRARY.parent / "libscorelab.Cargo.lock"
BUILT_BY_RUSTC = LIBRARY.parent / "libscorelab.rustc"
SLOTS = KERNEL_TARGET / "slots"
MAX_SLOTS = 8
PARENT_PID = "SCORELAB_KERNEL_PARENT_PID"
PR_SET_PDEATHSIG = 1


def die_with_parent():
    """With PARENT_PID set: SIGKILL when the thread that started this process exits. Exits
    now if the parent is already gone (this process was then reparented)."""
    parent = os.environ.pop(PARENT_PID, None)
    if parent is None:
        return
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != int(parent):
        raise SystemExit(f"the process that started this kernel ({parent}) is gone")


def init_commands():
    """evcxr commands run before the first cell: link every cell against the prebuilt library.

    The notebook's `:dep scorelab = { path = "../kernel/scorelab" }` then loads it: there, not
    here, so that an error (a stale library) shows in the cell instead of stopping the kernel.
    """
    lib_dir = LIBRARY.parent
    rustflags = " ".join([
        "-Cprefer-dynamic",
        f"--extern scorelab_prebuilt={LIBRARY}",
        f"-L dependency={lib_dir / 'deps'}",
        # Absolute: cargo moves each cell's shared object to another directory.
        f"-C link-arg=-Wl,-rpath,{lib_dir}",
    ])
    return "\n".join([
        ":opt 0",
        f":build_env RUSTFLAGS={rustflags}",
        "",
    ])


def claim_slot():
    """Locks the first free slot and returns (its directory, the open lock file)."""
    SLOTS.mkdir(parents=True, exist_ok=True)
    for index in range(MAX_SLOTS):
        lock = open(SLOTS / f"{index}.lock", "w")
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):  # another kernel's
            lock.close()
            continue
        return SLOTS / str(index), lock
    raise SystemExit(f"all {MAX_SLOTS} kernel build slots in {SLOTS} are in use; close a notebook's kernel")


def prepare(build):
    """A slot keeps its build between kernels; drops the previous kernel's cell libraries."""
    build.mkdir(parents=True, exist_ok=True)
    for old in build.glob("target/*/debug/deps/libcode_*.so"):
        old.unlink()
    lock_file = build / "Cargo.lock"
    if not lock_file.exists():
        # The workspace's pins: resolving the crate's dependencies then needs no network.
        shutil.copyfile(ROOT / "Cargo.lock", lock_file)


def main():
    die_with_parent()
    if not LIBRARY.exists():
        raise SystemExit(f"{LIBRARY} is missing: run `make setup` first")
    evcxr = shutil.which("evcxr_jupyter") or str(Path.home() / ".cargo/bin/evcxr_jupyter")
    slot, lock = claim_slot()
    prepare(slot / "build")
    config = slot / "config"
    config.mkdir(exist_ok=True)
    (config / "init.evcxr").write_text(init_commands())
    os.set_inheritable(lock.fileno(), True)  # the lock stays evcxr's until it exits
    env = dict(
        os.environ,
        EVCXR_TMPDIR=str(slot / "build"),
        EVCXR_CONFIG_DIR=str(config),
        # kernel/scorelab/build.rs refuses a library rebuilt after this kernel loaded its own.
        SCORELAB_KERNEL_LIBRARY_MTIME_NS=str(LIBRARY.stat().st_mtime_ns),
        # Seen by rust-analyzer's `cargo metadata` only (evcxr sets its builds' RUSTFLAGS): the
        # crate's source is then a dependency of kernel/scorelab, for completion and types.
        RUSTFLAGS="--cfg scorelab_kernel_analysis",
    )
    # With JUPYTER_PATH set, evcxr_jupyter rewrites the kernel spec it finds there as its own.
    env.pop("JUPYTER_PATH", None)
    os.execve(evcxr, [evcxr, *sys.argv[1:]], env)


if __name__ == "__main__":
    main()
