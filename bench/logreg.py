"""A small L2 logistic regression on sparse features, fitted by L-BFGS in pure Python.

Enough for the classifier's models (a few thousand records, tens of thousands of features) and
keeps the fitting scripts free of numpy / scikit-learn. Each row is the list of the indices of
its binary features that are present, with, optionally, ``(feature index, value)`` pairs for
real-valued ones. The objective is the
class-balanced mean log-loss plus ``l2 / 2 * |w|^2`` (the bias is not penalised), so ``l2``
plays the part of ``1 / (C * n)`` in scikit-learn's terms.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Row = Sequence[int]
Reals = Sequence[tuple[int, float]]


@dataclass(frozen=True)
class Fitted:
    weights: list[float]
    bias: float

    def score(self, row: Row, reals: Reals = ()) -> float:
        w = self.weights
        return self.bias + sum(map(w.__getitem__, row)) + sum(w[i] * v for i, v in reals)


def _log1p_exp(z: float) -> float:
    return z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def balanced_weights(labels: Sequence[bool]) -> list[float]:
    """Per-row weights that give both classes the same total (scikit-learn's "balanced")."""
    positives = sum(labels)
    negatives = len(labels) - positives
    up = len(labels) / (2 * positives) if positives else 0.0
    down = len(labels) / (2 * negatives) if negatives else 0.0
    return [up if y else down for y in labels]


def fit(
    rows: Sequence[Row],
    labels: Sequence[bool],
    n_features: int,
    l2: float,
    *,
    reals: Sequence[Reals] | None = None,
    row_weights: Sequence[float] | None = None,
    iterations: int = 300,
    memory: int = 10,
    tolerance: float = 1e-6,
    start: Fitted | None = None,
) -> Fitted:
    """Minimise the weighted mean log-loss + ``l2 / 2 * |w|^2`` by L-BFGS, from ``start``
    (a fit of the same features, which makes refits on a subset of the rows quick) or 0."""
    n = len(rows)
    weights = list(row_weights) if row_weights is not None else balanced_weights(labels)
    total = sum(weights)
    c = [w / total for w in weights]
    y = [1.0 if label else 0.0 for label in labels]
    dim = n_features + 1  # the last coordinate is the bias

    # Each binary feature's rows, so that the gradient is one sum per feature.
    columns: list[list[int]] = [[] for _ in range(n_features)]
    for k, row in enumerate(rows):
        for i in row:
            columns[i].append(k)
    real_rows = reals if reals is not None else [()] * n

    def objective(x: list[float]) -> tuple[float, list[float]]:
        bias = x[-1]
        get = x.__getitem__
        loss = 0.5 * l2 * sum(v * v for v in x[:-1])
        errors = [0.0] * n
        for k in range(n):
            real = real_rows[k]
            z = bias + sum(map(get, rows[k])) + sum(x[i] * v for i, v in real)
            # log-loss of label y at logit z: log(1 + e^z) - y z
            loss += c[k] * (_log1p_exp(z) - y[k] * z)
            errors[k] = c[k] * (_sigmoid(z) - y[k])
        error_of = errors.__getitem__
        grad = [l2 * v + sum(map(error_of, column)) for v, column in zip(x, columns, strict=False)]
        grad.append(sum(errors))
        for k in range(n):
            for i, v in real_rows[k]:
                grad[i] += errors[k] * v
        return loss, grad

    x = [*start.weights, start.bias] if start is not None else [0.0] * dim
    f, g = objective(x)
    history: list[tuple[list[float], list[float], float]] = []
    for _ in range(iterations):
        # two-loop recursion: direction = -H g
        q = list(g)
        alphas = []
        for s, t, rho in reversed(history):
            a = rho * sum(si * qi for si, qi in zip(s, q, strict=True))
            alphas.append(a)
            q = [qi - a * ti for qi, ti in zip(q, t, strict=True)]
        if history:
            s, t, _ = history[-1]
            gamma = sum(si * ti for si, ti in zip(s, t, strict=True)) / sum(ti * ti for ti in t)
        else:
            gamma = 1.0 / max(math.sqrt(sum(gi * gi for gi in g)), 1e-12)
        r = [gamma * qi for qi in q]
        for (s, t, rho), a in zip(history, reversed(alphas), strict=True):
            b = rho * sum(ti * ri for ti, ri in zip(t, r, strict=True))
            r = [ri + (a - b) * si for ri, si in zip(r, s, strict=True)]
        direction = [-ri for ri in r]
        slope = sum(gi * di for gi, di in zip(g, direction, strict=True))
        if slope >= 0:  # not a descent direction: restart from the gradient
            history.clear()
            direction = [-gi for gi in g]
            slope = -sum(gi * gi for gi in g)
        step = 1.0
        while True:
            candidate = [xi + step * di for xi, di in zip(x, direction, strict=True)]
            f_new, g_new = objective(candidate)
            if f_new <= f + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s = [a - b for a, b in zip(candidate, x, strict=True)]
        t = [a - b for a, b in zip(g_new, g, strict=True)]
        st = sum(si * ti for si, ti in zip(s, t, strict=True))
        if st > 1e-12:
            history.append((s, t, 1.0 / st))
            if len(history) > memory:
                history.pop(0)
        converged = abs(f - f_new) <= tolerance * max(abs(f_new), 1.0)
        x, f, g = candidate, f_new, g_new
        if converged:
            break
    return Fitted(weights=x[:-1], bias=x[-1])
