"""Checks that a long cell's progress shows in JupyterLab while the cell runs, not only at its end.

A hand-made notebook loads scorelab in the Rust kernel and runs a Langevin ensemble that takes
several seconds. While its prompt still shows [*], the page is read every 0.2 s: the note on
interrupting the kernel and a first progress line must appear, and a later progress line must be
added before the cell ends; after it, the summary line. A check that only read the output at the
end would pass even if the kernel held the lines back, so every reading is kept with whether the
cell was still running.
"""
import json
import re
import time

from fixtures import code_cell, notebook

# Slow enough for three or four progress lines (after 1, 2, 4 s) on an idle two-core machine
# (300 steps took under 2 s there: one line only), and under a minute on a busy one.
LONG_CELL = ("Ula::new(0.01)?.run_ensemble(&gm, &Particles::uniform(-3.0..=3.0).draw(1_000_000, 1)?, "
             "1000, &[1000], 1)?.last().map(|cloud| cloud.len())")
NOTE = "interrupting the Rust kernel ends its worker process"
PROGRESS_LINE = re.compile(r"particles: [\d ]+ of [\d ]+ particle-steps \(\d+ %\), \d+ s so far, about \d+ s left")
SUMMARY_LINE = re.compile(r"particles: [\d ]+ particle-steps in \d+ s")


def progress_notebook():
    """The notebook, placed one folder below the repository (like notebooks/)."""
    return notebook([
        code_cell(':dep scorelab = { path = "../kernel/scorelab" }\nuse scorelab::prelude::*;'),
        code_cell("let gm = GaussianMixture::new_1d(&[0.5, 0.5], &[-2.0, 2.0], &[1.0, 1.0])?;"),
        code_cell(LONG_CELL),
    ], intro="Progress of a long cell, read while it runs.")


def readings_verdict(readings):
    """Problems with the readings [(seconds, running, text)] of the long cell; [] if progress
    showed while it ran and was updated before it ended."""
    running = [(t, text) for t, is_running, text in readings if is_running]
    problems = []
    with_note = [t for t, text in running if NOTE in text]
    lines = [(t, len(PROGRESS_LINE.findall(text))) for t, text in running]
    first = next((t for t, n in lines if n >= 1), None)
    later = next((t for t, n in lines if n >= 2), None)
    if not with_note:
        problems.append("the note on interrupting did not show while the cell ran")
    if first is None:
        problems.append("no progress line showed while the cell ran")
    elif later is None:
        problems.append("the progress line was not updated while the cell ran")
    final = readings[-1][2] if readings else ""
    if readings and readings[-1][1]:
        problems.append("the cell did not finish")
    elif not SUMMARY_LINE.search(final):
        problems.append("no summary line after the cell ended")
    return problems


def check_progress(check):
    """Runs the notebook of `check` (a NotebookCheck opened on progress_notebook()) and reads the
    long cell as it runs. Returns the problems found (also reported on `check`)."""
    index = 3  # after the notebook's intro and two set-up cells
    if not check.wait_kernel_idle(180):
        return ["kernel not idle"]
    check.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    check.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    started = time.monotonic()
    readings = []
    shot_taken = False
    while time.monotonic() - started < 600:
        check.choose_kernel_if_asked()
        prompt = check.page.evaluate("(i) => { const c = document.querySelectorAll("
                                     "'.jp-NotebookPanel .jp-Notebook .jp-Cell')[i]; const p = c && "
                                     "c.querySelector('.jp-InputArea-prompt'); return p ? p.textContent.trim() : ''; }",
                                     index)
        text = check.cell(index).locator(".jp-OutputArea").inner_text()
        now = time.monotonic() - started
        running = "*" in prompt
        if running or readings:
            readings.append((now, running, text))
        if running and not shot_taken and len(PROGRESS_LINE.findall(text)) >= 2:
            check.shot("progress-while-running", check.cell(index))
            shot_taken = True
        if readings and not running and re.fullmatch(r"\[\d+\]:", prompt):
            break
        check.page.wait_for_timeout(200)
    check.shot("progress-after", check.cell(index))
    shown = [(round(t, 1), len(PROGRESS_LINE.findall(text))) for t, r, text in readings if r]
    changes = [shown[0]] + [b for a, b in zip(shown, shown[1:]) if b[1] != a[1]] if shown else []
    print(f"   progress lines while running (s, lines): {changes}", flush=True)
    problems = readings_verdict(readings)
    for message in problems:
        check.problem(index, "progress", message)
    # Say why, when the cause is a set-up cell (e.g. a kernel library older than the crate).
    for setup in range(1, index):
        text = check.cell(setup).locator(".jp-OutputArea").inner_text()
        if "Error" in text or "error" in text:
            message = "set-up cell failed: " + text[:300].replace("\n", " | ")
            check.problem(setup, "error-output", message)
            problems.append(message)
    return problems


def selftest():
    """The verdict must reject output that arrives only at the end, and accept streamed output."""
    note = f"Note: {NOTE} and loses every variable."
    line = "particles: 1 000 of 9 000 particle-steps (11 %), 1 s so far, about 8 s left"
    line2 = "particles: 5 000 of 9 000 particle-steps (55 %), 2 s so far, about 2 s left"
    summary = "particles: 9 000 particle-steps in 4 s"
    streamed = [(0.5, True, ""), (1.2, True, f"{note}\n{line}"), (2.3, True, f"{note}\n{line}\n{line2}"),
                (4.1, False, f"{note}\n{line}\n{line2}\n{summary}\nSome(1000)")]
    at_end = [(0.5, True, ""), (2.3, True, ""), (4.1, False, f"{note}\n{line}\n{line2}\n{summary}\nSome(1000)")]
    once = [(1.2, True, f"{note}\n{line}"), (2.3, True, f"{note}\n{line}"), (4.1, False, f"{note}\n{line}\n{summary}")]
    assert readings_verdict(streamed) == [], readings_verdict(streamed)
    assert "no progress line showed while the cell ran" in readings_verdict(at_end)
    assert "the progress line was not updated while the cell ran" in readings_verdict(once)


if __name__ == "__main__":
    selftest()
    print(json.dumps(progress_notebook())[:200])
