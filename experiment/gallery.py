#!/usr/bin/env python3
"""The gallery: each figure family drawn by matplotlib beside the same figure drawn by scorelab,
both at the same pixel density, composed at full size (nothing rescaled).

    gallery.py OURS_DIR OUT_DIR

OURS_DIR holds scorelab's figures at density 2, with the numbers of the non-port figures as JSON
(`make gallery` writes them with the examples port_figures and gallery_figures). OUT_DIR gets
one PNG per family: matplotlib on the left (or on top, for wide figures), scorelab beside it.

The matplotlib side:
- the port's three figures (1-D panels, score field, field with a Langevin trajectory) are drawn
  by the original notebook's method: the 1-D score by `np.gradient` of sampled log-density
  values, the 2-D score as ∇p / p, with p floored at 1e-20 (so the score vanishes where p
  underflows, and the lowest contour sits near log 1e-20 ≈ −46), Spectral contours labelled
  inline at 8 pt, grey quiver arrows, a grid and `axis("equal")`, saved with a tight bounding box;
- the histograms by the sibling simulation notebook's method (10 000 particles, ε = 0.01);
- the heat map, log axes and Stein vs ordinary families from the very numbers scorelab drew,
  with matplotlib's defaults, at scorelab's logical size.
"""
import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

DENSITY = 2
DPI = 100 * DENSITY
plt.rcParams["figure.dpi"] = 100
plt.rcParams["savefig.dpi"] = DPI

# (output name, matplotlib drawer, scorelab's file, caption)
FAMILIES = []


def family(name, ours, caption):
    def register(draw):
        FAMILIES.append((name, draw, ours, caption))
        return draw

    return register


def save(fig, path, tight=False):
    fig.savefig(path, bbox_inches="tight" if tight else None)
    plt.close(fig)


# ---- The port: the original notebook's method and layout.

W2 = np.array([0.3, 0.5, 0.2])
MU2 = np.array([[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]])
COV2 = np.array([[[1.0, 0.3], [0.3, 1.0]], [[1.5, -0.2], [-0.2, 1.0]], [[1.0, 0.0], [0.0, 1.5]]])


def pdf_and_gradient_2d(x, y):
    """p and ∇p of the 2-D mixture on a grid, from the component densities."""
    pts = np.stack([x, y], axis=-1)
    p = np.zeros(x.shape)
    grad = np.zeros(pts.shape)
    for w, mu, cov in zip(W2, MU2, COV2):
        inv = np.linalg.inv(cov)
        d = pts - mu
        q = np.einsum("...i,ij,...j->...", d, inv, d)
        n = w * np.exp(-0.5 * q) / (2 * np.pi * np.sqrt(np.linalg.det(cov)))
        p += n
        grad += -n[..., None] * np.einsum("ij,...j->...i", inv, d)
    return p, grad


def original_field(path, levels, title, trajectory=None):
    g = np.linspace(-8, 8, 50)
    x, y = np.meshgrid(g, g)
    p, grad = pdf_and_gradient_2d(x, y)
    p = np.maximum(p, 1e-20)
    score = np.where(p[..., None] > 1e-20, grad / p[..., None], 0.0)
    fig = plt.figure(figsize=(8, 6))
    cs = plt.contour(x, y, np.log(p), levels=levels, cmap="Spectral")
    plt.clabel(cs, inline=True, fontsize=8)
    plt.quiver(x, y, score[..., 0], score[..., 1], color="0.3", alpha=0.8)
    if trajectory is not None:
        plt.plot(trajectory[:, 0], trajectory[:, 1], "r.-", markersize=5, linewidth=1, label="Langevin Trajectory")
        plt.scatter(*trajectory[0], color="green", s=80, zorder=3, label="Initial Point")
        plt.legend()
    plt.title(title)
    plt.xlabel("x")
    plt.ylabel("y")
    plt.grid(True)
    plt.axis("equal")
    save(fig, path, tight=True)


@family("1d_panels", "score_1d.png", "1-D mixture: pdf, log-pdf, score (the port's first figure)")
def original_1d(path):
    x = np.linspace(-6, 6, 1000)
    pdf = sum(0.5 * np.exp(-0.5 * (x - m) ** 2) / np.sqrt(2 * np.pi) for m in (-2.0, 2.0))
    log_pdf = np.log(pdf)
    score = np.gradient(log_pdf, x)
    fig = plt.figure(figsize=(12, 8))
    for k, (y, color, label, ylabel, title) in enumerate([
        (pdf, "blue", "Mixture PDF", "PDF", "Mixture of Gaussians PDF"),
        (log_pdf, "green", "Log-PDF", "Log-PDF", "Log-PDF of Mixture of Gaussians"),
        (score, "red", "Score Function", "Score Function", "Score Function of Mixture of Gaussians"),
    ]):
        plt.subplot(3, 1, k + 1)
        plt.plot(x, y, color=color, label=label)
        plt.title(title)
        plt.xlabel("x")
        plt.ylabel(ylabel)
        plt.legend()
    plt.tight_layout()
    save(fig, path, tight=True)


@family("score_field", "score_2d_field.png", "2-D score field over labelled log-p contours, levels=20")
def original_score_field(path):
    original_field(path, 20, "Score Function (Gradient of log-p) for a 2D Gaussian Mixture")


@family(
    "score_field_trajectory",
    "score_2d_langevin.png",
    "2-D score field with a Langevin trajectory (ε = 0.02, 500 steps), levels=25",
)
def original_trajectory(path):
    rng = np.random.default_rng(3)
    x = rng.uniform(-8, 8, size=2)
    path_ = [x]
    for _ in range(500):
        p, grad = pdf_and_gradient_2d(x[None, 0:1], x[None, 1:2])
        s = grad[0, 0] / max(p[0, 0], 1e-20)
        x = x + 0.02 * s + np.sqrt(2 * 0.02) * rng.standard_normal(2)
        path_.append(x)
    original_field(path, 25, "2D Gaussian Mixture: Score Field + Langevin Dynamics", np.array(path_))


@family("histograms", "langevin_histograms.png", "Langevin simulation: histograms at steps 0, 1, 10, 100")
def langevin_simulation(path):
    """The sibling notebook's simulation: 10 000 particles uniform on [-3, 3], ε = 0.01,
    100 steps, histograms (50 bins, orange) over the pdf (red)."""
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
    shown = [0, 1, 10, 100]
    for step in range(101):
        if step in shown:
            ax = axes[shown.index(step)]
            ax.hist(x, bins=50, range=(-4, 5), density=True, alpha=0.6, color="orange", label="particles")
            ax.plot(grid, pdf(grid), "r-", lw=2, label="target p")
            ax.set(title=f"step {step}", xlabel="x", ylabel="density")
            ax.legend()
        x = x + eps * score(x) + np.sqrt(2 * eps) * rng.standard_normal(x.shape)
    fig.suptitle("Langevin dynamics")
    fig.tight_layout()
    save(fig, path)


# ---- Families the port does not draw: matplotlib's defaults on scorelab's numbers.


def figure_of(data):
    """A figure of scorelab's logical size (at 100 dpi)."""
    w, h = data["size"]
    return plt.figure(figsize=(w / 100, h / 100))


@family("stein_vs_ordinary", "stein_vs_ordinary.png", "Stein score against the ordinary scores of the means (01)")
def stein_vs_ordinary(path, data):
    fig = figure_of(data)
    ax = fig.add_subplot()
    ax.plot(data["xs"], data["stein"], label=r"Stein score $\nabla_x \log p(x)$")
    for k, ys in enumerate(data["ordinary"]):
        ax.plot(data["xs"], ys, "--", label=rf"ordinary score $\nabla_{{\mu_{k + 1}}} \log p(x)$")
    ax.set(title=r"Stein score $\nabla_x \log p$ vs ordinary scores $\nabla_{\mu_k} \log p$", xlabel="x", ylabel="score")
    ax.legend()
    fig.tight_layout()
    save(fig, path)


@family("log_axes", "log_axes.png", "Log axes: signal-to-noise of one annealed Langevin step (05)")
def log_axes(path, data):
    fig = figure_of(data)
    ax = fig.add_subplot()
    s = data["sigmas"]
    first, last = data["steps"][0], data["steps"][-1]
    ax.loglog(s, data["ratio"], "o-", label=r"schedule: $\alpha \propto \sigma^2$")
    ax.loglog(s, data["ratio_first_step"], "--", label=f"fixed α = {first:g} (first level's)")
    ax.loglog(s, data["ratio_last_step"], "--", label=f"fixed α = {last:g} (last level's)")
    ax.set(
        title=r"Signal-to-noise of one ULA step, $\alpha\|s\| / \sqrt{2\alpha}$, at each noise level",
        xlabel=r"noise level $\sigma$",
        ylabel=r"$\alpha\,\|s\|_{rms} / \sqrt{2\alpha}$",
    )
    ax.legend()
    fig.tight_layout()
    save(fig, path)


@family("heat_map", "heat_map.png", "Heat map with colour bar: reverse-time paths over log p(x, t) (07)")
def heat_map(path, data):
    w, mu, sd = (np.array(data[k]) for k in ("weights", "means", "stds"))
    b0, b1 = data["beta"]
    t = np.linspace(0, 1, 400)
    x = np.linspace(*data["range"], 600)
    a = np.exp(-0.5 * (b0 * t + 0.5 * (b1 - b0) * t**2))[:, None, None]
    var = a**2 * sd**2 + 1 - a**2
    comp = np.log(w) - 0.5 * (x[None, :, None] - a * mu) ** 2 / var - 0.5 * np.log(2 * np.pi * var)
    top = comp.max(-1)
    log_p = top + np.log(np.exp(comp - top[..., None]).sum(-1))
    fig = figure_of(data)
    ax = fig.add_subplot()
    mesh = ax.pcolormesh(t, x, np.maximum(log_p, -12).T, shading="gouraud", cmap="magma", vmin=-12)
    for (name, run), color, lw in [(("reverse SDE", data["sde"]), "k", 1), (("probability-flow ODE", data["ode"]), (0, 60 / 255, 220 / 255), 2)]:
        for i, ys in enumerate(run["paths"]):
            ax.plot(run["times"], ys, color=color, lw=lw, label=name if i == 0 else None)
    fig.colorbar(mesh, ax=ax, extend="min", label="log p(x, t)")
    ax.set(
        title="Reverse-time paths over log p(x, t)",
        xlabel="time t (the samplers start at t = 1, right, and run left to t = 0)",
        ylabel="x",
    )
    ax.legend()
    fig.tight_layout()
    save(fig, path)


# ---- Composition.


def font(size):
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            pass
    return ImageFont.load_default()


def compose(left, right, caption, path):
    """The two images at full size, side by side (stacked when wide), under a caption, each
    with its name above it."""
    a, b = Image.open(left).convert("RGB"), Image.open(right).convert("RGB")
    stacked = max(a.width, b.width) > 1.4 * max(a.height, b.height)
    pad, head = 24, 64
    big, small = font(40), font(30)
    if stacked:
        size = (max(a.width, b.width) + 2 * pad, head + a.height + b.height + 2 * head + 2 * pad)
        spots = [(pad, 2 * head), (pad, 3 * head + a.height + pad)]
    else:
        size = (a.width + b.width + 3 * pad, 2 * head + max(a.height, b.height) + pad)
        spots = [(pad, 2 * head), (2 * pad + a.width, 2 * head)]
    sheet = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(sheet)
    draw.text((pad, 12), caption, fill="black", font=big)
    for (x, y), img, name in zip(spots, (a, b), (f"matplotlib {matplotlib.__version__}", "scorelab")):
        draw.text((x, y - 44), name, fill=(90, 90, 90), font=small)
        sheet.paste(img, (x, y))
    sheet.save(path, optimize=True)


def main():
    ours, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    scratch = ours.parent / "matplotlib"
    scratch.mkdir(parents=True, exist_ok=True)
    for name, draw, our_file, caption in FAMILIES:
        theirs = scratch / f"{name}.png"
        data_file = ours / our_file.replace(".png", ".json")
        if data_file.exists():
            draw(theirs, json.loads(data_file.read_text()))
        else:
            draw(theirs)
        compose(theirs, ours / our_file, caption, out / f"{name}.png")
        print(f"wrote {out / name}.png")


if __name__ == "__main__":
    main()
