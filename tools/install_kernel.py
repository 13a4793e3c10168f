#!/usr/bin/env python3
"""Registers the project's Rust kernel inside the project's virtualenv.

Writes <venv>/share/jupyter/kernels/rust/kernel.json, which Jupyter finds through the venv's
own data path, so nothing outside the repository is touched. The kernel is evcxr_jupyter started
by kernel/start.py (prebuilt `scorelab`, one build slot per kernel).
"""
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    venv = Path(sys.prefix)
    evcxr = shutil.which("evcxr_jupyter") or str(Path.home() / ".cargo/bin/evcxr_jupyter")
    if not Path(evcxr).exists():
        print("evcxr_jupyter is not installed; run `make setup`", file=sys.stderr)
        return 1
    kernel_dir = venv / "share/jupyter/kernels/rust"
    kernel_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, str(ROOT / "kernel/start.py"), "--control_file", "{connection_file}"],
        "display_name": "Rust",
        "language": "rust",
        "interrupt_mode": "message",
    }
    path = kernel_dir / "kernel.json"
    text = json.dumps(spec, indent=2) + "\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
        print(f"registered the Rust kernel in {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
