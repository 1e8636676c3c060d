"""SymbolicGame + target/controls → policy results, with PuLP (the ``optimize`` stage).

The package's public API; the modules: ``implementation`` (commitment, implementation,
ranking, scenarios, verification), ``uniqueness`` (the target as the only
equilibrium) and ``exact_lp`` (exact LPs beside their PuLP model).
"""

from .implementation import (DEFAULT_MARGIN, ROBUSTNESS, SOLVERS, CommitmentResult,
                             ImplementationResult, SolverOptions, StrictThreshold, affine_payoffs,
                             cheapest_implementation, optimal_commitment, rank_profiles,
                             sample_scenarios)

__all__ = ["SOLVERS", "ROBUSTNESS", "DEFAULT_MARGIN", "SolverOptions", "CommitmentResult",
           "ImplementationResult", "StrictThreshold", "optimal_commitment",
           "cheapest_implementation", "rank_profiles", "affine_payoffs", "sample_scenarios"]
