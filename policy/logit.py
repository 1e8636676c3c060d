"""The principal branch of the logit quantal-response correspondence, traced from
uniform play (λ = 0) to a Nash equilibrium (λ → ∞), for any number of players.

Stage 5 of the data flow (next to :mod:`policy.best_response`): a
:class:`~policy.numeric.NumericGame` → a :class:`LogitPath` (the branch as data) →
:func:`logit_limit` (its end, certified by :mod:`policy.certify`). It imports no
equilibrium engine: :mod:`policy.equilibria` calls it for games too large to
enumerate, and equilibrium selection uses the path itself.

Notation
--------
Player ``i`` has strategies ``j = 0 … k_i - 1`` and plays them with probabilities
``p_ij = exp(y_ij)``; ``v_ij(p)`` is ``i``'s expected payoff from ``j`` against the
others' strategies, with every payoff divided by the game's payoff scale ``s`` (the
largest ``max - min`` of one player's payoffs), so that ``λ`` means the same on
games of any scale (``λ / s`` is the precision on the game's own payoffs). A logit
quantal-response equilibrium (McKelvey & Palfrey 1995) at ``λ`` is a profile with
``p_ij ∝ exp(λ v_ij(p))``: the zeros of ``H(y, λ)``, whose equations are, for each
player ``i``,

- ``(y_ij - y_i0 - λ (v_ij - v_i0)) / (1 + λ) = 0`` for ``j ≥ 1``, and
- ``Σ_j exp(y_ij) - 1 = 0``.

At ``λ = 0`` the only zero is uniform play; the *principal branch* is the curve of
zeros through it. It is followed by predictor–corrector continuation in arc length
over ``(y, λ)`` (Allgower & Georg, *Numerical Continuation Methods*, ch. 2): an Euler
step along the tangent, Newton's method back onto the curve orthogonally to it, the
step doubled when Newton converges fast and halved when it does not (or when the
tangent turns too much). The tangent is oriented by the previous one, not by
``λ``, so the branch is followed through turning points, where ``λ`` decreases;
the sign of ``det [H'; tangent]`` flips at a simple bifurcation (another branch
crossing), which the path keeps going through and records.
Log-probabilities keep strategies that die out (``p → 0``) well scaled, and the
division by ``1 + λ`` makes the equations the indifference conditions in the limit.
The work is bounded by the number of steps (``POLICY_LIMIT_LOGIT_STEPS``), never by
time; the same game always gives the same path.

Examples
--------
Matching pennies: the branch stays at uniform play, the unique equilibrium.

>>> pennies = NumericGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> path = logit_path(pennies)
>>> path.status, [round(p, 6) for p in path.end[0]]
('converged', [0.5, 0.5])

The stag hunt (10,10), (1,8), (8,1), (5,5): the branch selects (hare, hare), and
its end is certified exactly.

>>> stag = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]])
>>> limit = logit_limit(stag)
>>> limit.equilibrium.exact
((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1)))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .certify import Certification, CertifiedEquilibrium, try_certify
from .limits import exceeded, limit
from .numeric import NumericGame

__all__ = ["LogitPath", "LogitLimit", "logit_path", "logit_limit", "payoff_range",
           "CONVERGED", "STEP_LIMIT", "STEP_TOO_SMALL", "LAMBDA_LIMIT", "STATUSES"]

#: The path ended at a profile whose regret is at most the tolerance.
CONVERGED = "converged"
#: ``POLICY_LIMIT_LOGIT_STEPS`` steps were taken before the end.
STEP_LIMIT = "step limit reached"
#: Newton's method failed even with the smallest step (a singular point of the branch).
STEP_TOO_SMALL = "step size below the minimum"
#: ``λ`` passed its maximum with a regret still above the tolerance.
LAMBDA_LIMIT = "lambda limit reached"
STATUSES = (CONVERGED, STEP_LIMIT, STEP_TOO_SMALL, LAMBDA_LIMIT)

_FIRST_STEP = 0.1
_MIN_STEP = 1e-9
_MAX_GROWTH = 2.0
_MIN_TANGENT_COSINE = 0.9      # reject steps that turn the tangent by more than ~25°
_CORRECTOR_ITERATIONS = 8
_RESIDUAL = 1e-11
_NOISE = 1e-8
#: The certified limit may differ from the path's last point by this much in each
#: probability (weakly dominated strategies vanish only like 1 / λ).
_LIMIT_DISTANCE = 1e-3


@dataclass(frozen=True, eq=False)
class LogitPath:
    """The principal branch as data: one row per accepted point.

    Attributes
    ----------
    lambdas : float ndarray, shape (points,)
        ``λ`` at each point, in units of 1 / :attr:`payoff_scale` (0 first).
    profiles : tuple of float ndarrays, one per player, shape (points, k_i)
        Each player's probabilities at each point.
    status : str
        One of :data:`STATUSES`: why the tracing stopped.
    steps : int
        Predictor–corrector steps taken, rejected ones included (the work done).
    regret : float
        The largest regret at the last point, in units of the payoff scale.
    payoff_scale : float
        ``s``: the largest ``max - min`` of one player's payoffs (1 if all are equal).
    bifurcations : tuple of float
        ``λ`` (normalised) midway between the two points around each simple
        bifurcation the branch crossed: where the orientation of the branch (the sign
        of ``det [H'; tangent]``) flips. There another branch of the correspondence
        crosses this one; the path keeps the direction it came in (no jump), but the
        limit past such a point is not the unique continuation. A symmetric game
        often has one (McKelvey & McLennan's 2×2×2 game, at λ ≈ 0.6 / s).
    message : str
        The status in a sentence, with the limit to raise when one was reached.
    """

    lambdas: np.ndarray
    profiles: tuple[np.ndarray, ...]
    status: str
    steps: int
    regret: float
    payoff_scale: float
    bifurcations: tuple[float, ...] = ()
    message: str = ""

    @property
    def points(self) -> int:
        return len(self.lambdas)

    @property
    def end(self) -> tuple[tuple[float, ...], ...]:
        """The last profile: one tuple of probabilities per player."""
        return tuple(tuple(float(v) for v in profile[-1]) for profile in self.profiles)

    @property
    def game_lambdas(self) -> np.ndarray:
        """``λ`` in units of 1 / (the game's own payoffs): :attr:`lambdas` / ``s``."""
        return self.lambdas / self.payoff_scale

    @property
    def has_turning_point(self) -> bool:
        """Whether ``λ`` decreases anywhere along the branch."""
        return bool(np.any(np.diff(self.lambdas) < 0))

    @property
    def converged(self) -> bool:
        return self.status == CONVERGED


@dataclass(frozen=True, eq=False)
class LogitLimit:
    """The end of the principal branch and what could be proved about it.

    Attributes
    ----------
    path : LogitPath
    certification : policy.certify.Certification
        The certificate of the equilibrium near the end of the path, or the reason
        there is none.
    """

    path: LogitPath
    certification: Certification

    @property
    def equilibrium(self) -> CertifiedEquilibrium | None:
        """The certified equilibrium the branch leads to, or None (see :attr:`reason`)."""
        return self.certification.equilibrium

    @property
    def approximate(self) -> tuple[tuple[float, ...], ...]:
        """The last profile of the path (an approximation, not checked)."""
        return self.path.end

    @property
    def reason(self) -> str:
        return self.certification.reason


def payoff_range(game: NumericGame) -> float:
    """The payoff scale ``s``: the largest ``max - min`` of one player's payoffs
    (1 when every player's payoffs are constant).

    >>> payoff_range(NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]]))
    9.0
    """
    spread = max(float(np.ptp(array)) for array in game.payoffs)
    return spread if spread > 0 else 1.0


class _Branch:
    """``H`` and its Jacobian for one game (normalised payoffs), on the flat vector
    ``x = (y_00 … y_0(k_0-1), y_10 …, λ)``."""

    def __init__(self, game: NumericGame):
        self.shape = game.shape
        self.n = len(self.shape)
        scale = payoff_range(game)
        self.payoffs = [np.asarray(array, dtype=float) / scale for array in game.payoffs]
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.size = int(self.offsets[-1])

    def split(self, x: np.ndarray) -> list[np.ndarray]:
        return [x[self.offsets[i]:self.offsets[i + 1]] for i in range(self.n)]

    def _pair_matrices(self, probabilities: list[np.ndarray]) -> dict[tuple[int, int], np.ndarray]:
        """``M[i, k][j, l]``: ``i``'s payoff from ``j`` when ``k`` plays ``l`` and the
        others play ``probabilities`` (``∂v_ij / ∂p_kl``)."""
        matrices = {}
        for i in range(self.n):
            for k in range(self.n):
                if k == i:
                    continue
                table = self.payoffs[i]
                for m in reversed(range(self.n)):
                    if m not in (i, k):
                        table = np.tensordot(table, probabilities[m], axes=([m], [0]))
                matrices[i, k] = table if i < k else table.T
        return matrices

    def evaluate(self, x: np.ndarray, jacobian: bool = True):
        """``H(x)``, the payoffs ``v`` and (optionally) the Jacobian ``∂H/∂x``."""
        lam = x[-1]
        logs = self.split(x[:-1])
        probabilities = [np.exp(y) for y in logs]
        matrices = self._pair_matrices(probabilities)
        values = []
        for i in range(self.n):
            k = 1 if i == 0 else 0  # any other player: v_i = M[i, k] p_k
            values.append(matrices[i, k] @ probabilities[k])
        damping = 1.0 / (1.0 + lam)
        residual = np.empty(self.size)
        for i in range(self.n):
            start = self.offsets[i]
            y, v = logs[i], values[i]
            residual[start] = probabilities[i].sum() - 1.0
            residual[start + 1:start + len(y)] = damping * (y[1:] - y[0] - lam * (v[1:] - v[0]))
        if not jacobian:
            return residual, values, probabilities, None
        matrix = np.zeros((self.size, self.size + 1))
        for i in range(self.n):
            start, count = self.offsets[i], self.shape[i]
            matrix[start, start:start + count] = probabilities[i]
            rows = slice(start + 1, start + count)
            if count > 1:
                matrix[rows, start] = -damping
                matrix[rows, start + 1:start + count] += damping * np.eye(count - 1)
                for k in range(self.n):
                    if k == i:
                        continue
                    m = matrices[i, k]
                    block = (m[1:] - m[0]) * probabilities[k]
                    matrix[rows, self.offsets[k]:self.offsets[k + 1]] = -damping * lam * block
                v = values[i]
                matrix[rows, -1] = -damping * residual[start + 1:start + count] \
                    - damping * (v[1:] - v[0])
        return residual, values, probabilities, matrix


def _regret(values: list[np.ndarray], probabilities: list[np.ndarray]) -> float:
    return max(float(np.max(v) - v @ p) for v, p in zip(values, probabilities))


def _tangent(matrix: np.ndarray, previous: np.ndarray) -> np.ndarray | None:
    """The unit tangent of the branch (the null vector of ``matrix``), oriented so
    that it continues in the direction of ``previous``."""
    square = np.vstack([matrix, previous])
    rhs = np.zeros(len(previous))
    rhs[-1] = 1.0
    try:
        direction = np.linalg.solve(square, rhs)
    except np.linalg.LinAlgError:
        return None
    norm = np.linalg.norm(direction)
    if not np.isfinite(norm) or norm == 0:
        return None
    return direction / norm


def _orientation(matrix: np.ndarray, tangent: np.ndarray) -> float:
    """The sign of ``det [H'; tangent]``: constant along a branch (turning points
    included), flipped by a simple bifurcation point."""
    sign, _ = np.linalg.slogdet(np.vstack([matrix, tangent]))
    return float(sign)


def _correct(branch: _Branch, predicted: np.ndarray, tangent: np.ndarray, step: float):
    """Newton's method from ``predicted`` back onto the branch, in the hyperplane
    orthogonal to ``tangent``: (point, its evaluation, iterations) or None."""
    point = predicted.copy()
    previous_residual = np.inf
    for iteration in range(1, _CORRECTOR_ITERATIONS + 1):
        residual, values, probabilities, matrix = branch.evaluate(point)
        size = np.max(np.abs(residual))
        # Newton must contract, except in the last digits (rounding is not contraction)
        if not np.isfinite(size) or (size > 0.5 * previous_residual and size > _NOISE):
            return None
        if size <= _RESIDUAL:
            return point, (residual, values, probabilities, matrix), iteration
        previous_residual = size
        square = np.vstack([matrix, tangent])
        rhs = np.concatenate([residual, [tangent @ (point - predicted)]])
        try:
            delta = np.linalg.solve(square, rhs)
        except np.linalg.LinAlgError:
            return None
        if iteration == 1 and np.linalg.norm(delta) > 0.5 * step + 1e-12:
            return None
        point = point - delta
        if point[-1] < 0:
            return None
    return None


def logit_path(game: NumericGame, tolerance: float = 1e-8, max_lambda: float = 1e12,
               max_steps: int | None = None) -> LogitPath:
    """Trace the principal branch of the logit correspondence of ``game``.

    Parameters
    ----------
    game : NumericGame
        Any number of players (the float payoffs are used).
    tolerance : float
        Stop once every player's regret is at most this, in units of the payoff
        scale (:func:`payoff_range`): status ``"converged"``.
    max_lambda : float
        Stop when ``λ`` (normalised) passes this without converging.
    max_steps : int, optional
        Predictor–corrector steps, rejected ones included; default
        ``POLICY_LIMIT_LOGIT_STEPS``.

    Returns
    -------
    LogitPath
        Every accepted point; the status says why it ended. A path that did not
        converge is returned as it is, never as an equilibrium.

    Examples
    --------
    >>> game = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> path = logit_path(game)
    >>> path.status, float(path.lambdas[0]), [round(p, 6) for p in path.end[0]]
    ('converged', 0.0, [0.0, 1.0])
    >>> logit_path(game, max_steps=3).status
    'step limit reached'
    """
    if max_steps is None:
        max_steps = limit("logit_steps")
    branch = _Branch(game)
    scale = payoff_range(game)
    x = np.concatenate([np.full(k, -np.log(k)) for k in game.shape] + [[0.0]])
    residual, values, probabilities, matrix = branch.evaluate(x)
    start_direction = np.zeros(branch.size + 1)
    start_direction[-1] = 1.0
    tangent = _tangent(matrix, start_direction)
    lambdas = [0.0]
    profiles = [[p.copy()] for p in probabilities]
    regret = _regret(values, probabilities)
    orientation = _orientation(matrix, tangent)
    bifurcations = []
    step = _FIRST_STEP
    steps = 0
    status, message = CONVERGED, "the regret at the end is within the tolerance"
    while regret > tolerance:
        if steps >= max_steps:
            status = STEP_LIMIT
            message = (f"stopped after {steps} steps at λ = {x[-1]:.6g} with regret "
                       f"{regret:.3g}; {exceeded('logit_steps')}")
            break
        if x[-1] > max_lambda:
            status = LAMBDA_LIMIT
            message = f"λ passed {max_lambda:.3g} with regret {regret:.3g} still above {tolerance:.3g}"
            break
        steps += 1
        corrected = _correct(branch, x + step * tangent, tangent, step)
        new_tangent = None
        if corrected is not None:
            new_tangent = _tangent(corrected[1][3], tangent)
        if new_tangent is None or new_tangent @ tangent < _MIN_TANGENT_COSINE:
            step /= 2
            if step < _MIN_STEP:
                status = STEP_TOO_SMALL
                message = (f"the corrector failed with the smallest step at λ = {x[-1]:.6g} "
                           f"(regret {regret:.3g}): a singular point of the branch")
                break
            continue
        previous_lambda = x[-1]
        x, (residual, values, probabilities, matrix), iterations = corrected
        tangent = new_tangent
        turned = _orientation(matrix, tangent)
        if turned != orientation and turned != 0:
            bifurcations.append(float((previous_lambda + x[-1]) / 2))
            orientation = turned
        lambdas.append(float(x[-1]))
        for player, p in enumerate(probabilities):
            profiles[player].append(p.copy())
        regret = _regret(values, probabilities)
        if iterations <= 2:
            step *= _MAX_GROWTH
        elif iterations == 3:
            step *= 1.25
        elif iterations >= 5:
            step *= 0.7
    return LogitPath(lambdas=_frozen(np.array(lambdas)),
                     profiles=tuple(_frozen(np.array(rows)) for rows in profiles),
                     status=status, steps=steps, regret=regret, payoff_scale=scale,
                     bifurcations=tuple(bifurcations), message=message)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


def logit_limit(game: NumericGame, max_steps: int | None = None) -> LogitLimit:
    """The equilibrium at the end of the principal branch, certified.

    Traces :func:`logit_path` and certifies the equilibrium next to its last point
    with :func:`policy.certify.try_certify` (exactly in rationals when it can, else
    by interval arithmetic). When the path stopped early or the certificate fails,
    :attr:`LogitLimit.equilibrium` is None and :attr:`LogitLimit.reason` says why.

    Examples
    --------
    >>> game = NumericGame.from_arrays([[9, 0], [0, 1]], [[0, 1], [1, 0]])  # Ochs (1995)
    >>> limit = logit_limit(game)
    >>> limit.equilibrium.exact
    ((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 10), Fraction(9, 10)))
    >>> logit_limit(game, max_steps=2).reason
    'the path did not converge: step limit reached'
    """
    path = logit_path(game, max_steps=max_steps)
    if not path.converged:
        return LogitLimit(path, Certification(None, f"the path did not converge: {path.status}"))
    return LogitLimit(path, try_certify(game, path.end, distance=_LIMIT_DISTANCE))
