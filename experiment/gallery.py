#!/usr/bin/env python3
"""Side by side: every figure of the two ported notebooks, drawn by the original Python code
(numpy + matplotlib, run here, not a stored image) and by scorelab.

    gallery.py OURS_DIR OUT_DIR [CONTACT_SHEET.png]

OURS_DIR holds scorelab's figures (written by `cargo run --example port_figures`). Writes the
original figures, one composite PNG per figure and index.html to OUT_DIR, and, if given, a small
contact sheet of all pairs.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
# scorelab's file for each original figure, in the order the notebooks draw them.
PAIRS = [
    ("score_1d.png", "1-D mixture: pdf, log-pdf, score"),
    ("score_2d_field.png", "2-D score field, levels=20"),
    ("score_2d_langevin.png", "2-D field with a Langevin trajectory, levels=25"),
    ("langevin_histograms.png", "Langevin simulation: histograms at steps 0, 1, 10, 100"),
]


def run_score_function_notebook(out):
    """Runs the original notebook's code cells; each plt.show() saves the figure instead."""
    nb = json.loads((HERE / "bench" / "score_function_gaussian_python.ipynb").read_text())
    saved = []

    def show():
        path = out / f"original_{PAIRS[len(saved)][0]}"
        plt.gcf().savefig(path)
        plt.close("all")
        saved.append(path)

    plt.show = show
    scope = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), scope)
    return saved


def run_langevin_simulation(out):
    """The sibling notebook's simulation, with its parameters: 10 000 particles uniform on
    [-3, 3], eps = 0.01, 100 steps, histograms (50 bins, orange) over the pdf (red)."""
    w, mu, sd = np.array([0.6, 0.4]), np.array([2.0, -2.0]), np.array([0.5, 0.2])

    def pdf(x):
        return (w * np.exp(-0.5 * ((x[:, None] - mu) / sd) ** 2) / (sd * np.sqrt(2 * np.pi))).sum(1)

    def score(x):
        comp = w * np.exp(-0.5 * ((x[:, None] - mu) / sd) ** 2) / sd
        r = comp / comp.sum(1, keepdims=True)
        return (r * (mu - x[:, None]) / sd**2).sum(1)

    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, 10_000)
    eps, grid = 0.01, np.linspace(-4, 5, 1000)
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.9))
    shown = {0: None, 1: None, 10: None, 100: None}
    for step in range(101):
        if step in shown:
            ax = axes[list(shown).index(step)]
            ax.hist(x, bins=50, range=(-4, 5), density=True, alpha=0.6, color="orange", label="particles")
            ax.plot(grid, pdf(grid), "r-", lw=2, label="target p")
            ax.set(title=f"step {step}", xlabel="x", ylabel="density")
            ax.legend()
        x = x + eps * score(x) + np.sqrt(2 * eps) * rng.standard_normal(x.shape)
    fig.suptitle("Langevin dynamics")
    fig.tight_layout()
    path = out / f"original_{PAIRS[3][0]}"
    fig.savefig(path)
    plt.close(fig)
    return path


def side_by_side(original, ours, title, path, dpi=100):
    a, b = plt.imread(original), plt.imread(ours)
    height = 6.0
    widths = [a.shape[1] / a.shape[0] * height, b.shape[1] / b.shape[0] * height]
    stacked = widths[0] > 2 * height
    if stacked:
        fig, axes = plt.subplots(2, 1, figsize=(widths[0] * 0.6, 2 * height * 0.6 + 0.6))
    else:
        fig, axes = plt.subplots(1, 2, figsize=(sum(widths), height + 0.6))
    for ax, img, name in zip(axes, (a, b), ("original (matplotlib)", "scorelab")):
        ax.imshow(img)
        ax.set_title(name)
        ax.axis("off")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=dpi)
    plt.close(fig)


def main():
    ours, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    originals = run_score_function_notebook(out) + [run_langevin_simulation(out)]
    rows = []
    for (name, title), original in zip(PAIRS, originals):
        composite = out / f"pair_{name}"
        side_by_side(original, ours / name, title, composite)
        rows.append(f'<h2>{title}</h2><img src="{composite.name}" style="max-width:100%">')
    (out / "index.html").write_text("<!doctype html><title>scorelab gallery</title>" + "\n".join(rows))
    if len(sys.argv) > 3:
        fig, axes = plt.subplots(len(PAIRS), 2, figsize=(10, 3 * len(PAIRS)))
        for row, ((name, title), original) in zip(axes, zip(PAIRS, originals)):
            for ax, img, who in zip(row, (original, ours / name), ("matplotlib", "scorelab")):
                ax.imshow(plt.imread(img))
                ax.set_title(f"{who}: {title}", fontsize=7)
                ax.axis("off")
        fig.tight_layout()
        fig.savefig(sys.argv[3], dpi=60)
        plt.close(fig)
        # Committed to the repository: 128 colours keep it small and legible.
        from PIL import Image

        Image.open(sys.argv[3]).convert("RGB").quantize(128, method=Image.Quantize.FASTOCTREE).save(sys.argv[3], optimize=True)
    print(f"wrote {out / 'index.html'}")


if __name__ == "__main__":
    main()
