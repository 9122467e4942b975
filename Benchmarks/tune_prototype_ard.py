#!/usr/bin/env python3
"""Variants of tune_prototype.py's model (issue 17, thirteenth round).

The same loop as tune_prototype.py (ten random start-up points, then the
unseen one-flip neighbours of every evaluated configuration ranked by
exact expected improvement), with the Gaussian process's kernel, its
fitted parameters and an EI local search as options:

  --shape exp|matern   k(r) = s exp(-r), or s Matern52 on r as a squared
                       distance (Optuna GP's shape); r = sum_i w_i [x_i != y_i]
  --weights fixed|tied|ard
                       fixed: w_i = theta / p (the project's default);
                       tied: one w fitted; ard: a w_i per parameter fitted
  --noise X            fixed noise variance (of the standardised losses),
                       or "fit" (Optuna's gamma(1.1, 30) prior, >= 1e-6)
  --local K            greedy multi-flip hill-climbing on EI from the K
                       best candidates; the optima join the candidates
  --random R           R random unseen configurations join the candidates
                       (and can start the climbs), as Optuna's GP starts
                       from quasi-random points (sixteenth round)
  --startup N          random start-up points (10; sixteenth round)
  --design M           each start-up point the farthest (most parameters
                       changed from the nearest before it) of M random ones
                       (1: random, the default; sixteenth round)
  --fit-every N        refit the kernel every N evaluations (warm start)
  --cold               fit from the default start each time instead
  --width W            the prior's standard deviation of log w_i (exp; 1.5)
  --hier H             instead, log w_i ~ N(their mean, H^2), the mean ~ N(log(8/p), W^2)
  --select loo         at every proposal, rank with whichever of the fixed
                       kernel (exp, theta / p, noise 1e-4; loo-tied: one
                       fitted w, scale and noise) and the model the
                       options above describe has the higher leave-one-out
                       log predictive density of the observations (fifteenth
                       round; measured: ARD won at every proposal on cubic 24
                       and on LABS 40-60 alike, so it selects ARD throughout);
                       laplace: the higher evidence, the fixed kernel's exact
                       and the fitted model's by the Laplace approximation with
                       its priors normalised (seventeenth round; on seed 1,
                       with the noise prior's constant then 0.59 too large, it
                       chose ARD for 47-55 of 90 proposals on cubic 24 and
                       0-8 on LABS 40-60)
  --fit-from C         rank with the fixed kernel (exp, theta / p, noise 1e-4)
                       until there are C observations per parameter, and
                       with the model the options describe from then on
                       (sixteenth round, meant to keep ARD off LABS 40-60's
                       40-60 parameters; measured: at 2 the cubic 24 gain
                       went with it, +0.04 +- 0.43 against the base)

Fitted parameters maximise the marginal likelihood plus a weak prior
(log-normal on w around theta / p for exp, Optuna's -(0.1/w + 0.1 w) for
matern; gamma(2, 1) on s), by L-BFGS-B warm-started from the previous fit.
Needs numpy and scipy (~/.cache/anneal-optuna/bin/python has both).

    python Benchmarks/tune_prototype_ard.py --families cubic24 --seeds 40 \
        --shape exp --weights ard --jobs 2
"""
import argparse
import math
import multiprocessing
import os
import random
import sys

import numpy as np
from scipy.optimize import minimize
from scipy.special import log_ndtr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tune_bench as tb  # noqa: E402
from tune_prototype import OUT, append_run, print_pairs, recorded, unseen_neighbours  # noqa: E402



def log_ei(z):
    """log(z Phi(z) + phi(z)), stable for very negative z."""
    z = np.asarray(z, float)
    out = np.empty_like(z)
    big = z > -6
    zb = z[big]
    out[big] = np.log(zb * np.exp(log_ndtr(zb)) + np.exp(-zb * zb / 2) / math.sqrt(2 * math.pi))
    zs = z[~big]
    # phi(z) / z^2 (1 - 3/z^2 + 15/z^4)
    out[~big] = (-zs * zs / 2 - math.log(math.sqrt(2 * math.pi)) - 2 * np.log(-zs)
                 + np.log1p(-3 / zs ** 2 + 15 / zs ** 4))
    return out


class Model:
    def __init__(self, p, shape, weights, noise, theta, width=1.5, hier=0.0):
        self.p, self.shape, self.weights, self.noise, self.theta = p, shape, weights, noise, theta
        self.width, self.hier = width, hier
        w0 = theta / p if shape == "exp" else 1.0
        self.nw = {"fixed": 0, "tied": 1, "ard": p}[weights]
        self.raw = np.concatenate([np.full(self.nw, math.log(w0)), [0.0],
                                   [math.log(1e-2)] if noise == "fit" else []])
        self.w0 = w0

    def unpack(self, raw):
        if self.weights == "fixed":
            w = np.full(self.p, self.w0)
        elif self.weights == "tied":
            w = np.full(self.p, math.exp(raw[0]))
        else:
            w = np.exp(raw[:self.p])
        s = math.exp(raw[self.nw]) if self.weights != "fixed" or self.noise == "fit" else 1.0
        noise = 1e-6 + math.exp(raw[self.nw + 1]) if self.noise == "fit" else float(self.noise)
        return w, s, noise

    def f(self, r):
        if self.shape == "exp":
            e = np.exp(-r)
            return e, -e
        q = np.sqrt(5 * r)
        e = np.exp(-q)
        return e * (5 / 3 * r + q + 1), -5 / 6 * (q + 1) * e

    def neg_log_post(self, raw, X, D, y):
        """Negative log posterior and its gradient in raw (log) parameters."""
        w, s, noise = self.unpack(raw)
        n = len(y)
        fr, dfr = self.f((D @ w).reshape(n, n))
        K = s * fr + noise * np.eye(n)
        try:
            L = np.linalg.cholesky(K)
        except np.linalg.LinAlgError:
            return 1e10, np.zeros_like(raw)
        Li = np.linalg.solve(L, np.eye(n))
        Kinv = Li.T @ Li
        alpha = Kinv @ y
        nll = 0.5 * y @ alpha + np.log(np.diag(L)).sum()
        W = np.outer(alpha, alpha) - Kinv  # dL/dK * 2
        g = np.zeros_like(raw)
        # prior
        lw = np.log(w)
        if self.shape == "exp" and self.hier > 0:
            # log w_i around their own mean (sd hier), the mean around log(8/p) (sd width)
            bar = lw.mean()
            prior = (-0.5 * ((lw - bar) ** 2).sum() / self.hier ** 2
                     - 0.5 * (bar - math.log(self.w0)) ** 2 / self.width ** 2)
            dprior_dlw = (-(lw - bar) / self.hier ** 2
                          - (bar - math.log(self.w0)) / (self.width ** 2 * len(lw)))
        elif self.shape == "exp":
            prior = -0.5 * ((lw - math.log(self.w0)) ** 2).sum() / self.width ** 2
            dprior_dlw = -(lw - math.log(self.w0)) / self.width ** 2
        else:
            prior = -(0.1 / w + 0.1 * w).sum()
            dprior_dlw = (0.1 / w - 0.1 * w)
        has_s = self.weights != "fixed" or self.noise == "fit"
        if has_s:
            prior += math.log(s) - s
        if self.noise == "fit":
            prior += 0.1 * math.log(noise) - 30 * noise
        if self.nw:
            M = W * (s * dfr)
            gw = -0.5 * np.einsum("ab,abi->i", M, D.reshape(n, n, -1))  # d nll / d w_i
            if self.weights == "tied":
                g[0] = gw.sum() * w[0] - dprior_dlw.sum()
            else:
                g[:self.p] = gw * w - dprior_dlw
        if has_s:
            g[self.nw] = -0.5 * np.sum(W * fr) * s - (1 - s)
        if self.noise == "fit":
            nz = noise - 1e-6
            g[self.nw + 1] = -0.5 * np.trace(W) * nz - (0.1 / noise - 30) * nz
        return nll - prior, g

    def dist(self, a, b):
        """Per-parameter distances between the rows of a and b, shape
        (len(a), len(b), p): here the mismatch [a_k != b_k]."""
        return (np.asarray(a)[:, None, :] != np.asarray(b)[None, :, :]).astype(float)

    def fit(self, X, y, steps):
        if self.weights == "fixed" and self.noise != "fit":
            return
        n = len(y)
        D = self.dist(X, X).reshape(n * n, -1)
        res = minimize(self.neg_log_post, self.raw, args=(X, D, y), jac=True,
                       method="L-BFGS-B", options={"maxiter": steps, "gtol": 1e-3},
                       bounds=[(-12, 5)] * len(self.raw))
        if np.all(np.isfinite(res.x)):
            self.raw = res.x

    def log_evidence(self, X, y):
        """The log marginal likelihood of y (without the n/2 log 2 pi both
        models share): exact for the fixed kernel; for fitted parameters
        the Laplace approximation around the fit, the priors normalised
        (seventeenth round, `--select laplace`), so each weight the data
        pin down costs its Occam factor."""
        n = len(y)
        D = self.dist(X, X).reshape(n * n, -1)
        if self.weights == "fixed" and self.noise != "fit":
            return -self.neg_log_post(self.raw, X, D, y)[0]
        f = lambda r: self.neg_log_post(r, X, D, y)  # noqa: E731
        value, _ = f(self.raw)
        d, h = len(self.raw), 1e-4
        H = np.zeros((d, d))
        for i in range(d):
            e = np.zeros(d)
            e[i] = h
            H[i] = (f(self.raw + e)[1] - f(self.raw - e)[1]) / (2 * h)
        eig = np.linalg.eigvalsh(0.5 * (H + H.T))
        logdet = np.log(np.maximum(eig, 1e-8)).sum()
        # normalising constants of the priors on the raw parameters' box
        # [-12, 5]: log-normal weights; exp(r) exp(-exp r) for the scale
        # integrates to 1; the noise's u^0.1 exp(-30 u), u = 1e-6 + exp(r),
        # to 3.763873 (quadrature; Gamma(0.1) / 30^0.1, the whole line's,
        # is 0.59 larger in log)
        norm = 0.0
        if self.shape == "exp" and self.nw and not self.hier:
            norm -= self.nw * 0.5 * math.log(2 * math.pi * self.width ** 2)
        if self.noise == "fit":
            norm -= 1.3254485339500022
        return -value + norm + 0.5 * d * math.log(2 * math.pi) - 0.5 * logdet

    def condition(self, X, y):
        self.X, self.w, self.s, self.nz = X, *self.unpack(self.raw)
        n = len(y)
        r = self.dist(X, X) @ self.w
        K = self.s * self.f(r)[0] + self.nz * np.eye(n)
        self.L = np.linalg.cholesky(K)
        self.alpha = np.linalg.solve(self.L.T, np.linalg.solve(self.L, y))
        self.best = y.min()

    def loo(self, y):
        """The leave-one-out log predictive density of the conditioned
        observations y (closed form: mean y_i - a_i / K^-1_ii, variance
        1 / K^-1_ii, a = K^-1 y; Rasmussen and Williams, eq. 5.12)."""
        Li = np.linalg.solve(self.L, np.eye(len(y)))
        d = np.sum(Li * Li, 0)  # diag of K^-1
        return float(np.sum(-0.5 * np.log(2 * math.pi / d) - 0.5 * self.alpha ** 2 / d))

    def log_ei(self, C):
        r = self.dist(C, self.X) @ self.w
        k = self.s * self.f(r)[0]
        mean = k @ self.alpha
        v = np.linalg.solve(self.L, k.T)
        sd = np.sqrt(np.maximum(self.s - np.sum(v * v, 0), 1e-12))
        return np.log(sd) + log_ei((self.best - mean) / sd)


def ei_climb(x, v, moves, log_ei, seen, steps=None):
    """Greedy hill-climbing on EI from x (log EI v): to the unseen
    configuration of moves(x) with the highest log_ei while it grows, at
    most `steps` moves (None: no limit). Returns the end and its log EI."""
    k = 0
    while steps is None or k < steps:
        k += 1
        nb = [z for z in moves(x) if z not in seen]
        if not nb:
            break
        vals = log_ei(nb)
        j = int(np.argmax(vals))
        if vals[j] <= v + 1e-12:
            break
        x, v = nb[j], vals[j]
    return x, v


def flips(x):
    """The one-flip neighbours (tuples of +-1) of x, in bit order."""
    return [x[:i] + (-x[i],) + x[i + 1:] for i in range(len(x))]


def run(evaluate, p, seed, budget, opts, startup=10):
    rng = random.Random(seed)
    seen, xs, ys = set(), [], []
    model = Model(p, opts.shape, opts.weights, opts.noise, opts.theta, opts.width, opts.hier)
    plain = (Model(p, "exp", "fixed", "1e-4", opts.theta)
             if opts.select in ("loo", "laplace") or opts.fit_from else
             Model(p, "exp", "tied", "fit", opts.theta) if opts.select == "loo-tied" else None)
    chosen = 0

    def evaluate_new(x):
        x = tuple(x)
        seen.add(x)
        xs.append(x)
        ys.append(evaluate(x))

    for _ in range(startup):
        pool = [[rng.choice((-1, 1)) for _ in range(p)] for _ in range(max(1, opts.design))]
        # maximin: the one farthest (in changed parameters) from those drawn before
        evaluate_new(max(pool, key=lambda z: min((sum(a != b for a, b in zip(z, x)) for x in xs),
                                               default=0)))
    while len(ys) < budget:
        X = np.asarray(xs, float)
        y = np.asarray(ys)
        yn = (y - y.mean()) / (y.std() + 1e-12)
        gated = opts.fit_from and len(ys) < opts.fit_from * p
        if (len(ys) - startup) % opts.fit_every == 0 and not gated:
            if opts.cold:
                model = Model(p, opts.shape, opts.weights, opts.noise, opts.theta, opts.width, opts.hier)
            model.fit(X, yn, opts.steps)
            if plain is not None:
                plain.fit(X, yn, opts.steps)
        if gated:
            plain.condition(X, yn)
            ranker = plain
        else:
            model.condition(X, yn)
            ranker = model
            if opts.fit_from:
                chosen += 1
            elif plain is not None:
                plain.condition(X, yn)
                if (plain.log_evidence(X, yn) >= model.log_evidence(X, yn)
                        if opts.select == "laplace" else plain.loo(yn) >= model.loo(yn)):
                    ranker = plain
                else:
                    chosen += 1
        cands = unseen_neighbours(xs, np.argsort(y, kind="stable"), seen)
        listed = {tuple(c) for c in cands}
        for _ in range(opts.random):
            z = tuple(rng.choice((-1, 1)) for _ in range(p))
            if z not in seen and z not in listed:
                listed.add(z)
                cands.append(list(z))
        if not cands:
            cands = [[rng.choice((-1, 1)) for _ in range(p)]]
        C = np.asarray(cands, float)
        lei = ranker.log_ei(C)
        if opts.local:
            for start in np.argsort(-lei, kind="stable")[:opts.local]:
                t, v = ei_climb(tuple(cands[start]), lei[start], flips,
                                lambda nb: ranker.log_ei(np.asarray(nb, float)), seen)
                if t not in listed:
                    listed.add(t)
                    cands.append(list(t))
                    lei = np.append(lei, v)
        evaluate_new(cands[int(np.argmax(lei))])
    if plain is not None:
        print(f"seed {seed}: the fitted model ranked {chosen} of {budget - startup}",
              file=sys.stderr)
    return ys


def job(args):
    family, name, seed, opts = args
    q = [q for q in tb.problems(opts.anneal, [family]) if q.name == name][0]
    f = lambda x: q.evaluate([v > 0 for v in x])  # noqa: E731
    return family, name, seed, run(f, len(q.params), seed, opts.budget, opts, opts.startup)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--families", default="cubic24")
    ap.add_argument("--seeds", type=int, default=40)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--shape", default="exp", choices=("exp", "matern"))
    ap.add_argument("--weights", default="fixed", choices=("fixed", "tied", "ard"))
    ap.add_argument("--noise", default="1e-4")
    ap.add_argument("--theta", type=float, default=8.0)
    ap.add_argument("--local", type=int, default=0)
    ap.add_argument("--hier", type=float, default=0.0,
                    help="ARD, exp: log w_i around their mean with this sd (0: off)")
    ap.add_argument("--width", type=float, default=1.5,
                    help="prior standard deviation of log w_i (exp shape)")
    ap.add_argument("--select", default=None, choices=("loo", "loo-tied", "laplace"))
    ap.add_argument("--random", type=int, default=0,
                    help="random unseen candidates added at each proposal")
    ap.add_argument("--startup", type=int, default=10, help="random start-up points")
    ap.add_argument("--design", type=int, default=1,
                    help="start-up points: the farthest of this many random ones (1: random)")
    ap.add_argument("--fit-from", type=float, default=0.0,
                    help="observations per parameter before the fitted model ranks (0: from the start)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--fit-every", type=int, default=1)
    ap.add_argument("--cold", action="store_true",
                    help="fit from the default start every time (no warm start)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--label", default=None)
    ap.add_argument("--baseline", default="proto13-base")
    ap.add_argument("--anneal", default=os.path.join(HERE, "..", ".build", "release", "anneal"))
    opts = ap.parse_args()
    label = opts.label or (f"proto13-{opts.shape}-{opts.weights}-n{opts.noise}-l{opts.local}"
                           f"-s{opts.steps}-f{opts.fit_every}" + ("-cold" if opts.cold else "")
                           + (f"-w{opts.width:g}" if opts.width != 1.5 else "")
                           + (f"-h{opts.hier:g}" if opts.hier else "")
                           + (f"-{opts.select}" if opts.select else "")
                           + (f"-from{opts.fit_from:g}" if opts.fit_from else "")
                           + (f"-rand{opts.random}" if opts.random else "")
                           + (f"-maximin{opts.design}" if opts.design > 1 else "")
                           + (f"-startup{opts.startup}" if opts.startup != 10 else ""))
    for family in opts.families.split(","):
        probs = [q for q in tb.problems(opts.anneal, [family]) if q.family == family]
        work = [(family, q.name, seed, opts) for q in probs
                for seed in range(opts.first_seed, opts.first_seed + opts.seeds)]
        mine = {}
        with multiprocessing.Pool(opts.jobs) as pool:
            for fam, name, seed, values in pool.imap_unordered(job, work):
                mine[(name, seed)] = values
                append_run(fam, label, name, seed, opts.budget, values)
        references = [(o, recorded(family, o, opts.budget)) for o in ("anneal-tr", "optuna-gp")]
        if label != opts.baseline:
            references.append((opts.baseline, recorded(family, opts.baseline, opts.budget, OUT)))
        print_pairs(family, label, mine, {q.name: q.optimum for q in probs}, opts.budget,
                    references)


if __name__ == "__main__":
    main()
