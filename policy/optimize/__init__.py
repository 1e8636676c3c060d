"""SymbolicGame + target/controls → policy results, with PuLP (the ``optimize`` stage).

Two questions a regulator asks, each solved exactly as a (mixed-integer) linear
programme built from small named constraint blocks, one module per question:

=====================  ==================================================================
module                 answers
=====================  ==================================================================
``commitment``         the leader's optimal mixed commitment, optimistic or pessimistic,
                       and (with a margin) where the strict requirement starts
``implementation``     the cheapest controls (and transfers) making a target an
                       equilibrium: ``nash``, ``strict`` or ``dominant``, over sampled
                       scenarios, with the margin-0 threshold
``uniqueness``         the cheapest controls making the target the *only* equilibrium
                       (iterated strict dominance as a MILP)
``ranking``            every pure profile ranked by its cheapest implementation
``selection_target``   the cheapest controls making the target the risk-dominant or
                       logit-selected equilibrium, exactly, for 2×2 games
``selection_search``   the same for every other game, by a bounded search (the
                       cheapest point found, verified, not proven cheapest)
``tree``               game trees: the cheapest controls making a target path or
                       actions the unique subgame-perfect outcome (a MILP over the
                       subgames), verified by re-solving the tree
=====================  ==================================================================

and the modules they share:

=====================  ==================================================================
``status``             the status vocabulary (``optimal``, ``infeasible``, …) and how
                       candidate statuses combine
``solver``             :class:`SolverOptions`, running PuLP, mapping its status to ours
``exact_lp``           exact (Fraction) LPs beside their PuLP model; exact solutions
``problem``            :class:`ImplementationProblem`, the frozen question per profile
``scenarios``          payoffs affine in the controls; sampled scenarios
``controls``           the control-variable block (bounds, fixed costs, cost, budget)
                       and reading the controls back
``verify``             re-solving the game at the chosen policy
``explain``            the words: why no policy works, where a threshold lies
``results``            :class:`CommitmentResult`, :class:`ImplementationResult`,
                       :class:`StrictThreshold`
=====================  ==================================================================

Data flow: a frozen problem (:class:`ImplementationProblem`, or the commitment's
``CommitmentProblem``) → one function per constraint block builds an exact
:class:`~policy.optimize.exact_lp.LinearProgram` → PuLP solves it
(:mod:`~policy.optimize.solver`, status mapped by :mod:`~policy.optimize.status`) →
:func:`~policy.optimize.exact_lp.exact_solution` recovers the exact optimum →
verification substitutes it back and re-solves the game (:mod:`policy.equilibria`,
:mod:`policy.best_response`) → a failure or a threshold is put in words
(:mod:`~policy.optimize.explain`) → a frozen result. Results know nothing about
rendering: :mod:`policy.report` renders them.

Solver statuses are our own strings: ``optimal``, ``infeasible``, ``unbounded``,
``time limit, best found``, ``time limit, no solution``, ``not solved``.

Examples
--------
>>> import policy
>>> from policy.optimize import optimal_commitment
>>> result = optimal_commitment(policy.load("inspection"))
>>> result.commitment, result.followers, result.leader_value
({'inspect': Fraction(2, 7), 'trust': Fraction(5, 7)}, {'platform': 'comply'}, Fraction(-2, 7))
"""

from .commitment import optimal_commitment
from .implementation import cheapest_implementation
from .problem import DEFAULT_MARGIN, ROBUSTNESS, ImplementationProblem
from .ranking import rank_profiles
from .results import CommitmentCandidate, CommitmentResult, ImplementationResult, StrictThreshold
from .scenarios import AffinePayoffs, affine_payoffs, sample_scenarios
from .solver import SOLVERS, SolveInfo, SolverOptions
from .tree import TREE_ROBUSTNESS, cheapest_tree_policy

#: Every value ``policy optimize --robust`` takes: the matrix games' and the trees'
#: (each kind refuses the values that are not its own).
OPTIMIZE_ROBUSTNESS = tuple(dict.fromkeys((*ROBUSTNESS, *TREE_ROBUSTNESS)))

__all__ = [
    "SOLVERS",
    "ROBUSTNESS",
    "TREE_ROBUSTNESS",
    "OPTIMIZE_ROBUSTNESS",
    "DEFAULT_MARGIN",
    "SolverOptions",
    "SolveInfo",
    "CommitmentCandidate",
    "CommitmentResult",
    "ImplementationProblem",
    "ImplementationResult",
    "StrictThreshold",
    "AffinePayoffs",
    "optimal_commitment",
    "cheapest_implementation",
    "rank_profiles",
    "cheapest_tree_policy",
    "affine_payoffs",
    "sample_scenarios",
]
