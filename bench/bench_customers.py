"""Benchmark of the customer analytics and pages; prints markdown and appends it to bench/RESULTS.md.

1. **CLV pipeline** on 1,000,000 simulated customers with about 20 transactions each:
   ``summary_from_transactions`` (weekly periods) + ``BetaGeo().fit`` + ``GammaGamma().fit`` +
   12-month ``customer_lifetime_value``. Target ≤ 30 s and ≤ 4 GB peak memory. It runs in a child
   process that loads the transaction log from .npy files, so the peak resident memory reported
   is that of the pipeline (with its input), not of the simulation.
2. **Segmentation** of 1,000,000 customers (six features, k chosen from 2–8 by silhouette).
   Target ≤ 20 s.
3. **Against lifetimes**: the same BG/NBD and Gamma-Gamma fits by the archived ``lifetimes``
   package on the same summary, run from a throwaway virtual environment given by
   ``--lifetimes-python`` (``python3 -m venv /tmp/lifetimes-venv && /tmp/lifetimes-venv/bin/pip
   install lifetimes``); reported as a time ratio with the parameters side by side.
3b. **BG/NBD kernel on distinct rows** (``--only bgnbd``): 1,000,000 customers simulated in
   continuous time (:func:`simulate_distinct_summary`), so every (frequency, recency, T) row is
   distinct and no deduplication helps; ``BetaGeo().fit`` against lifetimes' ``BetaGeoFitter``
   on the same arrays, best of ``--repeats`` runs each, in the same run. Target: ≥ 5× faster
   with estimates equal to ~1e-4 relative.
4. **Pages for a branch head**: first render (cold caches) of the three customer pages under
   AppTest on a demo database given by ``--database-url`` (default: the configured one), for the
   demo's branch heads; target ≤ 1.5 s. The segments page's on-demand run is timed separately.

Usage: ``python -m bench.bench_customers [--customers 1000000] [--lifetimes-python PATH]
[--database-url URL] [--only clv,segmentation,lifetimes,bgnbd,pages] [--repeats 3] [--no-append]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.run import machine
from config.settings import PROJECT_ROOT

RESULTS = PROJECT_ROOT / "bench" / "RESULTS.md"
# Simulation truth (per day): λ ~ Gamma(r, α), p ~ Beta(a, b); value ~ Gamma(p, ν), ν ~ Gamma(q, v).
TRUTH = {"r": 1.5, "alpha": 30.0, "a": 1.0, "b": 30.0}
VALUE_TRUTH = {"p": 6.25, "q": 3.74, "v": 15.44}
OBSERVATION_DAYS = 730
START = np.datetime64("2024-11-01")


def simulate_log(customers: int, seed: int) -> dict[str, np.ndarray]:
    """A transaction log from BG/NBD with a first purchase at each customer's birth (uniform over
    the first year): customer ids, days since START (float) and amounts (RMB)."""
    rng = np.random.default_rng(seed)
    birth = rng.uniform(0, 365, customers)
    exposure = OBSERVATION_DAYS - birth
    rate = rng.gamma(TRUTH["r"], 1.0 / TRUTH["alpha"], customers)
    dropout = rng.beta(TRUTH["a"], TRUTH["b"], customers)
    events = rng.poisson(rate * exposure)
    repeats = np.minimum(events, rng.geometric(dropout))
    # Repeat times: the first `repeats` of `events` uniform order statistics on (birth, end].
    rows = np.repeat(np.arange(customers), repeats)
    gaps = rng.exponential(1.0, len(rows))
    cumulative = np.cumsum(gaps)
    starts = np.concatenate([[0], np.cumsum(repeats)[:-1]])
    offset = np.repeat(np.concatenate([[0.0], cumulative])[starts], repeats)
    within = cumulative - offset
    last = np.repeat(within[np.maximum(np.cumsum(repeats) - 1, 0)], repeats)
    remainder = np.repeat(rng.gamma(events - repeats + 1.0, 1.0), repeats)
    day = birth[rows] + within / (last + remainder) * exposure[rows]
    customer = np.concatenate([np.arange(customers), rows])
    day = np.concatenate([birth, day])
    nu = rng.gamma(VALUE_TRUTH["q"], 1.0 / VALUE_TRUTH["v"], customers)
    amount = rng.gamma(VALUE_TRUTH["p"], 1.0 / nu[customer])
    return {"customer": customer.astype(np.int64), "day": day, "amount": amount}


def simulate_distinct_summary(customers: int, seed: int) -> dict[str, np.ndarray]:
    """(frequency, recency, T) in weeks of customers drawn from BG/NBD with :data:`TRUTH`, in
    continuous time: births uniform over the first year, T = observation end − birth, recency the
    time of the last of the repeat purchases that happened before dropout. Every row is distinct
    (continuous recency and age), so no deduplication of the rows helps a fit."""
    rng = np.random.default_rng([seed, 5])
    exposure = (OBSERVATION_DAYS - rng.uniform(0, 365, customers)) / 7.0  # weeks
    rate = rng.gamma(TRUTH["r"], 7.0 / TRUTH["alpha"], customers)  # per week
    dropout = rng.beta(TRUTH["a"], TRUTH["b"], customers)
    events = rng.poisson(rate * exposure)
    x = np.minimum(events, rng.geometric(dropout))
    # the x-th of `events` uniform order statistics on (0, T] is T · Beta(x, events − x + 1)
    recency = np.where(x > 0, rng.beta(np.maximum(x, 1), events - x + 1) * exposure, 0.0)
    return {"frequency": x.astype(np.int64), "recency": recency, "T": exposure}


CHILD = textwrap.dedent(
    """
    import json, resource, sys, time
    import numpy as np, pandas as pd
    from analytics.clv import BetaGeo, GammaGamma, PERIODS_PER_MONTH, customer_lifetime_value, summary_from_transactions
    folder = sys.argv[1]
    log = pd.DataFrame({
        "customer": np.load(folder + "/customer.npy"),
        "date": np.datetime64("2024-11-01") + (np.load(folder + "/day.npy") * 86400).astype("timedelta64[s]"),
        "amount": np.load(folder + "/amount.npy"),
    })
    times = {}
    start = time.perf_counter()
    summary = summary_from_transactions(log, "customer", "date", "amount", freq="W",
                                        observation_end=np.datetime64("2024-11-01") + np.timedelta64(730, "D"))
    times["summary"] = time.perf_counter() - start
    mark = time.perf_counter()
    bg = BetaGeo().fit(summary.frequency, summary.recency, summary["T"])
    times["bgnbd"] = time.perf_counter() - mark
    mark = time.perf_counter()
    gg = GammaGamma().fit(summary.frequency, summary.monetary_value)
    times["gamma_gamma"] = time.perf_counter() - mark
    mark = time.perf_counter()
    clv = customer_lifetime_value(
        bg, gg, summary.frequency, summary.recency, summary["T"], summary.monetary_value,
        horizon_months=12, annual_discount_rate=0.08, periods_per_month=PERIODS_PER_MONTH["W"],
    )
    times["clv"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    summary.reset_index().to_csv(folder + "/summary.csv", index=False)
    print(json.dumps({"times": times, "bg": bg.params_, "gg": gg.params_, "bg_converged": bg.converged_,
                      "gg_converged": gg.converged_, "customers": len(summary),
                      "transactions": len(log), "clv_total": float(clv.sum()),
                      "clv_finite": bool(np.isfinite(clv).all()),
                      "peak_rss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2}))
    """
)

LIFETIMES_CHILD = textwrap.dedent(
    """
    import json, sys, time
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    summary = pd.read_csv(sys.argv[1])
    penalizer = 0.0
    start = time.perf_counter()
    try:
        bg = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    except Exception:  # lifetimes gives up ("did not converge") and suggests a penalty
        penalizer = 0.001
        bg = BetaGeoFitter(penalizer_coef=penalizer).fit(summary["frequency"], summary["recency"], summary["T"])
    bg_time = time.perf_counter() - start
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    start = time.perf_counter()
    gg = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    gg_time = time.perf_counter() - start
    print(json.dumps({
        "bg_time": bg_time, "gg_time": gg_time, "penalizer": penalizer,
        "bg": {k: float(v) for k, v in bg.params_.items()},
        "gg": {k: float(v) for k, v in gg.params_.items()},
    }))
    """
)


def bench_clv(customers: int, seed: int, folder: Path) -> tuple[list[str], dict]:
    log = simulate_log(customers, seed)
    for name, values in log.items():
        np.save(folder / f"{name}.npy", values)
    del log
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=PROJECT_ROOT,
    )
    result = json.loads(output.stdout.strip().splitlines()[-1])
    times = result["times"]
    bg, gg = result["bg"], result["gg"]
    lines = [
        f"**CLV pipeline**, {result['customers']:,} customers, {result['transactions']:,} transactions "
        f"({result['transactions'] / result['customers']:.1f} each), weekly periods:",
        "",
        "| step | seconds |",
        "|---|---|",
        *(f"| {step} | {seconds:.2f} |" for step, seconds in times.items()),
        "",
        f"Total {times['total']:.1f} s (target ≤ 30 s: {'met' if times['total'] <= 30 else 'NOT met'}); peak "
        f"resident memory of the pipeline process {result['peak_rss_gb']:.2f} GB (target ≤ 4 GB: "
        f"{'met' if result['peak_rss_gb'] <= 4 else 'NOT met'}). Converged: BG/NBD {result['bg_converged']}, "
        f"Gamma-Gamma {result['gg_converged']}; CLV all finite: {result['clv_finite']}.",
        f"Recovered (truth per day r={TRUTH['r']}, α={TRUTH['alpha']} → per week α={TRUTH['alpha'] / 7:.2f}, "
        f"a={TRUTH['a']}, b={TRUTH['b']}): r={bg['r']:.3f}, α={bg['alpha']:.2f} weeks, a={bg['a']:.3f}, "
        f"b={bg['b']:.2f}. Gamma-Gamma (truth p={VALUE_TRUTH['p']}, q={VALUE_TRUTH['q']}, v={VALUE_TRUTH['v']}; "
        f"weekly periods sum same-week amounts): p={gg['p']:.3f}, q={gg['q']:.3f}, v={gg['v']:.2f}.",
    ]
    return lines, result


def bench_lifetimes(python: str, folder: Path, ours: dict) -> list[str]:
    try:
        output = subprocess.run(
            [python, "-c", LIFETIMES_CHILD, str(folder / "summary.csv")], capture_output=True, text=True, check=True
        )
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        return [f"**lifetimes** could not run: {detail.strip().splitlines()[-1:] if detail else error}"]
    theirs = json.loads(output.stdout.strip().splitlines()[-1])
    ours_bg, ours_gg = ours["times"]["bgnbd"], ours["times"]["gamma_gamma"]
    bg, gg = theirs["bg"], theirs["gg"]
    return [
        "**Against lifetimes 0.11 (same summary, same run, throwaway venv)**:",
        "",
        "| fit | ours (s) | lifetimes (s) | lifetimes ÷ ours | lifetimes' parameters |",
        "|---|---|---|---|---|",
        f"| BG/NBD | {ours_bg:.2f} | {theirs['bg_time']:.2f} | {theirs['bg_time'] / ours_bg:.1f} | "
        f"r={bg['r']:.3f}, α={bg['alpha']:.2f}, a={bg['a']:.3f}, b={bg['b']:.2f}"
        + (
            f' (without a penalty lifetimes stopped with "did not converge"; timed with its '
            f"penalizer_coef={theirs['penalizer']}, including the failed attempt)"
            if theirs["penalizer"]
            else ""
        )
        + " |",
        f"| Gamma-Gamma | {ours_gg:.2f} | {theirs['gg_time']:.2f} | {theirs['gg_time'] / ours_gg:.1f} | "
        f"p={gg['p']:.3f}, q={gg['q']:.3f}, v={gg['v']:.2f} |",
    ]


LIFETIMES_BGNBD_CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    import numpy as np, pandas as pd
    import lifetimes
    from lifetimes import BetaGeoFitter
    folder, repeats = sys.argv[1], int(sys.argv[2])
    x, t, big_t = (pd.Series(np.load(f"{folder}/{name}.npy")) for name in ("frequency", "recency", "T"))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        bg = BetaGeoFitter().fit(x, t, big_t)
        times.append(time.perf_counter() - start)
    print(json.dumps({"times": times, "version": lifetimes.__version__,
                      "params": {k: float(v) for k, v in bg.params_.items()}}))
    """
)


def bench_bgnbd_distinct(customers: int, seed: int, python: str, repeats: int, folder: Path) -> list[str]:
    """BG/NBD alone on customers whose (frequency, recency, T) rows are all distinct, against
    lifetimes' ``BetaGeoFitter`` on the same arrays in the same run; best of ``repeats`` each."""
    from analytics.clv import BetaGeo

    data = simulate_distinct_summary(customers, seed)
    distinct = len(pd.DataFrame(data).drop_duplicates())
    for name, values in data.items():
        np.save(folder / f"{name}.npy", values)
    load_start = os.getloadavg()[0]
    ours, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        model = BetaGeo().fit(data["frequency"], data["recency"], data["T"])
        ours.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    try:
        output = subprocess.run(
            [python, "-c", LIFETIMES_BGNBD_CHILD, str(folder), str(repeats)], capture_output=True, text=True, check=True
        )
        theirs = json.loads(output.stdout.strip().splitlines()[-1])
    except (subprocess.CalledProcessError, FileNotFoundError) as error:
        detail = (getattr(error, "stderr", "") or str(error)).strip().splitlines()[-1:]
        return [f"**BG/NBD on distinct rows**: lifetimes could not run: {detail}"]
    load_end = os.getloadavg()[0]
    mine, peer = model.params_, theirs["params"]
    relative = max(abs(mine[k] - peer[k]) / abs(peer[k]) for k in mine)
    best, best_peer = min(ours), min(theirs["times"])
    ratio = best_peer / best
    return [
        f"**BG/NBD fit, {customers:,} customers with all (frequency, recency, T) rows distinct** "
        f"({distinct:,} distinct rows; continuous recency and age in weeks; "
        f"{np.mean(data['frequency'] > 0):.1%} with repeat purchases, mean frequency "
        f"{np.mean(data['frequency']):.1f}), against lifetimes {theirs['version']} `BetaGeoFitter().fit` on "
        f"the same arrays in the same run (throwaway venv {python}); best of {repeats} each; "
        f"load average {load_start:.1f} at the start, {load_end:.1f} at the end:",
        "",
        "| fit | best (s) | all runs (s) | r | α (weeks) | a | b |",
        "|---|---|---|---|---|---|---|",
        f"| ours (`analytics.clv.BetaGeo`) | {best:.2f} | {', '.join(f'{v:.2f}' for v in ours)} "
        f"(CPU {min(cpu):.2f}) | {mine['r']:.6f} | {mine['alpha']:.6f} | {mine['a']:.6f} | {mine['b']:.5f} |",
        f"| lifetimes | {best_peer:.2f} | {', '.join(f'{v:.2f}' for v in theirs['times'])} | {peer['r']:.6f} "
        f"| {peer['alpha']:.6f} | {peer['a']:.6f} | {peer['b']:.5f} |",
        "",
        f"lifetimes ÷ ours (best against best): **{ratio:.1f}×** (target ≥ 5×: {'met' if ratio >= 5 else 'NOT met'}); "
        f"largest relative difference of the estimates {relative:.1e} (target ≤ 1e-4: "
        f"{'met' if relative <= 1e-4 else 'NOT met'}). Simulation truth per week: r={TRUTH['r']}, "
        f"α={TRUTH['alpha'] / 7:.3f}, a={TRUTH['a']}, b={TRUTH['b']}.",
    ]


def bench_segmentation(customers: int, seed: int) -> list[str]:
    from analytics.segmentation import segment_customers

    rng = np.random.default_rng(seed)
    centres = np.array(
        [  # log AUM, products, transaction days, digital share, tenure, age
            [np.log(8e3), 1.5, 20, 0.9, 3, 28],
            [np.log(6e4), 3.0, 60, 0.6, 10, 45],
            [np.log(4e5), 5.0, 30, 0.3, 18, 60],
            [np.log(2e6), 6.5, 90, 0.5, 15, 52],
            [np.log(2e4), 2.0, 5, 0.1, 25, 70],
        ]
    )
    group = rng.integers(0, len(centres), customers)
    noise = rng.normal(0, [0.2, 0.4, 5, 0.04, 1.5, 3], (customers, 6))  # well separated groups
    values = centres[group] + noise
    features = pd.DataFrame(
        {
            "aum_rmb": np.exp(values[:, 0]),
            "products": values[:, 1].clip(0).round(),
            "active_days": values[:, 2].clip(0).round(),
            "digital_share": values[:, 3].clip(0, 1),
            "tenure_years": values[:, 4].clip(0),
            "age_years": values[:, 5].clip(18),
        }
    )
    start = time.perf_counter()
    result = segment_customers(features, log_features=["aum_rmb", "products", "active_days"], random_state=1)
    seconds = time.perf_counter() - start
    purity = pd.crosstab(result.labels, group).max(axis=1).sum() / customers
    return [
        f"**Segmentation**, {customers:,} customers × 6 features, k-means with k from 2–8 by silhouette: "
        f"{seconds:.1f} s (target ≤ 20 s: {'met' if seconds <= 20 else 'NOT met'}); chose k = {result.k} "
        f"(simulated with 5 groups), purity against the simulated groups {purity:.3f}."
    ]


def bench_pages(database_url: str | None, repeats: int = 3) -> list[str]:
    """First render with Streamlit's caches cleared after the log-in (queries and model fits
    included; modules already imported, as in a running server), median of ``repeats``."""
    import statistics

    import streamlit as st
    from sqlalchemy import select

    from data.db import make_engine
    from data.schema import AppUser
    from tests.apptest_support import log_in, new_app, use_navigation_pages

    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from config.settings import load_settings

    url = load_settings().database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        heads = connection.execute(
            select(AppUser.username).where(AppUser.role == "branch_head").order_by(AppUser.username)
        ).scalars()
        heads = list(heads)
    engine.dispose()
    use_navigation_pages()
    load_start = os.getloadavg()[0]
    lines = [
        f"**Pages, branch heads, first render with cold caches** (AppTest, server side; database {url.split('://')[0]};"
        f" median of {repeats}; load average {load_start:.1f} at the start):",
        "",
        "| user | structure (s) | lifetime value (s) | segments form (s) | segments run, k = 4 (s) |",
        "|---|---|---|---|---|",
    ]
    pages = ("pages/customer_structure.py", "pages/lifetime_value.py", "pages/segments.py")
    warm_up = log_in(new_app(600), heads[0])  # imports the pages' modules once, as a running server has
    for page in pages:
        warm_up.switch_page(page).run()
    for username in heads:
        samples: list[list[float]] = [[] for _ in range(len(pages) + 1)]
        for _ in range(repeats):
            for index, page in enumerate(pages):
                at = log_in(new_app(600), username)
                st.cache_data.clear()
                start = time.perf_counter()
                at.switch_page(page).run()
                samples[index].append(float("nan") if at.exception else time.perf_counter() - start)
            at.selectbox(key="seg_k").set_value(4)
            start = time.perf_counter()
            at.button[0].click().run()
            samples[-1].append(time.perf_counter() - start)
        row = [statistics.median(values) for values in samples]
        lines.append(f"| {username} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
        print(lines[-1], flush=True)
    lines.append("")
    lines.append(f"Target ≤ 1.5 s per page first render. Load average at the end: {os.getloadavg()[0]:.1f}.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--lifetimes-python", default="/tmp/lifetimes-venv/bin/python")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--only", default="clv,segmentation,lifetimes,bgnbd,pages")
    parser.add_argument("--repeats", type=int, default=3, help="runs per page (median), fits per side in bgnbd (best)")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    lines = [
        f"## Customer analytics and pages (issue 5) — {dt.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"Machine: {machine()}.",
        "",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-customers-") as folder:
        clv_result = None
        if only & {"clv", "lifetimes"}:
            clv_lines, clv_result = bench_clv(args.customers, args.seed, Path(folder))
            lines += clv_lines + [""]
            print("\n".join(clv_lines), flush=True)
        if "lifetimes" in only and clv_result is not None:
            lifetimes_lines = bench_lifetimes(args.lifetimes_python, Path(folder), clv_result)
            lines += lifetimes_lines + [""]
            print("\n".join(lifetimes_lines), flush=True)
    if "bgnbd" in only:
        with tempfile.TemporaryDirectory(prefix="bench-bgnbd-") as folder:
            bgnbd_lines = bench_bgnbd_distinct(
                args.customers, args.seed, args.lifetimes_python, args.repeats, Path(folder)
            )
        lines += bgnbd_lines + [""]
        print("\n".join(bgnbd_lines), flush=True)
    if "segmentation" in only:
        segmentation_lines = bench_segmentation(args.customers, args.seed)
        lines += segmentation_lines + [""]
        print("\n".join(segmentation_lines), flush=True)
    if "pages" in only:
        page_lines = bench_pages(args.database_url, args.repeats)
        lines += page_lines + [""]
        print("\n".join(page_lines), flush=True)
    if not args.no_append:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write("\n" + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
