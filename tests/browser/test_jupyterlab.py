#!/usr/bin/env python3
"""Checks the notebooks the way a reader sees them: JupyterLab in a real browser.

Running a notebook through Jupyter's client proves the kernel runs it, not that a reader sees
its figures. JupyterLab renders an untrusted notebook (every fresh clone) differently: it
withholds SVG and strips scripts. So this test starts JupyterLab (from the project's venv, on
127.0.0.1 with a random token and a free port) and drives headless Chromium through Playwright.
For each notebook in NOTEBOOKS it opens a fresh, untrusted copy and checks:

1. untrusted view: every committed figure (a cell with an image output, or tagged `figure`
   or `sweep`) shows an image that loaded and has a non-zero size on screen;
2. Run > Run All Cells with the Rust kernel: every code cell ran, no cell shows an error or
   stderr output (unless its metadata has `expect_stderr`), and every figure cell shows a new,
   loaded image;
3. cells tagged `sweep` (an HTML slider over pre-rendered frames): moving the range input
   changes the frame shown, and in the untrusted view (scripts stripped) a static frame shows.

4. a long cell's progress lines show and are updated while it runs, not only at its end
   (progress_check.py).

On opening each notebook it also checks that no prompt covers it (a toast such as JupyterLab's
first-visit question about its news feed, which the venv's lab settings answer).

Before the real notebooks it checks small hand-made notebooks, so the checks cannot pass
silently: one that must pass (a figure and a working slider); one with a figure output removed,
a figure only as SVG, a figure cell that draws nothing, a slider whose script never swaps the
frame, a slider without a script, and cells that fail, every one of which must be reported; and a copy signed as trusted, which must
be reported as not the untrusted view.

    test_jupyterlab.py [--no-selftest] [--only-progress] [NOTEBOOK ...]

Screenshots go to target/browser/. Exit status 1 if any check fails. The server and browser are
in lab.py, the hand-made notebooks in fixtures.py.
"""
import argparse
import json
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from fixtures import fixtures, match_planted
from lab import CHROMIUM, Lab, chromium
from progress_check import check_progress, progress_notebook
from progress_check import selftest as progress_selftest

ROOT = Path(__file__).resolve().parent.parent.parent

# The notebooks checked in the browser. A cell tagged "sweep" in any of them gets the slider check.
NOTEBOOKS = [
    "experiment/score_function_gaussian.ipynb",
    "notebooks/02_score_field_2d.ipynb",
    "notebooks/06_learning_the_score.ipynb", "notebooks/07_scores_to_diffusion.ipynb",
]
# Also checked: every notebook in these folders that has a cell tagged "sweep". Empty by default
# to bound the run time: every notebook's sweep output is already checked for shape by
# tools/run_notebooks.py, and the two above exercise the player in a real browser.
SWEEP_DIRS: list = []

SHOTS = ROOT / "target/browser"
# A toast appears within about a second of the notebook's cells.
PROMPT_WAIT_MS = 3000
RUN_TIMEOUT_S = 1200  # the first cell builds the crate into the kernel
KERNEL_START_TIMEOUT_S = 180


@dataclass(frozen=True)
class Problem:
    cell: int  # index in the notebook's cells, or -1 for the whole notebook
    kind: str  # trust | untrusted-figure | not-run | error-output | run-figure | slider | kernel
    message: str

    def __str__(self):
        where = f"cell {self.cell}" if self.cell >= 0 else "notebook"
        return f"{where}: [{self.kind}] {self.message}"


INTERRUPTED = False


def on_interrupt(signum, frame):
    global INTERRUPTED
    INTERRUPTED = True
    raise KeyboardInterrupt


class BrowserGone(Exception):
    """The browser or its driver stopped (a crash, or a Ctrl-C that reached them too)."""


def log(message):
    print(message, flush=True)


# --------------------------------------------------------------------------------------------
# What the page shows (JavaScript run in the page)

JS_STATE = """() => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  if (!w || !w.content || !w.context || !w.context.isReady || !w.sessionContext) return null;
  return {
    cells: w.content.widgets.length,
    trusted: w.content.widgets.map(c => c.model.type === 'code' && c.model.outputs.length > 0 && c.model.trusted),
    status: w.sessionContext.kernelDisplayStatus,
    kernel: w.sessionContext.kernelDisplayName,
  };
}"""

# Images in one cell's output area: loaded, their natural and rendered size, visible or not. A
# canvas (a sweep's player composes its frames on one) counts as an image of its pixels.
JS_IMAGES = """(cell) => Array.from(cell.querySelectorAll('.jp-OutputArea-output img, .jp-OutputArea-output canvas')).map(img => {
  const r = img.getBoundingClientRect();
  const s = getComputedStyle(img);
  const canvas = img.tagName === 'CANVAS';
  return {
    src: canvas ? img.toDataURL() : (img.currentSrc || img.src),
    complete: canvas || img.complete,
    naturalWidth: canvas ? img.width : img.naturalWidth,
    width: r.width,
    height: r.height,
    shown: s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0 && img.offsetParent !== null,
    stale: img.dataset.browserCheckStale === '1',
  };
})"""

JS_DECODE = """async (cell) => {
  const imgs = Array.from(cell.querySelectorAll('.jp-OutputArea-output img'));
  await Promise.all(imgs.map(img => img.decode().catch(() => null)));
}"""

JS_MARK_STALE = """() => document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output img')
  .forEach(img => { img.dataset.browserCheckStale = '1'; })"""

JS_PROMPTS = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell'))
  .map(c => { const p = c.querySelector('.jp-InputArea-prompt'); return p ? p.textContent.trim() : ''; })"""

JS_OUTPUT_TEXT = """(cell) => {
  const q = (sel) => Array.from(cell.querySelectorAll(sel)).map(e => e.textContent);
  return {
    stderr: q('.jp-OutputArea-output [data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'),
    all: q('.jp-OutputArea-output').join('\\n'),
  };
}"""


def visible_images(images):
    return [i for i in images if i["complete"] and i["naturalWidth"] > 0 and i["width"] > 0 and i["height"] > 0 and i["shown"]]


def shown_frame(images):
    """What a slider shows: the sources of its visible images."""
    return tuple(i["src"] for i in visible_images(images))


def short(src):
    return src if len(src) <= 60 else f"{src[:40]}...{src[-12:]} ({len(src)} chars)"


# --------------------------------------------------------------------------------------------
# One notebook


def cell_tags(cell):
    return cell.get("metadata", {}).get("tags", [])


def is_figure_cell(cell):
    if cell["cell_type"] != "code":
        return False
    if {"figure", "sweep"} & set(cell_tags(cell)):
        return True
    return any(
        k.startswith("image/")
        for o in cell.get("outputs", [])
        for k in o.get("data", {})
    )


class NotebookCheck:
    def __init__(self, context, lab, served_path, label, workspace, planted=frozenset()):
        self.context = context
        self.lab = lab
        self.served_path = served_path  # relative to the served root
        self.label = label
        self.workspace = workspace
        self.nb = json.loads((lab.root_dir / served_path).read_text())
        self.cells = self.nb["cells"]
        self.code = [i for i, c in enumerate(self.cells) if c["cell_type"] == "code"]
        self.figures = [i for i in self.code if is_figure_cell(self.cells[i])]
        self.sweeps = [i for i in self.code if "sweep" in cell_tags(self.cells[i])]
        self.problems = []
        self.opened_trusted = False
        self.planted = planted  # problems put there on purpose, which the checker must find
        self.page = None

    def problem(self, cell, kind, message):
        p = Problem(cell, kind, message)
        self.problems.append(p)
        log(f"    {'found planted' if (cell, kind) in self.planted else 'FAIL'} {p}")
        if cell >= 0 and self.page is not None and not self.page.is_closed():
            self.shot(f"problem-cell{cell}-{kind}", self.cell(cell))

    def cell(self, index):
        return self.page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index)

    def shot(self, name, locator=None):
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{self.label}-{name}.png"
        try:
            (locator or self.page).screenshot(path=str(path), timeout=10_000)
        except PlaywrightError as err:
            log(f"    (no screenshot {path.name}: {str(err).splitlines()[0]})")

    def images(self, index):
        cell = self.cell(index)
        cell.scroll_into_view_if_needed()
        handle = cell.element_handle()
        deadline = time.monotonic() + 5
        while True:
            self.page.evaluate(JS_DECODE, handle)
            images = self.page.evaluate(JS_IMAGES, handle)
            if visible_images(images) or time.monotonic() > deadline:
                return images
            self.page.wait_for_timeout(200)

    def run(self, execute=True):
        started = time.monotonic()
        log(f"== {self.label}: {self.served_path} ({len(self.code)} code cells, "
            f"{len(self.figures)} figures, {len(self.sweeps)} sliders)")
        self.page = self.context.new_page()
        try:
            self.open()
            self.check_no_prompt()
            self.check_untrusted()
            if execute:
                self.run_all()
                self.check_after_run()
                for index in self.sweeps:
                    self.check_slider(index)
        except PlaywrightError as err:
            if INTERRUPTED or "has been closed" in str(err) or "Connection closed" in str(err):
                raise BrowserGone(str(err).splitlines()[0]) from None
            self.problem(-1, "browser", str(err).splitlines()[0])
            self.shot("at-failure")
        finally:
            self.page.close()
            self.lab.shutdown_kernels()
        log(f"   {self.label}: {len(self.problems)} problems, {time.monotonic() - started:.1f} s")
        return self.problems

    def state(self):
        return self.page.evaluate(JS_STATE)

    def open(self):
        url = f"{self.lab.url}/lab/workspaces/{self.workspace}/tree/{self.served_path}?token={self.lab.token}"
        self.page.goto(url)
        self.page.wait_for_function(JS_STATE, timeout=90_000)
        self.cell(0).wait_for(timeout=30_000)
        self.page.wait_for_function(
            f"() => document.querySelectorAll('.jp-NotebookPanel .jp-Notebook .jp-Cell').length === {len(self.cells)}",
            timeout=30_000,
        )
        state = self.state()
        self.opened_trusted = any(state["trusted"])
        if self.opened_trusted:
            self.problem(-1, "trust", "the copy opened trusted, so the untrusted view is not what is checked")

    def choose_kernel_if_asked(self):
        dialog = self.page.locator(".jp-Dialog")
        if dialog.count() and dialog.first.is_visible():
            select = dialog.locator("select")
            if select.count():
                options = select.locator("option").all_text_contents()
                rust = [o for o in options if o.strip().lower() == "rust"]
                if rust:
                    select.select_option(label=rust[0])
            dialog.locator(".jp-Dialog-button.jp-mod-accept").click()

    def wait_kernel_idle(self, timeout_s):
        started = time.monotonic()
        while time.monotonic() < started + timeout_s:
            self.choose_kernel_if_asked()
            state = self.state()
            if state and state["status"] == "idle":
                return state
            if state and state["status"] in ("dead", "unknown") and time.monotonic() > started + 30:
                break
            self.page.wait_for_timeout(300)
        state = self.state()
        self.problem(-1, "kernel", f"kernel not idle: {state and state['status']} ({state and state['kernel']})")
        return None

    def check_no_prompt(self):
        """No toast over the notebook on opening it, such as JupyterLab's first-visit question
        about its news feed (the venv's lab settings answer it, tools/install_kernel.py)."""
        self.page.wait_for_timeout(PROMPT_WAIT_MS)
        for text in self.page.locator(".Toastify__toast").all_text_contents():
            self.problem(-1, "prompt", f"a prompt covers the notebook: {text[:80]!r}")

    # -- 1. the untrusted view -----------------------------------------------------------------
    def check_untrusted(self):
        self.shot("untrusted")
        for index in self.figures:
            images = self.images(index)
            if "sweep" in cell_tags(self.cells[index]):
                what = "the slider's static frame"
            else:
                what = "the committed figure"
            if not visible_images(images):
                detail = ", ".join(
                    f"naturalWidth {i['naturalWidth']}, {i['width']:.0f}x{i['height']:.0f}" for i in images
                ) or "no <img> at all"
                self.problem(index, "untrusted-figure", f"{what} is not visible in the untrusted view ({detail})")
            self.shot(f"untrusted-cell{index}", self.cell(index))
            if "sweep" in cell_tags(self.cells[index]) and not self.opened_trusted:
                self.note_dead_controls(index)
        self.page.evaluate(JS_MARK_STALE)

    def note_dead_controls(self, index):
        """Untrusted, a player's controls cannot work; a reader is better off not seeing them.
        (A note, not a failure: JupyterLab's sanitizer drops the `hidden` attribute but keeps
        style="display:none", and disables inputs.)"""
        controls = self.cell(index).locator('.jp-OutputArea-output input[type="range"], .jp-OutputArea-output button')
        shown = [c for c in controls.all() if c.is_visible()]
        if shown:
            log(f"    note cell {index}: untrusted, {len(shown)} player control(s) are visible though no "
                "script runs; hide them with style=\"display:none\" (JupyterLab drops `hidden`)")

    # -- 2. Run All Cells -------------------------------------------------------------------------
    def run_all(self):
        if not self.wait_kernel_idle(KERNEL_START_TIMEOUT_S):
            return
        started = time.monotonic()
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        log(f"   Run > Run All Cells ({self.label})")
        seen_busy = False
        quiet_since = None
        last_report = started
        while True:
            self.choose_kernel_if_asked()
            prompts = self.page.evaluate(JS_PROMPTS)
            state = self.state() or {}
            busy = any("*" in p for p in prompts) or state.get("status") != "idle"
            seen_busy |= busy
            now = time.monotonic()
            if state.get("status") in ("dead", "unknown"):
                self.problem(-1, "kernel", f"the kernel is {state.get('status')}")
                return
            if not busy and seen_busy:
                quiet_since = quiet_since or now
                if now - quiet_since > 1.5:
                    break
            elif not busy and now - started > 10:
                break  # nothing ran; the checks below say so
            else:
                quiet_since = None
            if now - last_report > 20:
                running = [i for i, p in enumerate(prompts) if "*" in p]
                log(f"   ... {now - started:.0f} s, running cell {running[0] if running else '-'}")
                last_report = now
            if now - started > RUN_TIMEOUT_S:
                self.problem(-1, "kernel", f"Run All Cells did not finish within {RUN_TIMEOUT_S} s")
                return
            self.page.wait_for_timeout(250)
        log(f"   ran in {time.monotonic() - started:.1f} s")

    def check_after_run(self):
        prompts = self.page.evaluate(JS_PROMPTS)
        counts = []
        for index in self.code:
            cell = self.cells[index]
            match = re.fullmatch(r"\[(\d+)\]:", prompts[index]) if index < len(prompts) else None
            if not match:
                self.problem(index, "not-run", f"did not run (prompt {prompts[index]!r})")
            else:
                counts.append(int(match.group(1)))
            handle = self.cell(index).element_handle()
            text = self.page.evaluate(JS_OUTPUT_TEXT, handle)
            stderr = "".join(text["stderr"]).strip()
            expected = cell.get("metadata", {}).get("expect_stderr")
            if stderr and not (expected and expected in stderr):
                self.problem(index, "error-output", "shows an error: " + stderr[:300].replace("\n", " | "))
            elif "panicked at" in text["all"]:
                self.problem(index, "error-output", "panicked: " + text["all"][:300])
            elif re.search(r"\bErr\(", text["all"]):
                self.problem(index, "error-output", "shows an Err value: " + text["all"][:300])
            if index in self.figures:
                images = self.images(index)
                fresh = [i for i in visible_images(images) if not i["stale"]]
                if not fresh:
                    self.problem(index, "run-figure", "shows no new image after running "
                                 f"({len(images)} <img>, {sum(i['stale'] for i in images)} left from before)")
                self.shot(f"run-cell{index}", self.cell(index))
        if counts != sorted(set(counts)):
            self.problem(-1, "not-run", f"execution counts out of order: {counts}")
        self.cell(0).scroll_into_view_if_needed()
        self.page.wait_for_timeout(500)  # let the cells scrolled back into view paint
        self.shot("run")

    # -- 3. sliders -----------------------------------------------------------------------------
    def check_slider(self, index):
        cell = self.cell(index)
        slider = cell.locator('.jp-OutputArea-output input[type="range"]')
        if slider.count() == 0:
            self.problem(index, "slider", "no range input in the output")
            return
        slider = slider.first
        before = shown_frame(self.images(index))
        if not slider.is_visible():
            self.problem(index, "slider", "the range input is hidden (did the player's script run?)")
            return
        slider.scroll_into_view_if_needed()
        if not before:
            self.problem(index, "slider", "no frame shown before moving the slider")
            return
        box = slider.bounding_box()
        value_before = slider.input_value()
        # Click near one end of the track, as a reader would; the other end if it was there.
        for fraction in (0.95, 0.05):
            self.page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
            value_after = slider.input_value()
            if value_after != value_before:
                break
        after = before
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            after = shown_frame(self.images(index))
            if after and after != before:
                break
            self.page.wait_for_timeout(100)
        self.shot(f"slider-cell{index}", cell)
        if value_after == value_before:
            self.problem(index, "slider", f"the range input did not move (value {value_before})")
        elif not after:
            self.problem(index, "slider", f"no frame shown after moving the slider to {value_after}")
        elif after == before:
            self.problem(index, "slider", f"moving the slider from {value_before} to {value_after} "
                         f"left the same frame ({short(before[0])})")
        else:
            log(f"   slider cell {index}: {value_before} -> {value_after}, frame changed")


# --------------------------------------------------------------------------------------------


def served_copy(scratch_in_root, notebook_path):
    """A copy at the same depth below the served root as the original, so relative paths in the
    notebook (`:dep scorelab = { path = "../crate" }`) still point at the repository."""
    rel = notebook_path.resolve().relative_to(ROOT)
    target = scratch_in_root.joinpath(*rel.parts[1:]) if len(rel.parts) > 1 else scratch_in_root / rel.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook_path, target)
    return target.relative_to(ROOT).as_posix()


def run_progress_check(context, lab, inside, workspace):
    """The progress check (progress_check.py) on its hand-made notebook; returns its problems."""
    progress_selftest()
    path = inside / "progress.ipynb"
    path.write_text(json.dumps(progress_notebook(), indent=1))
    check = NotebookCheck(context, lab, path.relative_to(ROOT).as_posix(), "progress", workspace)
    log(f"== progress: {check.served_path}")
    check.page = context.new_page()
    try:
        check.open()
        check_progress(check)
    except PlaywrightError as err:
        if INTERRUPTED or "has been closed" in str(err) or "Connection closed" in str(err):
            raise BrowserGone(str(err).splitlines()[0]) from None
        check.problem(-1, "browser", str(err).splitlines()[0])
    finally:
        check.page.close()
        lab.shutdown_kernels()
    log(f"   progress: {len(check.problems)} problems")
    return check.problems


def run_checks(notebooks, selftest, inside, outside, started, progress=True):
    """Every check in one JupyterLab and one browser; returns (passed, failed)."""
    passed, failed = 0, 0
    with Lab(ROOT, outside) as lab, sync_playwright() as playwright, chromium(playwright, outside / "profile") as context:
        log(f"JupyterLab on {lab.url}, Chromium {context.browser.version if context.browser else '?'} "
            f"({time.monotonic() - started:.1f} s)")
        checks = []
        if selftest:
            for name, nb, planted, execute, trust in fixtures():
                path = inside / f"{name}.ipynb"
                path.write_text(json.dumps(nb, indent=1))
                if trust:
                    lab.trust(path)
                checks.append((name, path.relative_to(ROOT).as_posix(), planted, execute))
        for nb_path in notebooks:
            checks.append((nb_path.stem, served_copy(inside, nb_path), [], True))
        if progress:
            if run_progress_check(context, lab, inside, "check-progress"):
                failed += 1
            else:
                passed += 1
        for n, (label, served, planted, execute) in enumerate(checks):
            expected = {(cell, kind) for cells, kind in planted for cell in cells}
            problems = NotebookCheck(context, lab, served, label, f"check{n}", expected).run(execute)
            missed, unplanted = match_planted(planted, problems)
            if not missed and not unplanted:
                passed += 1
                if planted:
                    log(f"   {label}: reported exactly the {len(planted)} planted problems")
            else:
                failed += 1
                if planted:
                    log(f"   {label}: the checker missed {missed} and reported unplanted {unplanted}")
    return passed, failed


class HandMadeCheck(NotebookCheck):
    """A check of one hand-made notebook: open it, run all its cells, then `check()`. Problems
    are reported on cell `INDEX` as `KIND`; `wait` gives up after `WAIT_S` seconds unless told."""

    INDEX, KIND, WAIT_S = -1, "check", 60
    CHECK_PROMPT = False  # whether to check first that no prompt covers the notebook

    def wait(self, read, what, timeout_s=None):
        """The first truthy value of `read()`, polled; a problem, and None, after the timeout."""
        timeout_s = timeout_s or self.WAIT_S
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            value = read()
            if value:
                return value
            self.page.wait_for_timeout(50)
        self.problem(self.INDEX, self.KIND, f"{what} within {timeout_s} s")
        return None

    def check(self):
        raise NotImplementedError

    def run(self, execute=True):
        self.page = self.context.new_page()
        try:
            self.open()
            if self.CHECK_PROMPT:
                self.check_no_prompt()
            self.run_all()
            self.check()
        finally:
            self.page.close()
            self.lab.shutdown_kernels()
        return self.problems


def main_hand_made(nb, name, check_class, workspace, what):
    """Serves the notebook `nb` (a dict) as `name`.ipynb in a private JupyterLab, runs
    `check_class` on it in headless Chromium, logs `what` with its problems; the exit status,
    1 if any."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    SHOTS.mkdir(parents=True, exist_ok=True)
    outside = Path(tempfile.mkdtemp(prefix=f"scorelab-browser-{name}-"))
    inside = Path(tempfile.mkdtemp(prefix=f"browser-{name}-", dir=ROOT))
    try:
        path = inside / f"{name}.ipynb"
        path.write_text(json.dumps(nb, indent=1))
        with Lab(ROOT, outside) as lab, sync_playwright() as playwright, \
                chromium(playwright, outside / "profile") as context:
            served = path.relative_to(ROOT).as_posix()
            problems = check_class(context, lab, served, name, workspace).run()
    finally:
        shutil.rmtree(inside, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)
    log(f"{what}: {len(problems)} problems, {time.monotonic() - started:.0f} s")
    return 1 if problems else 0


def has_sweep(path):
    try:
        cells = json.loads(path.read_text()).get("cells", [])
    except (OSError, ValueError):
        return False
    return any("sweep" in cell_tags(c) for c in cells)


def default_notebooks():
    paths = [ROOT / p for p in NOTEBOOKS]
    for folder in SWEEP_DIRS:
        paths += [p for p in sorted((ROOT / folder).glob("*.ipynb")) if p not in paths and has_sweep(p)]
    return paths


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help=f"default: {' '.join(NOTEBOOKS)} and notebooks with a sweep cell in "
                        f"{' or '.join(d + '/' for d in SWEEP_DIRS)}")
    parser.add_argument("--no-selftest", action="store_true", help="skip the hand-made notebooks")
    parser.add_argument("--only-progress", action="store_true", help="only the progress check")
    args = parser.parse_args()
    notebooks = [] if args.only_progress else [p.resolve() for p in args.notebooks] or default_notebooks()
    outside_root = [p for p in notebooks if not p.is_relative_to(ROOT)]
    if outside_root:
        log(f"not in the repository: {outside_root[0]}")
        return 2
    if not Path(CHROMIUM).exists():
        log(f"{CHROMIUM} is missing: run `make browser-setup`")
        return 1

    # `make` and CI stop a run with SIGTERM: unwind so the server and the browser stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    # A Ctrl-C also reaches Playwright's driver, which may stop before Python sees the signal.
    signal.signal(signal.SIGINT, on_interrupt)
    started = time.monotonic()
    shutil.rmtree(SHOTS, ignore_errors=True)
    outside = Path(tempfile.mkdtemp(prefix="scorelab-browser-"))
    # Inside the served root (the repository), one level down like experiment/ and notebooks/.
    inside = Path(tempfile.mkdtemp(prefix="browser-check-", dir=ROOT))
    try:
        selftest = not (args.no_selftest or args.only_progress)
        passed, failed = run_checks(notebooks, selftest, inside, outside, started)
    except (KeyboardInterrupt, BrowserGone) as err:
        if INTERRUPTED or isinstance(err, KeyboardInterrupt):
            log("interrupted; JupyterLab and the browser are stopped")
            return 130
        log(f"the browser stopped: {err}")
        return 1
    finally:
        shutil.rmtree(inside, ignore_errors=True)
        shutil.rmtree(outside, ignore_errors=True)
    log(f"browser checks took {time.monotonic() - started:.0f} s; screenshots in {SHOTS.relative_to(ROOT)}/")
    log(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
