"""ULA on the reference 2-D mixture: numpy, JAX (jit, CPU) and scorelab side by side, in one run.

All three compute the same chain, x <- x + eps * s(x) + sqrt(2 eps) z, with the exact
log-sum-exp score s(x) = -sum_k r_k(x) Sigma_k^{-1} (x - mu_k), from N particles uniform on
[-8, 8]^2, eps = 0.02, 100 steps. Sizes and repeats are interleaved (numpy, JAX, scorelab, then
again), so a change in the machine's load hits all of them alike. Writes results.md, results.json
and results.png next to this file.

With --baseline, a second scorelab build (another commit's ula_throughput, same command line)
runs in the same loop, alternating with today's (today first in even repeats, the baseline
first in odd ones), and the results gain its column and the ratio today / baseline: the median,
over repeats, of today's time over the baseline's time in the same repeat.

    python bench.py --scorelab PATH/TO/ula_throughput [--sizes 10000 100000 1000000] [--repeats 3]
                    [--baseline PATH/TO/OLD/ula_throughput --baseline-name COMMIT]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

jax.config.update("jax_enable_x64", True)

HERE = Path(__file__).resolve().parent
# JAX's random bit generator: "threefry2x32" (the default) or "rbg" (XLA's RngBitGenerator,
# faster on CPU). The faster one is used, to compare against JAX at its best.
JAX_PRNG = os.environ.get("BENCH_JAX_PRNG", "rbg")
EPS = 0.02
WEIGHTS = np.array([0.3, 0.5, 0.2])
MEANS = np.array([[-3.0, 0.0], [3.0, 1.0], [0.0, -4.0]])
COVS = np.array([[[1.0, 0.3], [0.3, 1.0]], [[1.5, -0.2], [-0.2, 1.0]], [[1.0, 0.0], [0.0, 1.5]]])
# Whitening W_k = L_k^{-1} (Sigma_k = L_k L_k^T): y = W (x - mu), |y|^2 = quadratic form,
# Sigma^{-1} (x - mu) = W^T y. Log-normalisers log w_k - log|L_k| - log 2 pi.
WHITEN = np.array([np.linalg.inv(np.linalg.cholesky(c)) for c in COVS])
LOG_NORM = np.log(WEIGHTS) - np.array([np.log(np.diag(np.linalg.cholesky(c))).sum() for c in COVS]) - np.log(2 * np.pi)


def score_terms(xp, x0, x1):
    """Exact score at the points (x0[i], x1[i]) with array module xp (numpy or jax.numpy).

    Coordinates are separate arrays and every 2 x 2 product is written out, so each line is one
    element-wise pass (numpy) and the whole function fuses into one loop (XLA).
    """
    ells, grads = [], []
    for (m0, m1), w, c in zip(MEANS, WHITEN, LOG_NORM):
        d0, d1 = x0 - m0, x1 - m1
        y0, y1 = w[0, 0] * d0, w[1, 0] * d0 + w[1, 1] * d1
        ells.append(c - 0.5 * (y0 * y0 + y1 * y1))
        grads.append((w[0, 0] * y0 + w[1, 0] * y1, w[1, 1] * y1))
    m = xp.maximum(xp.maximum(ells[0], ells[1]), ells[2])
    e = [xp.exp(l - m) for l in ells]
    total = e[0] + e[1] + e[2]
    s0 = -(e[0] * grads[0][0] + e[1] * grads[1][0] + e[2] * grads[2][0]) / total
    s1 = -(e[0] * grads[0][1] + e[1] * grads[1][1] + e[2] * grads[2][1]) / total
    return s0, s1


def run_numpy(x0, steps, seed):
    rng = np.random.default_rng(seed)
    a, b = x0[:, 0].copy(), x0[:, 1].copy()
    noise = np.sqrt(2 * EPS)
    for _ in range(steps):
        s0, s1 = score_terms(np, a, b)
        z = rng.standard_normal((2, len(a)))
        a += EPS * s0 + noise * z[0]
        b += EPS * s1 + noise * z[1]
    return np.stack([a, b], axis=1)


@jax.jit
def _jax_chain(x, key, steps):
    noise = jnp.sqrt(2 * EPS)

    def body(_, carry):
        x, key = carry
        key, sub = jax.random.split(key)
        s0, s1 = score_terms(jnp, x[0], x[1])
        return x + EPS * jnp.stack([s0, s1]) + noise * jax.random.normal(sub, x.shape), key

    return jax.lax.fori_loop(0, steps, body, (x, key))[0]


def run_jax(x0, steps, seed):
    key = jax.random.key(seed, impl=JAX_PRNG)
    return np.asarray(_jax_chain(jnp.asarray(x0.T), key, steps).block_until_ready()).T


def run_scorelab(binary, n, steps, threads, cloud_file=None):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    cmd = [str(binary), str(n), str(steps), "1"] + ([cloud_file] if cloud_file else [])
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def moments(x):
    return x.mean(axis=0), np.cov(x, rowvar=False)


def agree(a, b):
    """Largest |difference| of mean and covariance entries in units of its standard error."""
    worst = 0.0
    for i in range(2):
        se = np.sqrt(a[:, i].var() / len(a) + b[:, i].var() / len(b))
        worst = max(worst, abs(a[:, i].mean() - b[:, i].mean()) / se)
        for j in range(i, 2):
            pa = (a[:, i] - a[:, i].mean()) * (a[:, j] - a[:, j].mean())
            pb = (b[:, i] - b[:, i].mean()) * (b[:, j] - b[:, j].mean())
            se = np.sqrt(pa.var() / len(a) + pb.var() / len(b))
            worst = max(worst, abs(pa.mean() - pb.mean()) / se)
    return worst


def versions(binary):
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "jax": jax.__version__,
        "jax_backend": jax.default_backend(),
        "rustc": rustc,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scorelab", required=True)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--long-steps", type=int, default=1000, help="steps of the long scorelab run at the largest size")
    ap.add_argument("--baseline", help="another build of ula_throughput, timed alternately with --scorelab")
    ap.add_argument("--baseline-name", help="what the baseline is (e.g. its commit), for the tables")
    args = ap.parse_args()
    builds = {"scorelab": args.scorelab}
    if args.baseline:
        builds["baseline"] = args.baseline
    info = versions(args.scorelab)
    info["load_before"] = os.getloadavg()
    if args.baseline:
        info["baseline"] = args.baseline_name or args.baseline
        info["today"] = today()
    print(json.dumps(info), flush=True)
    rows = []
    tmp = tempfile.mkdtemp()
    for n in args.sizes:
        x0 = np.random.default_rng(1).uniform(-8.0, 8.0, size=(n, 2))
        run_jax(x0, args.steps, 0)  # compile outside the timing
        times = {"numpy": [], "jax": []} | {k + t: [] for k in builds for t in ("", "_1t")}
        finals = {}
        for r in range(args.repeats):
            t = time.perf_counter()
            finals["numpy"] = run_numpy(x0, args.steps, 10 + r)
            times["numpy"].append(time.perf_counter() - t)
            t = time.perf_counter()
            finals["jax"] = run_jax(x0, args.steps, 10 + r)
            times["jax"].append(time.perf_counter() - t)
            for key, binary in alternate(builds, r):
                cloud = os.path.join(tmp, "cloud.f64")
                times[key].append(run_scorelab(binary, n, args.steps, None, cloud)["seconds"][0])
                finals[key] = np.fromfile(cloud, dtype="<f8").reshape(n, 2)
            for key, binary in alternate(builds, r):
                times[key + "_1t"].append(run_scorelab(binary, n, args.steps, 1)["seconds"][0])
        ns = {k: [s * 1e9 / (n * args.steps) for s in v] for k, v in times.items()}
        med = {k: float(np.median(v)) for k, v in ns.items()}
        row = {
            "n": n,
            "ns_median": med,
            "ns_all": ns,
            "numpy_over_scorelab": med["numpy"] / med["scorelab"],
            "jax_over_scorelab": med["jax"] / med["scorelab"],
            "agreement_sigma": {
                "numpy_vs_scorelab": agree(finals["numpy"], finals["scorelab"]),
                "jax_vs_scorelab": agree(finals["jax"], finals["scorelab"]),
                "numpy_vs_jax": agree(finals["numpy"], finals["jax"]),
            },
            "moments": {k: [v.tolist() for v in moments(x)] for k, x in finals.items()},
        }
        if args.baseline:
            row |= baseline_ratios(ns, med)
            row["agreement_sigma"]["baseline_vs_scorelab"] = agree(finals["baseline"], finals["scorelab"])
        rows.append(row)
        print(json.dumps(row), flush=True)
    n = max(args.sizes)
    long = {"n": n, "steps": args.long_steps}
    for threads, suffix in ((None, ""), (1, "_1_thread")):
        for key, binary in alternate(builds, 0):
            name = {"scorelab": "seconds", "baseline": "baseline_seconds"}[key] + suffix
            long[name] = run_scorelab(binary, n, args.long_steps, threads)["seconds"][0]
    result = {
        "info": info,
        "rows": rows,
        "long": long,
        "load_after": os.getloadavg(),
        "command": " ".join([Path(sys.executable).name, "bench.py"] + sys.argv[1:]),
    }
    print(json.dumps(result["long"]), flush=True)
    (HERE / "results.json").write_text(json.dumps(result, indent=1))
    write_markdown(result)
    plot(result)


def today():
    """The checked-out commit, and whether the working tree differs from it."""
    def git(*a):
        return subprocess.run(["git", *a], capture_output=True, text=True, cwd=HERE).stdout.strip()

    rev = git("rev-parse", "--short=7", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "../../crate")
    return f"`{rev}`" + (" with uncommitted changes in crate/" if dirty else "")


def alternate(builds, r):
    """The scorelab builds in the order of repeat r: as given when r is even, reversed when odd."""
    items = list(builds.items())
    return items if r % 2 == 0 else items[::-1]


def baseline_ratios(ns, med):
    """Today over the baseline, per repeat (the two ran back to back) and their median and range,
    at 2 threads and at 1; and numpy's and JAX's medians over the baseline's."""
    out = {"numpy_over_baseline": med["numpy"] / med["baseline"], "jax_over_baseline": med["jax"] / med["baseline"]}
    for suffix in ("", "_1t"):
        paired = [a / b for a, b in zip(ns["scorelab" + suffix], ns["baseline" + suffix])]
        out["today_over_baseline" + suffix] = {
            "median": float(np.median(paired)),
            "min": min(paired),
            "max": max(paired),
            "all": paired,
        }
    return out


def spread(values):
    """Median and range of timings, e.g. "13.1 (12.8–14.0)"."""
    return f"{np.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def write_markdown(res):
    info, rows, long = res["info"], res["rows"], res["long"]
    base = info.get("baseline")
    lines = [
        "# ULA throughput: numpy vs JAX (jit, CPU) vs scorelab",
        "",
        "Reference 2-D mixture (weights 0.3, 0.5, 0.2; means (-3, 0), (3, 1), (0, -4)), N particles",
        "uniform on [-8, 8]², 100 ULA steps with ε = 0.02, exact log-sum-exp score in all three.",
        "Median of the repeats, in nanoseconds per particle-step (lower is better); ratios are",
        "numpy or JAX time over scorelab time (2 threads).",
        "",
    ]
    head = "| particles | numpy | JAX jit | scorelab, 2 threads | scorelab, 1 thread |"
    rule = "|---:|---:|---:|---:|---:|"
    if base:
        head += f" scorelab (baseline {base}), 2 threads | today / baseline |"
        rule += "---:|---:|"
    lines += [head + " numpy / scorelab | JAX / scorelab | agreement (max σ) |", rule + "---:|---:|---:|"]
    for r in rows:
        m = r["ns_median"]
        worst = max(r["agreement_sigma"].values())
        cells = f"| {r['n']:,} | {m['numpy']:.1f} | {m['jax']:.1f} | {m['scorelab']:.2f} | {m['scorelab_1t']:.2f} |"
        if base:
            cells += f" {m['baseline']:.2f} | {r['today_over_baseline']['median']:.3f} |"
        lines.append(cells + f" {r['numpy_over_scorelab']:.0f}× | {r['jax_over_scorelab']:.1f}× | {worst:.1f} |")
    lines += [
        "",
        f"Long run: scorelab, {long['n']:,} particles × {long['steps']} steps in "
        f"**{long['seconds']:.2f} s** on 2 threads ({long['seconds_1_thread']:.2f} s on 1 thread)"
        + (
            f"; the baseline {base} in {long['baseline_seconds']:.2f} s ({long['baseline_seconds_1_thread']:.2f} s)."
            if base
            else "."
        ),
        "",
        "Agreement: for each pair of implementations, the largest difference of the final means and",
        "covariance entries in units of its standard error (values below ~4 mean the same law).",
        "README.md next to this file compares these numbers with the arithmetic limit and a profile.",
    ]
    if base:
        lines += baseline_section(res)
    lines += [
        "",
        "## Machine and versions",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; load average before {fmt_load(info['load_before'])}, "
        f"after {fmt_load(res['load_after'])} (the machine is shared: other jobs run at the same time).",
        f"- {info['rustc']}; Python {info['python']}, numpy {info['numpy']}, JAX {info['jax']} "
        f"(backend {info['jax_backend']}, float64, PRNG `{JAX_PRNG}`).",
        "- numpy runs on one thread (element-wise array operations); JAX jit compiles the whole",
        "  100-step loop (`lax.fori_loop`), compilation excluded; scorelab uses rayon with",
        "  `RAYON_NUM_THREADS` unset (2 threads) and `=1`.",
        "",
        "## How it was run",
        "",
        "```",
        f"make bench{f' BASELINE={base}' if base else ''}",
        f"# = cargo build --release --example ula_throughput, then {res['command']}",
        "```",
    ]
    (HERE / "results.md").write_text("\n".join(lines) + "\n")


def baseline_section(res):
    """Today's scorelab next to the baseline's: medians with their range, the paired ratio, and
    the ratios against numpy and JAX each build reaches."""
    info, rows = res["info"], res["rows"]
    base = info["baseline"]
    lines = [
        "",
        f"## Today vs baseline {base}",
        "",
        f"Today: {info.get('today', 'the --scorelab build')}. Baseline: {describe(base)}. Both",
        "`ula_throughput` binaries take the same command line and run the same workload; in every",
        "repeat they run back to back, in alternating order. Times are ns per particle-step, median",
        "(min–max) over the repeats; today / baseline is the median (min–max) of the per-repeat",
        "ratios, so below 1 means today is faster.",
        "",
        "| particles | threads | today | baseline | today / baseline | numpy / today | numpy / baseline | JAX / today | JAX / baseline |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        for suffix, threads in (("", 2), ("_1t", 1)):
            ratio = r["today_over_baseline" + suffix]
            cells = (
                f"| {r['n']:,} | {threads} | {spread(r['ns_all']['scorelab' + suffix])} "
                f"| {spread(r['ns_all']['baseline' + suffix])} "
                f"| {ratio['median']:.3f} ({ratio['min']:.3f}–{ratio['max']:.3f}) |"
            )
            if suffix:
                cells += " | | | |"
            else:
                cells += (
                    f" {r['numpy_over_scorelab']:.1f}× | {r['numpy_over_baseline']:.1f}× "
                    f"| {r['jax_over_scorelab']:.1f}× | {r['jax_over_baseline']:.1f}× |"
                )
            lines.append(cells)
    return lines


def describe(rev):
    """A commit as `abc1234` ("its subject"), or the name as given if git does not know it."""
    out = subprocess.run(["git", "show", "-s", "--format=%s", rev], capture_output=True, text=True, cwd=HERE)
    return f"`{rev}` (“{out.stdout.strip()}”)" if out.returncode == 0 else f"`{rev}`"


def fmt_load(load):
    return ", ".join(f"{v:.1f}" for v in load)


def plot(res):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = res["rows"]
    n = [r["n"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    styles = {
        "numpy": ("numpy (vectorised)", "tab:blue", "o-"),
        "jax": ("JAX jit (CPU)", "tab:orange", "o-"),
        "scorelab_1t": ("scorelab, 1 thread", "tab:olive", "o-"),
        "scorelab": ("scorelab, 2 threads", "tab:green", "o-"),
    }
    base = res["info"].get("baseline")
    if base:
        styles["baseline_1t"] = (f"scorelab {base}, 1 thread", "tab:olive", "s--")
        styles["baseline"] = (f"scorelab {base}, 2 threads", "tab:green", "s--")
    for key, (label, color, style) in styles.items():
        med = [r["ns_median"][key] for r in rows]
        lo = [min(r["ns_all"][key]) for r in rows]
        hi = [max(r["ns_all"][key]) for r in rows]
        ax.plot(n, med, style, color=color, label=label, mfc="none" if "--" in style else color)
        ax.fill_between(n, lo, hi, color=color, alpha=0.2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("particles")
    ax.set_ylabel("ns per particle-step (median, band: min–max)")
    ax.set_title(f"ULA, 2-D 3-component mixture, 100 steps — {res['info']['cores']} cores")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(HERE / "results.png", dpi=120)


if __name__ == "__main__":
    main()
