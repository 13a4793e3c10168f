"""CPU time used by each part of a live figure's path (browser, server, kernels), over a span.

`CpuUse.start()` reads every process's user + system time from /proc; `stop()` returns the
seconds each role used since, where a role is told by the process's command line. A process
that started in between counts from zero; one that ended in between is not counted.
"""
import os
from pathlib import Path

TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")

# (substring of the command line, role), the first match wins.
ROLES = [
    ("--type=renderer", "Chromium: page"),
    ("--type=gpu-process", "Chromium: GPU"),
    ("--type=utility", "Chromium: other"),
    ("chrom", "Chromium: other"),
    ("kernel/wrapper.py", "wrapper kernel (Python)"),
    ("evcxr", "evcxr (Rust: render, encode)"),
    ("ipykernel", "Python kernel (matplotlib)"),
    ("jupyter", "Jupyter server"),
    ("playwright", "Playwright (the bench's mouse)"),
    ("live_latency.py", "the bench's driver"),
]
OTHER = "other processes"


def role(command):
    return next((name for key, name in ROLES if key in command), OTHER)


def cpu_seconds():
    """{pid: (role, seconds of CPU so far)} of every process that can be read."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        out[entry.name] = (role(command), (int(fields[11]) + int(fields[12])) / TICKS_PER_SECOND)
    return out


class CpuUse:
    def start(self):
        self.before = cpu_seconds()

    def stop(self):
        """{role: CPU seconds used since `start`}."""
        used = {}
        for pid, (name, seconds) in cpu_seconds().items():
            used[name] = used.get(name, 0.0) + seconds - self.before.get(pid, (name, 0.0))[1]
        return used
