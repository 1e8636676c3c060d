"""Sweeps: every equilibrium at every point of a grid (interim: being split into modules)."""

from .paths import (MAX_PATH_POINTS, Boundary, Branch, EquilibriumPaths, PolicyMap,
                    check_policy_axes, equilibrium_paths, policy_map, separating_boundaries)
from .run import (SWEEP_TOLERANCE, GridAxis, Region, SweepResult, UncertaintyResult, sweep,
                  to_saved_points, uncertainty, wilson_interval)

__all__ = ["GridAxis", "Region", "SweepResult", "UncertaintyResult", "sweep", "uncertainty",
           "wilson_interval", "to_saved_points", "SWEEP_TOLERANCE",
           "Boundary", "separating_boundaries", "Branch", "EquilibriumPaths", "equilibrium_paths",
           "PolicyMap", "policy_map", "check_policy_axes", "MAX_PATH_POINTS"]
