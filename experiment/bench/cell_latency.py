#!/usr/bin/env python3
"""Cell latency of the score-function port: the Rust notebook (evcxr kernel) side by side with an
equivalent numpy + matplotlib notebook, through Jupyter's own client.

For each notebook, in a fresh kernel: the time from kernel start to the first figure; for the
Rust kernel both cold and from a warm spare (kernel/warm/scorelab_warm.py), as JupyterLab started
by `make lab`, a restart, or the next notebook of a directory gets it. Then every
figure cell (and the Rust sweep / animation cells) re-run `--repeats` times after a warm-up,
from the execute request to the kernel's idle status (what a reader waits for). For the Rust
kernel it also splits a figure cell's time: an empty cell (evcxr's fixed cost: compile, link,
load), the render alone timed inside the kernel, and the figure without display.

The Rust kernel is the project's (kernel/start.py): `scorelab` prebuilt as a shared library by
`make setup`, each cell compiled alone at `:opt 0` in a build slot kept between kernels. It is
started once before measuring, as a reader's first kernel after `make lab` would leave a slot;
spares are off except for the warm first figure, so that none runs during the timings.
If the notebook's first cell still has the `:dep scorelab` line of a plain evcxr kernel, it is
measured in the project kernel's form (tools/set_first_cell.py).

    cell_latency.py [--repeats N] [--output cell_latency.md] [--rust-kernels DIR] [--linker-path DIR] [--label TEXT]

`--rust-kernels DIR` is where the project's `rust` kernel spec is registered (default: the one
`make setup` writes in .venv). `--linker-path DIR` puts DIR first on the Rust kernel's PATH (e.g. a directory holding `mold`,
which evcxr then uses to link each cell).
"""
import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "kernel/warm"))
import scorelab_warm  # noqa: E402
from set_first_cell import DEP_LINE, rewrite  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RUST_NOTEBOOK = ROOT / "experiment/score_function_gaussian.ipynb"
PYTHON_NOTEBOOK = HERE / "score_function_gaussian_python.ipynb"
FIGURE_NAMES = ["1-D pdf / log-pdf / score", "2-D score field", "2-D field + Langevin trajectory"]
TARGET_SECONDS = 0.25
FIRST_FIGURE_LIMIT_SECONDS = 10.0
FIRST_FIGURE_TARGET_SECONDS = 6.0


class Kernel:
    """A running kernel and a client to it."""

    # Where `make setup` registers the project's Rust kernel.
    rust_kernels = ROOT / ".venv/share/jupyter/kernels"

    def __init__(self, name, cwd, env=None):
        specs = KernelSpecManager(kernel_dirs=[str(self.rust_kernels)]) if name == "rust" else None
        self.manager = KernelManager(kernel_name=name, **({"kernel_spec_manager": specs} if specs else {}))
        self.started = time.perf_counter()
        self.manager.start_kernel(cwd=str(cwd), env=dict(os.environ) if env is None else env)
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=300)

    def run(self, code, timeout=1800):
        """Executes `code`; returns (seconds from request to idle, MIME types shown, stdout, problems)."""
        start = time.perf_counter()
        msg_id = self.client.execute(code)
        mimes, stdout, problems = set(), [], []
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind in ("execute_result", "display_data"):
                mimes.update(content["data"])
                if kind == "execute_result":
                    stdout.append(content["data"].get("text/plain", ""))
            elif kind == "stream":
                (problems if content["name"] == "stderr" else stdout).append(content["text"])
            elif kind == "error":
                problems.append(f"{content['ename']}: {content['evalue']}")
        return time.perf_counter() - start, mimes, "".join(stdout), problems

    def stop(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


def code_cells(path):
    nb = nbformat.read(path, as_version=4)
    # Cells tagged `live` (sliders under `interact`) are live_latency.py's.
    cells = [c for c in nb.cells if c.cell_type == "code" and "live" not in c.metadata.get("tags", [])]
    if cells and any(DEP_LINE.match(l) for l in cells[0].source.splitlines()):
        cells[0].source = rewrite(cells[0].source, path)
    return cells


def tags(cell):
    return cell.metadata.get("tags", [])


def checked(result, what):
    seconds, mimes, stdout, problems = result
    # evcxr reports cargo's "Compiling ..." lines on stderr while it builds a dependency.
    problems = [p for p in problems if not re.fullmatch(r"(\s*(Compiling|Finished|Updating|Locking|Adding|Blocking)\b.*\n?)+", p)]
    if problems:
        raise RuntimeError(f"{what} failed: {' '.join(problems)[:500]}")
    return seconds, mimes, stdout


def warm_first_figure(path, env):
    """Kernel start to first figure when the kernel adopts a warm spare of its directory."""
    os.environ["SCORELAB_WARM_KERNELS"] = "1"
    try:
        spec = KernelSpecManager(kernel_dirs=[str(Kernel.rust_kernels)]).get_kernel_spec("rust")
        scorelab_warm.start_spare(spec.argv, env, path.parent)
        while str(path.parent.resolve()) not in scorelab_warm.SPARES:
            time.sleep(0.1)
        if not scorelab_warm.SPARES[str(path.parent.resolve())].warm.wait(600):
            raise RuntimeError("the spare kernel did not warm up")
        kernel = Kernel("rust", path.parent, env)
        try:
            for cell in code_cells(path):
                _, mimes, _ = checked(kernel.run(cell.source), f"{path.name}: {cell.source[:60]!r}")
                if "figure" in tags(cell):
                    if "image/png" not in mimes:
                        raise RuntimeError(f"{path.name}: first figure cell showed {sorted(mimes)}")
                    return time.perf_counter() - kernel.started
        finally:
            kernel.stop()
    finally:
        os.environ["SCORELAB_WARM_KERNELS"] = "0"  # the replacement spare, queued, never starts
        scorelab_warm.stop_spares()


def run_notebook(name, path, repeats, env=None, split=False):
    """Runs every code cell once, then times the tagged cells. Returns a dict of results."""
    kernel = Kernel(name, path.parent, env)
    result = {"first_figure": None, "cells": [], "split": {}}
    try:
        for cell in code_cells(path):
            seconds, mimes, _ = checked(kernel.run(cell.source), f"{path.name}: {cell.source[:60]!r}")
            if result["first_figure"] is None and "figure" in tags(cell):
                if "image/png" not in mimes:
                    raise RuntimeError(f"{path.name}: first figure cell showed {sorted(mimes)}")
                result["first_figure"] = time.perf_counter() - kernel.started
        figures = 0
        for cell in code_cells(path):
            kind = next((t for t in ("figure", "sweep", "animation") if t in tags(cell)), None)
            if kind is None:
                continue
            label = FIGURE_NAMES[figures] if kind == "figure" else kind
            figures += kind == "figure"
            n = repeats if kind == "figure" else max(3, repeats // 2)
            checked(kernel.run(cell.source), label)  # warm-up
            times = [checked(kernel.run(cell.source), label)[0] for _ in range(n)]
            result["cells"].append((label, kind, times))
        if split:
            result["split"] = split_rust(kernel, repeats)
    finally:
        kernel.stop()
    return result


def split_rust(kernel, repeats):
    """Where a Rust figure cell's time goes, for the three figures."""
    def median_of(code, parse=None):
        checked(kernel.run(code), code[:40])
        runs = [checked(kernel.run(code), code[:40]) for _ in range(repeats)]
        if parse:
            return statistics.median(parse(stdout) for _, _, stdout in runs)
        return statistics.median(seconds for seconds, _, _ in runs)

    def inner_seconds(stdout):
        return float(re.search(r"RENDER_SECONDS=([0-9.eE+-]+)", stdout).group(1))

    renders = {
        FIGURE_NAMES[0]: "Curves1d::new(&gm1, -6.0..=6.0).points(1000).render()?",
        FIGURE_NAMES[1]: "ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0).arrows(50).levels(20).render()?",
        FIGURE_NAMES[2]: 'ScoreField::new(&gm2, -8.0..=8.0, -8.0..=8.0).levels(25).trajectory(&path).title("2D Gaussian Mixture: Score Field + Langevin Dynamics").render()?',
    }
    # A statement: a final expression would be compiled twice (display, then Debug fallback).
    split = {"empty cell": median_of("let _ = 0;")}
    for name, expr in renders.items():
        timed = f'{{ let t = std::time::Instant::now(); let f = {expr}; println!("RENDER_SECONDS={{}}", t.elapsed().as_secs_f64()); drop(f); }}'
        split[name] = {
            "render inside the kernel": median_of(timed, inner_seconds),
            "cell without display": median_of(f"let _ = {expr};"),
        }
    split["cargo"] = cargo_split(kernel, repeats)
    return split


def cargo_split(kernel, repeats):
    """The cell's cargo build alone, re-run in the kernel's build directory as evcxr runs it: with
    nothing to do (cargo's check of the dependency graph) and with the last cell's source touched
    (plus rustc compiling and linking it)."""
    _, _, stdout = checked(kernel.run(":last_compile_dir"), "last_compile_dir")
    crate_dir = Path(stdout.strip())
    sys.path.insert(0, str(ROOT / "kernel"))
    import start

    rustflags = next(l for l in start.init_commands().splitlines() if l.startswith(":build_env")).split("=", 1)[1]
    host = re.search(r"host: (\S+)", subprocess.run(["rustc", "-vV"], capture_output=True, text=True).stdout).group(1)
    env = dict(os.environ, CARGO_TARGET_DIR="target", CARGO_BUILD_BUILD_DIR="target", RUSTFLAGS=rustflags,
               SCORELAB_KERNEL_LIBRARY_MTIME_NS=str(start.LIBRARY.stat().st_mtime_ns))
    command = ["cargo", "build", "--target", host, "--message-format=json"]

    def seconds(touch):
        if touch:
            (crate_dir / "src/lib.rs").touch()
        begin = time.perf_counter()
        subprocess.run(command, cwd=crate_dir, env=env, capture_output=True, check=True)
        return time.perf_counter() - begin

    seconds(True)
    return {
        "cargo, nothing to build": statistics.median(seconds(False) for _ in range(repeats)),
        "cargo + rustc on the cell": statistics.median(seconds(True) for _ in range(repeats)),
    }


def machine():
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
    import matplotlib
    import numpy

    return {
        "load": " / ".join(f"{x:.1f}" for x in os.getloadavg()),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "os": platform.platform(),
        "rustc": out("rustc", "--version"),
        "evcxr": next((l.rstrip(":") for l in out("cargo", "install", "--list").splitlines() if l.startswith("evcxr_jupyter")), "evcxr_jupyter"),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "matplotlib": matplotlib.__version__,
    }


def fmt(times):
    return f"{statistics.median(times):.2f} s ({min(times):.2f}–{max(times):.2f})"


def report(rust, python, info, repeats, label):
    lines = [
        "# Cell latency: Rust (evcxr) vs Python (numpy + matplotlib)",
        "",
        f"Run: `make bench-cells` ({label}). {repeats} timed re-runs of each figure cell after a",
        "warm-up (sweep and animation: fewer), from the execute request to the kernel's idle status,",
        "through jupyter_client; median (min–max). Both notebooks draw the same figures at the same",
        "sizes: `experiment/score_function_gaussian.ipynb` and `experiment/bench/score_function_gaussian_python.ipynb`.",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['os']}; {info['rustc']}, {info['evcxr']};",
        f"Python {info['python']}, numpy {info['numpy']}, matplotlib {info['matplotlib']}.",
        f"Load average at the end of the run (1 / 5 / 15 min): {info['load']} (a quiet machine is below 1).",
        "",
        f"| cell | Rust | Python | Rust ≤ Python (target {TARGET_SECONDS} s) |",
        "|---|---|---|---|",
    ]
    py = {name: times for name, _, times in python["cells"]}
    for name, kind, times in rust["cells"]:
        other = py.get(name)
        if kind == "figure" and other:
            ok = statistics.median(times) <= statistics.median(other)
            on_target = "on target" if statistics.median(times) <= TARGET_SECONDS else "over target"
            lines.append(f"| {name} | {fmt(times)} | {fmt(other)} | {'yes' if ok else '**no**'}, {on_target} |")
        else:
            lines.append(f"| {name} (Rust only) | {fmt(times)} | – | – |")
    for label, key in [("warm spare: `make lab`, a restart, the directory's next notebook", "warm_first_figure"),
                       ("cold: no spare", "first_figure")]:
        seconds = rust[key]
        verdict = "yes" if seconds <= FIRST_FIGURE_LIMIT_SECONDS else "**no**"
        verdict += ", on target" if seconds <= FIRST_FIGURE_TARGET_SECONDS else ", over target"
        lines.append(
            f"| kernel start → first figure, {label} | {seconds:.1f} s | {python['first_figure']:.1f} s "
            f"| {verdict} (limit {FIRST_FIGURE_LIMIT_SECONDS:.0f} s, target {FIRST_FIGURE_TARGET_SECONDS:.0f} s) |"
        )
    lines.append("")
    if rust["split"]:
        s = rust["split"]
        lines += [
            "Where a Rust figure cell's time goes (medians): evcxr compiles, links and loads every",
            "cell, even an empty one; the figure itself renders in the crate, compiled ahead.",
            "",
            "| figure | empty cell `let _ = 0;` | figure cell, no display | render alone (timed in the kernel) |",
            "|---|---|---|---|",
        ]
        for name in FIGURE_NAMES:
            lines.append(
                f"| {name} | {s['empty cell']:.2f} s | {s[name]['cell without display']:.2f} s "
                f"| {s[name]['render inside the kernel'] * 1000:.0f} ms |"
            )
        c = s["cargo"]
        lines += [
            "",
            "The last figure cell's build alone, re-run in the kernel's build directory as evcxr runs it",
            f"(medians): cargo with nothing to build {c['cargo, nothing to build']:.2f} s; cargo and rustc",
            f"compiling and linking the cell {c['cargo + rustc on the cell']:.2f} s. The rest of a cell's time is",
            "evcxr (rust-analyzer on the cell, loading the cell's library), the render, and Jupyter.",
            "",
            "A cold kernel's start to first figure is mostly rust-analyzer, which evcxr runs in-process",
            "and which is single-threaded: at start it reads the standard library (about 5 s of CPU",
            "here), and the first `let` waits while it infers types in it for the first time (about",
            "3 s, the same for `let a: i32 = 1;`). Neither depends on the notebook, so a warm spare",
            "has done both; what is left is the `:dep` cell (rust-analyzer reloading the workspace",
            "with the crate's source, cargo building the small crate kernel/scorelab) and the cells.",
            "",
        ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--output", type=Path, help="write the Markdown table here")
    parser.add_argument("--linker-path", type=Path, help="directory put first on the Rust kernel's PATH")
    parser.add_argument("--label", default="project kernel, prebuilt scorelab", help="what this run varies, for the report")
    parser.add_argument("--rust-kernels", type=Path, default=Kernel.rust_kernels,
                        help="directory holding the registered `rust` kernel spec")
    args = parser.parse_args()
    Kernel.rust_kernels = args.rust_kernels.resolve()

    env = dict(os.environ)
    # With JUPYTER_PATH set, evcxr_jupyter "updates" the kernel spec it finds there on start,
    # replacing the project's kernel.json (and its EVCXR_CONFIG_DIR) with its default one.
    env.pop("JUPYTER_PATH", None)
    os.environ["SCORELAB_WARM_KERNELS"] = "0"
    if args.linker_path:
        env["PATH"] = f"{args.linker_path.resolve()}{os.pathsep}{env['PATH']}"
    print("priming evcxr's dependency cache ...", flush=True)
    prime = Kernel("rust", RUST_NOTEBOOK.parent, env)
    try:
        for cell in code_cells(RUST_NOTEBOOK):
            checked(prime.run(cell.source), "priming")
            if "figure" in tags(cell):
                break
    finally:
        prime.stop()
    print("Rust ...", flush=True)
    rust = run_notebook("rust", RUST_NOTEBOOK, args.repeats, env, split=True)
    print("Rust, from a warm spare ...", flush=True)
    rust["warm_first_figure"] = warm_first_figure(RUST_NOTEBOOK, env)
    print("Python ...", flush=True)
    python = run_notebook("python3", PYTHON_NOTEBOOK, args.repeats)
    text = report(rust, python, machine(), args.repeats, args.label)
    print(text)
    if args.output:
        args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
