"""Compiled sweep kernels (numba): payoffs, pure and mixed equilibria in one pass.

The numpy path of :mod:`policy.sweep` evaluates one operation at a time over a
chunk of points. This module instead generates, once per game, a small Python
module whose kernel evaluates every payoff expression at a grid point and checks
best responses without any large temporary array, then compiles it with numba
(cached on disk, so the compile cost is paid once per game and machine).

Source is generated only from our own sympy trees (already parsed by the safe
expression parser): symbols become ``x0, x1, …`` by position and numbers become
float literals, so no user text reaches the generated code.

The kernel gives, per point, an int64 *code* — bit ``k`` for pure profile
``k``, then one bit per candidate support pair of two-player support
enumeration, in the order of :func:`support_pairs` — and flag bits
(:data:`DOUBTFUL`, :data:`TIES`, :data:`NOT_FINITE`). The tests, the
tolerances and the flags are those of the numpy path, so both give the same
answers.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import itertools
import math
import os
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Sequence

import numpy as np
import sympy

try:  # numba is optional: without it every sweep uses the numpy path
    import numba
except ImportError:  # pragma: no cover - exercised only without numba
    numba = None

__all__ = ["DOUBTFUL", "TIES", "NOT_FINITE", "DEGENERATE", "MAX_CODE_BITS", "ENGINE_VARIABLE",
           "interrupt_after", "engine_choice", "ENGINES", "support_pairs", "indifference_groups", "compiled_kernel",
           "dense_labels", "expression_source", "first_appearances", "njit"]

#: Flag bits per point: send to the exact engine; tied best responses; a payoff is not
#: finite; the game is degenerate (integer kernels: solved exactly all the same).
DOUBTFUL, TIES, NOT_FINITE, DEGENERATE = 1, 2, 4, 8
#: Games whose pure profiles plus support pairs exceed this many bits use the numpy path.
MAX_CODE_BITS = 63
#: Environment variable forcing the engine: ``numba``, ``numpy`` or ``auto`` (the default).
ENGINE_VARIABLE = "POLICY_SWEEP_ENGINE"
#: Segments of a chunk handed to one thread.
SEGMENT = 4096


#: The sweep engines one can ask for (``policy sweep --engine``).
ENGINES = ("auto", "numba", "numpy")


def engine_choice(engine: str | None = None) -> str:
    """``numba``, ``numpy`` or ``auto``: ``engine`` if given, else from
    :data:`ENGINE_VARIABLE`; ``numpy`` without numba."""
    choice = (engine or os.environ.get(ENGINE_VARIABLE, "auto")).strip().lower() or "auto"
    if choice not in ENGINES:
        raise ValueError(f"{ENGINE_VARIABLE} must be auto, numba or numpy, not '{choice}'")
    return "numpy" if numba is None else choice


def support_pairs(m: int, n: int) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Equal-size support pairs (size >= 2) in the order the sweep enumerates them."""
    return [(rows, cols) for k in range(2, min(m, n) + 1)
            for rows in itertools.combinations(range(m), k)
            for cols in itertools.combinations(range(n), k)]


def indifference_groups(m: int, n: int) -> list[tuple[int, tuple[int, ...], tuple[int, ...]]]:
    """(side, own support, opponent group of size k+1) for the degeneracy test.

    Side 0: the row player's support against column strategies (payoffs ``Bᵀ``);
    side 1: the column player's support against row strategies (payoffs ``A``).
    """
    groups = []
    for side, (own, other) in enumerate(((m, n), (n, m))):
        for k in range(1, min(own, other - 1) + 1):
            for support in itertools.combinations(range(own), k):
                for group in itertools.combinations(range(other), k + 1):
                    groups.append((side, support, group))
    return groups


# --------------------------------------------------------------------------------------
# source generation from sympy trees
# --------------------------------------------------------------------------------------

_FUNCTIONS = {sympy.exp: "math.exp", sympy.log: "math.log"}


def expression_source(expr: sympy.Expr, variables: dict[sympy.Symbol, str]) -> str:
    """Python source of ``expr`` using ``math`` and the names in ``variables``.

    >>> s = sympy.Symbol("s", real=True)
    >>> expression_source(sympy.Max(2 * s, sympy.Rational(1, 2)) + sympy.sqrt(s), {s: "x0"})
    '(math.sqrt(x0) + max(0.5, (2.0 * x0)))'
    """
    if expr.is_number:
        try:
            value = float(expr)
        except TypeError:  # complex or undefined: not finite, as the numpy path sees it
            return "math.nan"
        return repr(value) if math.isfinite(value) else ("math.nan" if value != value
                                                         else ("-" if value < 0 else "") + "math.inf")
    if expr.is_Symbol:
        return variables[expr]
    arguments = [expression_source(a, variables) for a in expr.args]
    if expr.is_Add:
        return "(" + " + ".join(arguments) + ")"
    if expr.is_Mul:
        return "(" + " * ".join(arguments) + ")"
    if expr.is_Pow:
        exponent = expr.args[1]
        if exponent == sympy.Rational(1, 2):
            return f"math.sqrt({arguments[0]})"
        if exponent.is_Integer and exponent < 0:  # 1.0 / 0.0 is inf, as in numpy
            return f"(1.0 / ({arguments[0]} ** {-int(exponent)}))"
        if exponent.is_Integer:
            return f"({arguments[0]} ** {int(exponent)})"
        return f"({arguments[0]} ** {arguments[1]})"
    if isinstance(expr, (sympy.Min, sympy.Max)):
        name = "min" if isinstance(expr, sympy.Min) else "max"
        text = arguments[0]
        for argument in arguments[1:]:
            text = f"{name}({text}, {argument})"
        return text
    if isinstance(expr, sympy.Abs):
        return f"abs({arguments[0]})"
    if expr.func in _FUNCTIONS:
        return f"{_FUNCTIONS[expr.func]}({arguments[0]})"
    raise NotImplementedError(f"no compiled form for {expr.func.__name__}")


def _pure_lines(shape: tuple[int, ...]) -> list[str]:
    """Straight-line best-response checks: ``e{k}`` (profile k is an equilibrium), ``ties``."""
    n = len(shape)
    profiles = list(itertools.product(*(range(k) for k in shape)))
    position = {profile: k for k, profile in enumerate(profiles)}
    lines = [f"e{k} = True" for k in range(len(profiles))] + ["ties = False"]
    for player in range(n):
        for profile in profiles:
            if profile[player] != 0:
                continue
            line = [position[profile[:player] + (c,) + profile[player + 1:]] for c in range(shape[player])]
            payoff = [f"p{k * n + player}" for k in line]
            best = payoff[0]
            for other in payoff[1:]:
                best = f"max({best}, {other})"
            lines.append(f"b = {best} - tol")
            lines += [f"q{c} = {p} >= b" for c, p in enumerate(payoff)]
            lines.append("ties = ties | ((" + " + np.int64(0) + ".join(
                f"q{c}" for c in range(len(line))) + ") > 1)")
            lines += [f"e{k} = e{k} & q{c}" for c, k in enumerate(line)]
    lines.append("code = np.int64(0)" + "".join(f" | (np.int64(e{k}) << {k})"
                                                 for k in range(len(profiles))))
    return lines


_KERNEL = '''\
# generated by policy.sweep.float_kernel from a game's sympy payoff trees; do not edit
import math

import numba
import numpy as np

from policy.sweep.float_kernel import mixed_point


@numba.njit(cache=True, error_model="numpy", parallel=True, nogil=True)
def classify_pure(values, fixed, last, outer_shape, segment_start, segment_stop, first, codes, flags):
    for segment in numba.prange(len(segment_start)):
        start = segment_start[segment]
        row = start // last
        remaining = row
{outer}
        for flat in range(start, segment_stop[segment]):
            x{last_axis} = values[{last_axis}, flat - row * last]
{payoffs}
{pure}
            codes[flat - first] = code
            flags[flat - first] = flag
'''

_MIXED_KERNEL = '''

@numba.njit(cache=True, error_model="numpy", parallel=True, nogil=True)
def classify_mixed(values, fixed, last, outer_shape, segment_start, segment_stop, first, pairs, groups, codes,
                   flags):
    for segment in numba.prange(len(segment_start)):
        start = segment_start[segment]
        row = start // last
        remaining = row
{outer}
        A = np.empty(({m}, {n}))
        B = np.empty(({m}, {n}))
        work = np.empty((3, {w}, {w}))
        own_pairs = pairs.copy()  # per-thread copies: no shared reference counts
        own_groups = groups.copy()
        for flat in range(start, segment_stop[segment]):
            x{last_axis} = values[{last_axis}, flat - row * last]
{payoffs}
{pure}
{fill}
            extra, doubtful = mixed_point(A, B, tol, code, own_pairs, own_groups, work)
            codes[flat - first] = code | (extra << {profiles})
            flags[flat - first] = flag | (np.uint8(doubtful) * np.uint8({doubtful_bit}))
'''


def kernel_source(payoffs: Sequence[sympy.Expr], varied: Sequence[sympy.Symbol],
                  shape: tuple[int, ...], tolerance: float, fixed: Sequence[sympy.Symbol] = ()) -> str:
    """Source of the module with kernels ``classify_pure`` (and, for two players,
    ``classify_mixed``) for one game on a grid of the ``varied`` symbols.

    The ``fixed`` symbols are read from the kernels' ``fixed`` array at run time, so
    new values for them (``--set``) need no new compile.
    """
    variables = {symbol: f"x{k}" for k, symbol in enumerate(varied)}
    variables.update({symbol: f"f{k}" for k, symbol in enumerate(fixed)})
    d = len(varied)
    count = len(payoffs)
    outer = [f"f{k} = fixed[{k}]" for k in range(len(fixed))]
    for axis in range(d - 2, -1, -1):
        outer.append(f"i{axis} = remaining % outer_shape[{axis}]")
        outer.append(f"remaining = remaining // outer_shape[{axis}]")
        outer.append(f"x{axis} = values[{axis}, i{axis}]")
    body = [f"p{k} = {expression_source(expr, variables)}" for k, expr in enumerate(payoffs)]
    two = len(shape) == 2
    m, n = (shape if two else (1, 1))
    fill = [f"A[{r}, {c}] = p{(r * n + c) * 2}\nB[{r}, {c}] = p{(r * n + c) * 2 + 1}"
            for r in range(m) for c in range(n)] if two else ["pass"]
    pure = _pure_lines(shape) + [
        f"bad = {' | '.join(f'(p{k} - p{k} != 0.0)' for k in range(count))}",
        "flag = (np.uint8(ties) * np.uint8(%d)) | (np.uint8(bad) * np.uint8(%d))" % (TIES | DOUBTFUL, NOT_FINITE)]
    scale = ", ".join(f"abs(p{k})" for k in range(count))
    fields = dict(
        outer="\n".join(" " * 8 + line for line in outer) or " " * 8 + "pass",
        last_axis=d - 1, m=m, n=n, w=max(m, n) + 2,
        payoffs="\n".join(" " * 12 + line for line in body + [f"tol = {tolerance!r} * max(1.0, {scale})"]),
        pure="\n".join(" " * 12 + line for line in pure),
        doubtful_bit=DOUBTFUL,
        fill="\n".join(" " * 12 + line for text in fill for line in text.split("\n")),
        profiles=math.prod(shape))
    return _KERNEL.format(**fields) + (_MIXED_KERNEL.format(**fields) if two else "")


@contextlib.contextmanager
def interrupt_after():
    """Hold Ctrl-C until the block ends, then raise KeyboardInterrupt.

    numba compiles a kernel on its first call; a KeyboardInterrupt raised inside
    llvmlite's callbacks is swallowed and leaves numba's compiler broken (it then
    raises RuntimeError). Kernel calls are short (one chunk), so deferring is cheap.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _cache_folder() -> Path:
    """Where generated kernel modules (and numba's cache beside them) are kept."""
    configured = os.environ.get("POLICY_KERNEL_CACHE")
    candidates = [Path(configured)] if configured else []
    candidates += [Path.home() / ".cache" / "policy" / "kernels",
                   Path(tempfile.gettempdir()) / f"policy-kernels-{os.getuid() if hasattr(os, 'getuid') else 0}"]
    for folder in candidates:
        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not _private(folder):
                continue  # another user could plant code there
            probe = folder / f".probe{os.getpid()}"
            probe.write_text("")
            probe.unlink()
            return folder
        except OSError:
            continue
    raise OSError("no writable folder for compiled kernels; set POLICY_KERNEL_CACHE")


def _private(folder: Path) -> bool:
    """Owned by this user and writable by nobody else (a shared temp folder is not)."""
    if not hasattr(os, "getuid"):
        return True
    status = folder.stat()
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


_LOADED: dict[str, object] = {}


def compiled_kernel(source: str):
    """The module with this source (written once to disk, so numba can cache it)."""
    helpers = Path(__file__).read_bytes()
    key = hashlib.sha256(source.encode() + helpers + numba.__version__.encode()).hexdigest()[:20]
    if key not in _LOADED:
        name = f"policy_kernel_{key}"
        path = _cache_folder() / f"{name}.py"
        if not path.exists() or path.read_text() != source:  # never import what we did not write
            partial = path.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(source)
            os.replace(partial, path)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _LOADED[key] = module
    return _LOADED[key]


# --------------------------------------------------------------------------------------
# static kernels (compiled into every generated kernel)
# --------------------------------------------------------------------------------------

def njit(*, entry: bool = False, **options):
    """Decorator: ``numba.njit`` cached on disk and without the GIL, with ``options``
    (the plain Python function when numba is missing).

    ``entry=True`` for kernels called from Python (not from other kernels): each call
    holds Ctrl-C until it returns (:func:`interrupt_after`), since the first call
    compiles the kernel.
    """
    def wrap(function):
        compiled = numba.njit(cache=True, nogil=True, **options)(function) if numba else function
        if not entry:
            return compiled

        @functools.wraps(function)
        def call(*args):
            with interrupt_after():
                return compiled(*args)
        return call
    return wrap


_njit = njit(error_model="numpy")


@_njit
def solve_small(system, rhs, solution):
    """Gaussian elimination with partial pivoting (overwrites ``system`` and ``rhs``).

    Returns False when the system counts as nearly singular: |det| at most 1e-10
    times Hadamard's bound (product of row norms), the numpy path's test.
    """
    size = system.shape[0]
    hadamard = 1.0
    for i in range(size):
        norm = 0.0
        for j in range(size):
            norm += system[i, j] * system[i, j]
        hadamard *= math.sqrt(norm)
    determinant = 1.0
    for column in range(size):
        pivot = column
        for i in range(column + 1, size):
            if abs(system[i, column]) > abs(system[pivot, column]):
                pivot = i
        if pivot != column:
            determinant = -determinant
            for j in range(size):
                system[column, j], system[pivot, j] = system[pivot, j], system[column, j]
            rhs[column], rhs[pivot] = rhs[pivot], rhs[column]
        determinant *= system[column, column]
        if system[column, column] == 0.0:
            return False
        for i in range(column + 1, size):
            factor = system[i, column] / system[column, column]
            for j in range(column, size):
                system[i, j] -= factor * system[column, j]
            rhs[i] -= factor * rhs[column]
    if not math.isfinite(determinant) or abs(determinant) <= 1e-10 * max(hadamard, 1e-300):
        return False
    for i in range(size - 1, -1, -1):
        total = rhs[i]
        for j in range(i + 1, size):
            total -= system[i, j] * solution[j]
        solution[i] = total / system[i, i]
    return True


@_njit
def _indifferent_mix(payoff, rows, cols, size, transpose, solution, work):
    """Mix over ``cols`` making the ``rows`` of ``payoff`` (or of its transpose) equal."""
    system = work[0, :size + 1, :size + 1]
    rhs = work[2, 0, :size + 1]
    system[:] = 0.0
    rhs[:] = 0.0
    for a in range(size):
        for b in range(size):
            system[a, b] = payoff[cols[b], rows[a]] if transpose else payoff[rows[a], cols[b]]
        system[a, size] = -1.0
        system[size, a] = 1.0
    rhs[size] = 1.0
    return solve_small(system, rhs, solution)


@_njit
def _pair(A, B, tol, rows, cols, size, work):
    """One support pair: (equilibrium found, possibly degenerate)."""
    m, n = A.shape
    y = work[2, 1, :size + 1]
    x = work[2, 2, :size + 1]
    if not _indifferent_mix(A, rows, cols, size, False, y, work):
        return False, True
    if not _indifferent_mix(B, cols, rows, size, True, x, work):
        return False, True
    positive = True
    plausible = True
    near_zero = False
    for a in range(size):
        positive = positive and x[a] > tol and y[a] > tol
        plausible = plausible and x[a] > -tol and y[a] > -tol
        near_zero = near_zero or abs(x[a]) <= tol or abs(y[a]) <= tol
    best_ok = True
    tie_outside = False
    for i in range(m):
        inside = False
        for a in range(size):
            inside = inside or rows[a] == i
        if inside:
            continue
        value = 0.0
        for a in range(size):
            value += A[i, cols[a]] * y[a]
        gap = y[size] - value
        best_ok = best_ok and gap > -tol
        tie_outside = tie_outside or abs(gap) <= tol
    for j in range(n):
        inside = False
        for a in range(size):
            inside = inside or cols[a] == j
        if inside:
            continue
        value = 0.0
        for a in range(size):
            value += B[rows[a], j] * x[a]
        gap = x[size] - value
        best_ok = best_ok and gap > -tol
        tie_outside = tie_outside or abs(gap) <= tol
    return positive and best_ok, (near_zero or tie_outside) and plausible and best_ok


@_njit
def _extra_indifference(A, B, tol, side, support, group, size, work):
    """Whether a mix over ``support`` (size k) makes the k+1 opponent strategies in
    ``group`` indifferent: least squares on the normal equations, as the numpy path."""
    k = size
    if k == 1:  # a residual <= 10·tol needs the two payoffs within 20·tol/(1 - 10·tol)
        first = B[support[0], group[0]] if side == 0 else A[group[0], support[0]]
        second = B[support[0], group[1]] if side == 0 else A[group[1], support[0]]
        if abs(first - second) > 21.0 * tol:
            return False
    system = work[0, :k + 2, :k + 1]
    system[:] = 0.0
    for a in range(k + 1):
        for b in range(k):
            system[a, b] = B[support[b], group[a]] if side == 0 else A[group[a], support[b]]
        system[a, k] = -1.0
    for b in range(k):
        system[k + 1, b] = 1.0
    normal = work[1, :k + 1, :k + 1]
    for a in range(k + 1):
        for b in range(k + 1):
            total = 0.0
            for c in range(k + 2):
                total += system[c, a] * system[c, b]
            normal[a, b] = total
    rhs = work[2, 0, :k + 1]
    for b in range(k + 1):
        rhs[b] = system[k + 1, b]
    solution = work[2, 1, :k + 1]
    if not solve_small(normal, rhs, solution):
        return True
    residual = 0.0
    for a in range(k + 2):
        value = 0.0
        for b in range(k + 1):
            value += system[a, b] * solution[b]
        target = 1.0 if a == k + 1 else 0.0
        residual = max(residual, abs(value - target))
    if not residual <= tol * 10:
        return False
    for b in range(k):
        if solution[b] < -tol:
            return False
    return True


@_njit
def mixed_point(A, B, tol, pure_code, pairs, groups, work):
    """Support enumeration at one point: (bits of the pairs that are equilibria, doubtful).

    ``pairs`` rows: size, rows…, cols… (padded); ``groups`` rows: side, size, support…, group…;
    ``work``: scratch of shape (3, w, w) with w >= max(m, n) + 2.
    """
    found = np.int64(0)
    doubtful = False
    count = 0
    for k in range(len(pairs)):
        size = pairs[k, 0]
        hit, doubt = _pair(A, B, tol, pairs[k, 1:1 + size], pairs[k, 1 + size:1 + 2 * size], size, work)
        if hit:
            found |= np.int64(1) << k
            count += 1
        doubtful = doubtful or doubt
    for k in range(len(groups)):
        size = groups[k, 1]
        if not doubtful:
            doubtful = _extra_indifference(A, B, tol, groups[k, 0], groups[k, 2:2 + size],
                                           groups[k, 2 + size:3 + 2 * size], size, work)
    code = pure_code
    while code:
        count += 1
        code &= code - 1
    return found, doubtful or count % 2 == 0


def pair_table(m: int, n: int) -> np.ndarray:
    """:func:`support_pairs` as int64 rows: size, rows…, cols… (zero padded)."""
    pairs = support_pairs(m, n)
    table = np.zeros((max(len(pairs), 1), 1 + 2 * min(m, n)), dtype=np.int64)
    for k, (rows, cols) in enumerate(pairs):
        table[k, :1 + 2 * len(rows)] = (len(rows),) + rows + cols
    return table[:len(pairs)]


def group_table(m: int, n: int) -> np.ndarray:
    """:func:`indifference_groups` as int64 rows: side, k, support…, group… (zero padded)."""
    groups = indifference_groups(m, n)
    width = 3 + 2 * max(m, n)
    table = np.zeros((len(groups), width), dtype=np.int64)
    for k, (side, support, group) in enumerate(groups):
        table[k, :3 + 2 * len(support)] = (side, len(support)) + support + group
    return table


@_njit
def _same(a, b):
    for w in range(len(a)):
        if a[w] != b[w]:
            return False
    return True


@_njit
def _dense_block(codes, start, stop, inverse, table):
    """Codes of points [start, stop) → 0, 1, … in order of first appearance (written to
    ``inverse``); returns the number of distinct codes, or -1 if ``table`` is too small."""
    used = 0
    last_index = -1
    single = codes.shape[1] == 1
    for k in range(start, stop):
        if k > start and (codes[k, 0] == codes[k - 1, 0] if single else _same(codes[k], codes[k - 1])):
            inverse[k] = last_index
            continue
        last_index = -1
        for t in range(used):
            if _same(table[t], codes[k]):
                last_index = t
                break
        if last_index < 0:
            if used == len(table):
                return -1
            table[used] = codes[k]
            last_index = used
            used += 1
        inverse[k] = last_index
    return used


@njit(parallel=True, entry=True)
def _dense_labels(codes, inverse, tables, used, bounds):
    """:func:`_dense_block` on each block [bounds[b], bounds[b + 1]) in parallel."""
    for b in numba.prange(len(used)):
        used[b] = _dense_block(codes, bounds[b], bounds[b + 1], inverse, tables[b])


@njit(parallel=True, entry=True)
def _renumber(inverse, bounds, offsets, remap):
    for b in numba.prange(len(bounds) - 1):
        for k in range(bounds[b], bounds[b + 1]):
            inverse[k] = remap[offsets[b] + inverse[k]]


def dense_labels(codes: np.ndarray, blocks: int = 64,
                 out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Distinct codes (rows of ``codes``, in order of first appearance) and each point's
    index into them: blocks of points are numbered in parallel, then merged in order.
    The indices are written into ``out`` (int32, one per code) when it is given.

    >>> distinct, inverse = dense_labels(np.array([[5], [5], [2], [5]]))
    >>> distinct.tolist(), inverse.tolist()
    ([[5], [2]], [0, 0, 1, 0])
    """
    count = len(codes)
    bounds = np.linspace(0, count, min(blocks, max(count, 1)) + 1).astype(np.int64)
    inverse = np.empty(count, dtype=np.int32) if out is None else out
    capacity = 64
    while True:
        tables = np.empty((len(bounds) - 1, capacity, codes.shape[1]), dtype=np.int64)
        used = np.empty(len(bounds) - 1, dtype=np.int64)
        _dense_labels(codes, inverse, tables, used, bounds)
        if (used >= 0).all():
            break
        capacity *= 8
    distinct: dict[bytes, int] = {}
    remap = np.empty(int(used.sum()), dtype=np.int32)
    offsets = np.concatenate([[0], np.cumsum(used)[:-1]]).astype(np.int64)
    rows = []
    for b, count_b in enumerate(used):
        for t in range(count_b):
            key = tables[b, t].tobytes()
            if key not in distinct:
                distinct[key] = len(rows)
                rows.append(tables[b, t])
            remap[offsets[b] + t] = distinct[key]
    if len(bounds) > 2:   # each block numbered its codes from 0
        _renumber(inverse, bounds, offsets, remap)
    return np.array(rows, dtype=np.int64).reshape(len(rows), codes.shape[1]), inverse


@njit(error_model="numpy", entry=True)
def _first_appearances(labels, count, order):
    seen = np.zeros(count, dtype=np.bool_)
    found = 0
    for k in range(len(labels)):
        if not seen[labels[k]]:
            seen[labels[k]] = True
            order[found] = labels[k]
            found += 1
            if found == count:
                break
    return found


def first_appearances(labels: np.ndarray, count: int) -> np.ndarray:
    """The distinct values of ``labels`` (each in ``range(count)``) in order of first
    appearance; the scan stops once all ``count`` have been seen.

    >>> first_appearances(np.array([2, 2, 0, 2]), 3).tolist()
    [2, 0]
    """
    if numba is None:
        values, first = np.unique(labels, return_index=True)
        return values[np.argsort(first)].astype(np.int64)
    order = np.empty(count, dtype=np.int64)
    return order[:_first_appearances(labels, count, order)]


def segments(start: int, stop: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Split flat indices [start, stop) into pieces within one grid row and <= SEGMENT long."""
    cuts = np.union1d(np.arange(start, stop, SEGMENT),
                      np.arange((start // last + 1) * last, stop, last))
    cuts = np.union1d(cuts, [start])
    return cuts.astype(np.int64), np.append(cuts[1:], stop).astype(np.int64)
