"""The compiled engines' inputs and outputs: which kernel a game gets, the arrays it is
called with, and its per-point codes decoded back into equilibrium supports.

The kernels themselves are :mod:`.integer_kernel` (exact, int64) and
:mod:`.float_kernel` (floats, generated per game); both need numba. This module sits
between them and :mod:`.classify`, which turns the decoded supports into labels.

Examples
--------
>>> decode_float(0b1001, (2, 2), two_player_mixed=False)
[((0,), (0,)), ((1,), (1,))]
>>> decode_integer(np.array([0b10]), (2, 2), two_player_mixed=False)
[((0,), (1,))]
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Mapping, Sequence

import numpy as np
import sympy

from ..symbolic import SymbolicGame
from . import float_kernel, integer_kernel
from .grid import GridAxis, bound_payoffs
from .numpy_engine import SWEEP_TOLERANCE

__all__ = ["KERNEL_CHUNK", "KERNEL_MIN_POINTS", "use_kernel", "float_kernel_module", "integer_payoffs",
           "float_codes", "integer_codes", "decode_float", "decode_integer"]

#: Points per chunk for the compiled kernel (13 bytes each, plus the int32 grid).
KERNEL_CHUNK = 4_000_000
#: Smallest chunk given to the compiled kernel when the engine is ``auto``.
KERNEL_MIN_POINTS = 20_000


def use_kernel(points: int, engine: str | None = None) -> bool:
    """Compiled kernel for this many points? ``engine`` (default: ``POLICY_SWEEP_ENGINE``)
    ``auto``: numba when importable, from :data:`KERNEL_MIN_POINTS` points on (below,
    JIT loading costs more than it saves)."""
    choice = float_kernel.engine_choice(engine)
    return choice == "numba" or (choice == "auto" and points >= KERNEL_MIN_POINTS)


@functools.lru_cache(maxsize=32)
def float_kernel_module(game: SymbolicGame, names: tuple[str, ...]):
    """The compiled float kernel module for this game and varied symbols, or None (numpy
    path); the other symbols' values are given to it at run time (:func:`_fixed_values`)."""
    shape = game.shape
    bits = math.prod(shape) + (len(float_kernel.support_pairs(*shape)) if len(shape) == 2 else 0)
    if bits > float_kernel.MAX_CODE_BITS:
        return None
    try:
        source = float_kernel.kernel_source([expr for row in game.spec.payoffs for expr in row],
                                            [game.symbols[name] for name in names], shape, SWEEP_TOLERANCE,
                                            [game.symbols[name] for name in _fixed_names(game, names)])
    except NotImplementedError:
        return None
    return float_kernel.compiled_kernel(source)


def _fixed_names(game: SymbolicGame, names: Sequence[str]) -> list[str]:
    """The symbols that are not varied, in declaration order."""
    return [name for name in game.symbols if name not in names]


def _fixed_values(game: SymbolicGame, names: Sequence[str], current: Mapping[str, sympy.Expr]) -> np.ndarray:
    """Float values of the symbols that are not varied (nan where a value is not real)."""
    values = []
    for name in _fixed_names(game, names):
        try:
            values.append(float(current[name]))
        except TypeError:
            values.append(math.nan)
    return np.array(values or [0.0])


@functools.lru_cache(maxsize=32)
def integer_payoffs(game: SymbolicGame, names: tuple[str, ...], current: tuple[tuple[str, sympy.Expr], ...],
                    axes: tuple[GridAxis, ...], two_player_mixed: bool):
    """The game's payoffs as integer polynomials of the grid indices, or None
    (see :func:`policy.sweep.integer_kernel.integer_form`)."""
    if float_kernel.numba is None:
        return None
    return integer_kernel.integer_form(
        bound_payoffs(game, names, dict(current)), [game.symbols[name] for name in names], game.shape,
        [(a.start, a.stop, a.points) for a in axes], mixed=two_player_mixed)


def _outer_and_segments(axes: Sequence[GridAxis], start: int, stop: int):
    outer = np.array([a.points for a in axes[:-1]] or [1], dtype=np.int64)
    return (outer, *float_kernel.segments(start, stop, axes[-1].points))


def float_codes(module, game: SymbolicGame, names: Sequence[str], current: Mapping[str, sympy.Expr],
                axes: Sequence[GridAxis], start: int, stop: int,
                two_player_mixed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64, one per point) and flags of flat grid points [start, stop) by the
    float kernel ``module`` (see :mod:`.float_kernel` for their bits)."""
    bound_payoffs(game, names, current)   # every symbol has a value
    fixed = _fixed_values(game, names, current)
    values = np.zeros((len(axes), max(a.points for a in axes)))
    for k, axis in enumerate(axes):
        values[k, :axis.points] = axis.values()
    outer, segment_start, segment_stop = _outer_and_segments(axes, start, stop)
    codes = np.empty(stop - start, dtype=np.int64)
    flags = np.empty(stop - start, dtype=np.uint8)
    with float_kernel.interrupt_after():  # numba's compiler must not see a KeyboardInterrupt
        if two_player_mixed:
            m, n = game.shape
            module.classify_mixed(values, fixed, axes[-1].points, outer, segment_start, segment_stop,
                                  start, float_kernel.pair_table(m, n), float_kernel.group_table(m, n),
                                  codes, flags)
        else:
            module.classify_pure(values, fixed, axes[-1].points, outer, segment_start, segment_stop,
                                 start, codes, flags)
    return codes, flags


def integer_codes(form: integer_kernel.IntegerPayoffs, shape: tuple[int, ...], axes: Sequence[GridAxis],
                  start: int, stop: int, two_player_mixed: bool) -> tuple[np.ndarray, np.ndarray]:
    """Codes (``form.words`` int64 words per point) and flags of flat grid points
    [start, stop), every one decided exactly by the integer kernels."""
    outer, segment_start, segment_stop = _outer_and_segments(axes, start, stop)
    codes = np.empty((stop - start, form.words), dtype=np.int64)
    flags = np.empty(stop - start, dtype=np.uint8)
    lines, line_payoffs = integer_kernel.line_table(shape)
    if two_player_mixed:
        m, n = shape
        integer_kernel.vertex_codes(
            form.coefficients, form.exponents, outer, axes[-1].points, segment_start,
            segment_stop, start, m, n, lines, line_payoffs, integer_kernel.vertex_bases(m, n),
            integer_kernel.vertex_bases(n, m), codes, flags)
    else:
        integer_kernel.pure_codes(
            form.coefficients, form.exponents, outer, axes[-1].points, segment_start,
            segment_stop, start, math.prod(shape), lines, line_payoffs, codes, flags)
    return codes, flags


def _pure_supports(shape: tuple[int, ...]) -> list[tuple[tuple[int, ...], ...]]:
    return [tuple((s,) for s in profile) for profile in itertools.product(*(range(k) for k in shape))]


def decode_integer(code: np.ndarray, shape: tuple[int, ...],
                   two_player_mixed: bool) -> list[tuple[tuple[int, ...], ...]]:
    """Equilibrium supports from an integer kernel's code (one or more int64 words)."""
    bits = [64 * w + b for w, word in enumerate(code.tolist()) for b in range(64)
            if int(word) >> b & 1]
    if two_player_mixed:
        return [integer_kernel.support_pair(bit, shape[1]) for bit in bits]
    profiles = _pure_supports(shape)
    return [profiles[bit] for bit in bits]


def decode_float(code: int, shape: tuple[int, ...],
                 two_player_mixed: bool) -> list[tuple[tuple[int, ...], ...]]:
    """Equilibrium supports from a float kernel code (pure profiles, then support pairs)."""
    candidates = _pure_supports(shape)
    if two_player_mixed:
        candidates += float_kernel.support_pairs(*shape)
    return [support for k, support in enumerate(candidates) if code >> k & 1]
