#!/usr/bin/env python3
"""Writes the hand-made run directory used by tests/e2e/plot.sh.

Not run by the tests: the CSV files it wrote are committed next to it.  The
numbers are made up but follow stats/formats.md and behave like a real run:
500 problems, N = 256 samples per problem, n on a log-like grid up to 64,
gold = Gao BoN form plus noise, a one-to-many benchmark that tracks the gain
and a one-to-one benchmark that does not.  The RM names exercise escaping
(underscore, slash, quote, apostrophe and comma).

    cd tests/data/plotrun && python3 make_fixture.py
"""
import csv
import json
import math
import os
import random

random.seed(6)
PROBLEMS, N = 500, 256
GRID = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]
GOLD1 = 0.42
# name, alpha, beta, proxy offset, proxy scale, tie rate, benchmarks
RMS = [
    ("skywork_v2", 0.14, 0.020, 0.8, 1.6, 0.0, (0.62, 0.71)),
    ("internlm2-7b", 0.12, 0.050, -0.3, 1.1, 0.0, (0.47, 0.78)),
    ("prm/min", 0.09, 0.060, 0.55, 0.17, 0.08, (0.36, 0.66)),
    ('Ana\'s RM, "big"', 0.04, 0.015, 5.2, 1.3, 0.21, (0.44, 0.74)),
]


def kl_bon(n):
    return math.log(n) - (n - 1) / n


def n_of_kl(kl):
    lo, hi = 1.0, 1e12
    for _ in range(200):
        mid = math.sqrt(lo * hi)
        if kl_bon(mid) < kl:
            lo = mid
        else:
            hi = mid
    return lo


def pass_at(n):
    # mean of 1 - (1 - p)^n over a Beta(0.6, 0.83) spread of p (mean 0.42)
    s, m = 0.0, 2000
    for i in range(m):
        u = (i + 0.5) / m
        p = u ** (1 / 0.6) * 0.42 / (0.42 + (1 - u) ** 1.2 * 0.58)
        s += 1 - (1 - p) ** n
    return s / m


def g(x):
    return "%.10g" % x


def write(path, header, rows):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([g(v) if isinstance(v, float) else v for v in r])


curves, fits, gains, b1n, b11 = [], [], [], [], []
oracle = {n: pass_at(n) for n in GRID}
oracle1 = oracle[1]
for n in GRID:  # rescale so that oracle(1) = GOLD1 and oracle <= 1
    oracle[n] = GOLD1 + (oracle[n] - oracle1) * (1 - GOLD1) / (1 - oracle1)
for name, a, b, p0, ps, tie, (acc_many, acc_one) in RMS:
    golds = []
    for n in GRID:
        kl = kl_bon(n)
        d = math.sqrt(kl)
        gold = GOLD1 + d * (a - b * d) + (random.gauss(0, 0.004) if n > 1
                                          else 0)
        half = 1.96 * math.sqrt(gold * (1 - gold) / PROBLEMS) * (
            0.6 + 0.1 * math.log2(n))
        proxy = p0 + ps * d * (1.15 - 0.05 * d)
        phalf = 0.04 * ps * (1 + 0.2 * math.log2(n))
        maj = GOLD1 + 0.13 * (1 - math.exp(-(n - 1) / 6)) if n > 1 else GOLD1
        wv = GOLD1 + 0.15 * (1 - math.exp(-(n - 1) / 7)) if n > 1 else GOLD1
        orc = oracle[n]
        golds.append(gold)
        curves.append([name, n, kl, kl * (0.97 - 0.002 * math.log2(n)), d,
                       gold, gold - half, gold + half, proxy, proxy - phalf,
                       proxy + phalf, orc, orc - 0.03, min(orc + 0.03, 1.0),
                       gold - tie * 0.05 * d, gold + tie * 0.05 * d, maj, wv,
                       tie])
    for curve, form in (("gold", "bon"), ("gold", "rl"), ("proxy", "bon"),
                        ("proxy", "rl")):
        if curve == "gold":
            al = a * (1 + random.gauss(0, 0.03))
            be = b * (1 + random.gauss(0, 0.05))
            r2 = 0.93 + random.random() * 0.06
            g0 = GOLD1
        else:
            al = ps * 1.15
            be = ps * 0.05
            r2 = 0.995
            g0 = p0
        if form == "rl":
            al, be = al * 0.8, be * 1.5
            dstar = math.exp(al / be - 1) if be > 0 else float("inf")
            rstar = be * dstar if be > 0 else float("inf")
        else:
            dstar = al / (2 * be)
            rstar = al * al / (4 * be)
        klstar = dstar * dstar
        nstar = n_of_kl(klstar) if klstar < 25 else float("inf")
        fits.append([name, curve, form, al, al * 0.08, be, be * 0.15, r2,
                     dstar, klstar, nstar, rstar, g0, len(GRID), 2.0,
                     0.004 + random.random() * 0.01])
    peak = max(range(len(GRID)), key=lambda i: golds[i])
    auc = sum(x - GOLD1 for x in golds) / len(golds)
    delta = golds[-1] - GOLD1
    gains.append([name, PROBLEMS, N, GOLD1, golds[-1], delta, delta - 0.035,
                  delta + 0.035, golds[peak], GRID[peak], auc,
                  delta / (oracle[64] - GOLD1), 0.5 + random.random(), tie])
    b1n.append([name, 300, 9, acc_many, acc_many - 0.055, acc_many + 0.055,
                acc_many + tie * 0.3, acc_many + tie * 0.12,
                0.3 + 0.9 * acc_many ** 2, 0.25 + 0.9 * acc_many ** 2,
                0.35 + 0.9 * acc_many ** 2, 0.31 + 0.9 * acc_many ** 2, 0])
    b11.append([name, 300, 1, acc_one, acc_one - 0.05, acc_one + 0.05,
                acc_one + tie * 0.2, acc_one + tie * 0.1, 0.5 + acc_one / 2,
                0.48 + acc_one / 2, 0.52 + acc_one / 2, 0.5 + acc_one / 2, 0])

write("analysis/curves.csv",
      "rm,n,kl,kl_plugin,d,gold,gold_lo,gold_hi,proxy,proxy_lo,proxy_hi,"
      "oracle,oracle_lo,oracle_hi,gold_pess,gold_opt,majority,weighted_vote,"
      "tie_rate".split(","), curves)
write("analysis/fits.csv",
      "rm,curve,form,alpha,alpha_se,beta,beta_se,r2,d_star,kl_star,n_star,"
      "r_star,gold0,points,extrap_kl,extrap_rmse".split(","), fits)
write("analysis/gains.csv",
      "rm,problems,samples,gold1,goldN,delta,delta_lo,delta_hi,peak_gold,"
      "peak_n,auc,norm_gain,proxy_gap,tie_rate".split(","), gains)
bh = ("rm,problems,k,accuracy,accuracy_lo,accuracy_hi,accuracy_ties,"
      "accuracy_random,mrr,mrr_lo,mrr_hi,mrr_random,missing").split(",")
write("benchmarks/one_to_many/benchmark.csv", bh, b1n)
write("benchmarks/one_to_one/benchmark.csv", bh, b11)


def pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    return sxy / math.sqrt(sxx * syy)


def ranks(v):
    o = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    for k, i in enumerate(o):
        r[i] = k + 1.0
    return r


def kendall(x, y):
    s = 0
    for i in range(len(x)):
        for j in range(i + 1, len(x)):
            s += (1 if (x[i] - x[j]) * (y[i] - y[j]) > 0 else -1)
    return s / (len(x) * (len(x) - 1) / 2)


def fisher(r, n):
    z = math.atanh(max(min(r, 0.999999), -0.999999))
    h = 1.959964 / math.sqrt(n - 3)
    return math.tanh(z - h), math.tanh(z + h)


corr = []
xs = [("benchmarks/one_to_many/benchmark.csv", "accuracy", b1n, 3),
      ("benchmarks/one_to_many/benchmark.csv", "mrr", b1n, 8),
      ("benchmarks/one_to_one/benchmark.csv", "accuracy", b11, 3)]
ys = [("delta", 5), ("auc", 10), ("norm_gain", 11), ("peak_gold", 8)]
js = []
for xf, xc, xt, xi in xs:
    for yc, yi in ys:
        x = [r[xi] for r in xt]
        y = [r[yi] for r in gains]
        n = len(x)
        r = pearson(x, y)
        lo, hi = fisher(r, n)
        rho = pearson(ranks(x), ranks(y))
        tau = kendall(x, y)
        t = r * math.sqrt((n - 2) / max(1e-12, 1 - r * r))
        p = min(1.0, 2 * math.exp(-0.7 * abs(t)))  # rough, fixture only
        row = [xf + ":" + xc, "analysis/gains.csv:" + yc, n, r, lo, hi, p,
               r * r, rho, max(-1.0, rho - 0.9), 1.0 if rho > 0.3 else
               min(1.0, rho + 0.9), 0.0833 if abs(rho) > 0.9 else 0.5,
               tau, max(-1.0, tau - 1.0), 1.0 if tau > 0.3 else
               min(1.0, tau + 1.0), 0.0833 if abs(tau) > 0.9 else 0.5]
        corr.append(row)
        js.append({"x": row[0], "y": row[1], "rms": [r_[0] for r_ in gains],
                   "n": n, "pearson": {"r": r, "p": p, "lo": lo, "hi": hi},
                   "r2": r * r,
                   "spearman": {"rho": rho, "p_perm": row[11],
                                "lo": row[9], "hi": row[10]},
                   "kendall": {"tau_b": tau, "p_perm": row[15],
                               "lo": row[13], "hi": row[14]},
                   "interval_width": hi - lo,
                   "warning": "only %d RMs: every interval is wide" % n})
write("correlation/correlations.csv",
      "x,y,n,pearson,pearson_lo,pearson_hi,pearson_p,r2,spearman,spearman_lo,"
      "spearman_hi,spearman_p,kendall,kendall_lo,kendall_hi,kendall_p"
      .split(","), corr)
with open("correlation/correlation.json", "w") as f:
    json.dump(js, f, indent=1)
    f.write("\n")
# run.json as `bonrun run` writes it (stats/formats.md): served models, so
# the report must list the RMs by their names, not by their models
MODELS = {"skywork_v2": ("vllm-classify",
                         "Skywork/Skywork-Reward-V2-Llama-3.1-8B"),
          "internlm2-7b": ("vllm-classify", "internlm/internlm2-7b-reward"),
          "prm/min": ("vllm-pooling", "Qwen/Qwen2.5-Math-PRM-7B")}
with open("run.json", "w") as f:
    json.dump({"format": 1, "bonrun": "0.1.0", "name": "plot-fixture",
               "seed": 6, "samples_per_problem": N, "problems": PROBLEMS,
               "dataset": {"source": "file", "path": "data/math500.jsonl"},
               "policy": {"backend": "openai",
                          "model": "Qwen/Qwen2.5-Math-7B-Instruct"},
               "rms": [{"name": r[0],
                        "backend": MODELS.get(r[0], ("sim", None))[0],
                        "model": MODELS.get(r[0], ("sim", None))[1]}
                       for r in RMS],
               "benchmarks": {
                   "one_to_many": {"source": "sim", "path": None,
                                   "count": 300},
                   "one_to_one": {"source": "file",
                                  "path": "bench/rewardbench_math.csv",
                                  "count": None}},
               "samples": {"total": PROBLEMS * N,
                           "completed": PROBLEMS * N - 12,
                           "no_answer": 1536, "errors": 12,
                           "truncated": None},
               "shard": None}, f, indent=1)
    f.write("\n")
