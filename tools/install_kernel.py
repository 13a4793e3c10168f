#!/usr/bin/env python3
"""Registers the project's Rust kernel inside the project's virtualenv.

Writes <venv>/share/jupyter/kernels/rust/kernel.json, which Jupyter finds through the venv's
own data path, so nothing outside the repository is touched. The kernel is kernel/wrapper.py, an
ipykernel kernel (widgets, live figures) in front of evcxr_jupyter started by kernel/start.py
(prebuilt `scorelab`, one build slot per kernel), provisioned by
kernel/warm/scorelab_warm.py, which keeps a warm kernel ready per notebook directory. That module
is made importable in the venv and registered under the entry points Jupyter reads, as an
editable install would do it, without building a package. Also writes the venv's JupyterLab
defaults (no news prompt on a first visit) and its server's kernel websocket, which sends each
message at once (kernel/server/scorelab_websocket.py).
"""
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROVISIONER = "scorelab-warm"
ENTRY_POINTS = f"""[jupyter_client.kernel_provisioners]
{PROVISIONER} = scorelab_warm:WarmProvisioner
"""


def write_if_changed(path, text):
    if not path.exists() or path.read_text() != text:
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def site_packages(venv):
    """The venv's site-packages directory, where its `.pth` files go."""
    return Path(next(p for p in sys.path if p.endswith("site-packages") and p.startswith(str(venv))))


def register_provisioner(venv):
    """Puts kernel/warm on the venv's path and declares its provisioner's entry point."""
    site = site_packages(venv)
    write_if_changed(site / "scorelab_warm.pth", f"{ROOT / 'kernel/warm'}\n")
    info = site / "scorelab_warm-0.1.0.dist-info"
    info.mkdir(exist_ok=True)
    write_if_changed(info / "METADATA", "Metadata-Version: 2.1\nName: scorelab-warm\nVersion: 0.1.0\n")
    write_if_changed(info / "entry_points.txt", ENTRY_POINTS)


def register_websocket(venv):
    """Puts kernel/server on the venv's path and makes its connection class the venv's server's
    kernel websocket."""
    write_if_changed(site_packages(venv) / "scorelab_server.pth", f"{ROOT / 'kernel/server'}\n")
    # The server reads its traits from jupyter_server_config.json (its .d directory holds only
    # extensions); other keys of the file are kept.
    path = venv / "etc/jupyter/jupyter_server_config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    config = json.loads(path.read_text()) if path.exists() else {}
    config.setdefault("ServerApp", {})["kernel_websocket_connection_class"] = (
        "scorelab_websocket.NoDelayKernelConnection")
    write_if_changed(path, json.dumps(config, indent=2) + "\n")


LAB_SETTINGS = {
    # JupyterLab asks on a first visit whether to fetch its news feed, a prompt over the notebook
    # that would reach for the internet; "false" answers it once for every user of this venv.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def write_lab_settings(venv):
    """Default JupyterLab settings for this venv (`overrides.json`); a user's own settings win."""
    path = venv / "share/jupyter/lab/settings/overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = json.loads(path.read_text()) if path.exists() else {}
    for plugin, values in LAB_SETTINGS.items():
        settings.setdefault(plugin, {}).update(values)
    write_if_changed(path, json.dumps(settings, indent=2) + "\n")


def main() -> int:
    venv = Path(sys.prefix)
    evcxr = shutil.which("evcxr_jupyter") or str(Path.home() / ".cargo/bin/evcxr_jupyter")
    if not Path(evcxr).exists():
        print("evcxr_jupyter is not installed; run `make setup`", file=sys.stderr)
        return 1
    kernel_dir = venv / "share/jupyter/kernels/rust"
    kernel_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, str(ROOT / "kernel/wrapper.py"), "-f", "{connection_file}"],
        "display_name": "Rust",
        "language": "rust",
        "interrupt_mode": "message",
        "metadata": {"kernel_provisioner": {"provisioner_name": PROVISIONER}},
    }
    register_provisioner(venv)
    register_websocket(venv)
    write_lab_settings(venv)
    path = kernel_dir / "kernel.json"
    write_if_changed(path, json.dumps(spec, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
