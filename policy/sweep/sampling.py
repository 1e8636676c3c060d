"""Uncertainty (:func:`uncertainty`): how often each equilibrium set occurs when the
parameters that declare a distribution (``dist:``) are drawn at random, with a Wilson
interval per share.

The draws come from :func:`policy.optimize.sample_scenarios` (seeded, so a run is
reproducible) and are classified like grid points (:class:`~.classify.Classifier`,
numpy engine, doubtful draws solved exactly).

Examples
--------
>>> import policy
>>> result = uncertainty(policy.load("platform_entry"), 200, seed=1)
>>> sum(region.points for region, low, high in result.regions)
200
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import numpy as np

from ..errors import ModelError
from ..limits import exceeded, limit
from ..symbolic import SymbolicGame
from .classify import Classifier
from .grid import CHUNK, Region

__all__ = ["UncertaintyResult", "uncertainty", "wilson_interval"]


@dataclass(frozen=True)
class UncertaintyResult:
    """How often each equilibrium set occurs when parameters are drawn at random."""

    game: str
    samples: int
    seed: int
    parameters: tuple[str, ...]
    distributions: dict[str, str]
    regions: tuple[tuple[Region, float, float], ...]   # region, 95% interval low, high
    exact_points: int
    mixed_computed: bool
    seconds: float = field(compare=False, default=0.0)


def wilson_interval(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default).

    >>> tuple(round(v, 4) for v in wilson_interval(50, 100))
    (0.4038, 0.5962)
    """
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def uncertainty(game: SymbolicGame, samples: int, seed: int = 0,
                values: Mapping[str, object] | None = None, *, mixed: bool = True,
                chunk: int = CHUNK) -> UncertaintyResult:
    """Draw the parameters that declare a ``dist:`` and classify each draw's equilibria."""
    from ..optimize import sample_scenarios

    started = time.perf_counter()
    if samples < 1:
        raise ModelError("--samples must be at least 1")
    if samples > limit("samples"):
        raise ModelError(f"--samples {samples} is too many; at most {limit('samples')} are "
                         f"allowed ({exceeded('samples')})")
    current = game.values_with({k: v for k, v in (values or {}).items()})
    uncertain = [p for p in game.spec.parameters if p.distribution is not None]
    draws = sample_scenarios(game, samples, seed, current)
    names = [p.name for p in uncertain]
    classifier = Classifier(game, names, current, mixed)
    labels = np.empty(samples, dtype=np.int32)
    for start in range(0, samples, chunk):
        block = draws[start:start + chunk]
        columns = [np.array([float(d[n]) for d in block]) for n in names]
        labels[start:start + len(block)] = classifier.classify(
            columns, lambda k, block=block: {n: Fraction(float(block[k][n])) for n in names})
    counts = np.bincount(labels, minlength=len(classifier.labels.supports))
    regions = []
    for label, supports, count in zip(classifier.labels.index, classifier.labels.supports, counts):
        if count:
            low, high = wilson_interval(int(count), samples)
            regions.append((Region(label, supports, int(count)), low, high))
    regions.sort(key=lambda item: (-item[0].points, item[0].label))
    return UncertaintyResult(game.name, samples, seed, tuple(names),
                             {p.name: str(p.distribution) for p in uncertain}, tuple(regions),
                             classifier.exact, classifier.two, time.perf_counter() - started)
