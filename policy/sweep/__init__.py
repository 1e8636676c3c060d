"""SymbolicGame + grid → every equilibrium at every grid point (phase diagrams).

Stage of the data flow after :mod:`policy.equilibria`, :mod:`policy.analysis` and
:mod:`policy.optimize`, before :mod:`policy.report`. Notation: a *grid* varies one or
two parameters or controls over evenly spaced values, both ends included
(``start:stop:points``); every other symbol keeps its current value. A grid point's
*label* is its equilibrium set, written as one support per player for each
equilibrium; a *region* is the set of points sharing a label.

Modules, in the order they import each other:

============================  ==========================================================
:mod:`~policy.sweep.grid`      :class:`GridAxis`, :class:`Region`, :class:`SweepResult`
:mod:`~policy.sweep.labels`    equilibrium-set labels, numbered in order of first appearance
:mod:`~.float_kernel`          compiled float kernels generated from the payoff trees
:mod:`~.integer_kernel`        exact int64 kernels: polynomial payoffs of the grid indices
:mod:`~.numpy_engine`          the numpy engine (vectorised over a chunk of points)
:mod:`~policy.sweep.exact`     doubtful points solved by the exact engine
:mod:`~.compiled`              which kernel a game gets, its inputs, its codes decoded
:mod:`~.classify`              :class:`~.classify.Classifier`: one chunk → label numbers
:mod:`~policy.sweep.run`       :func:`sweep`: chunks, here or on Dask workers, merged
:mod:`~.sampling`              :func:`uncertainty`: shares of sampled parameters, Wilson intervals
:mod:`~policy.sweep.export`    saved points (``--save``): CSV streamed in pieces, or NPZ
:mod:`~policy.sweep.paths`     equilibrium paths, policy maps, separating boundaries
:mod:`~policy.sweep.market`    a market game along one axis, every point solved exactly
:mod:`~.population`            a population game along one axis: counts, symmetric mixing
============================  ==========================================================

Dispatch: which engine runs when
--------------------------------
:func:`sweep` cuts the grid into chunks of :data:`~.compiled.KERNEL_CHUNK` points when
a compiled kernel will run (see the first rows), else :data:`~.grid.CHUNK`; each chunk
(locally, or on a Dask worker when ``client`` is given — same table, results merged
in chunk order, so identical) is then classified by the first row that applies:

===========  ===================  =====================  =============================  ==========================
numba        POLICY_SWEEP_ENGINE  points in the chunk    the game's payoffs             engine
===========  ===================  =====================  =============================  ==========================
missing      any                  any                    any                            numpy
importable   ``numpy``            any                    any                            numpy
importable   ``auto`` (default)   < KERNEL_MIN_POINTS    any                            numpy
importable   ``auto`` or          ≥ KERNEL_MIN_POINTS    integer form (rational         integer kernel
             ``numba``            (``numba``: any)       polynomials, numbers in int64)
importable   (as above)           (as above)             else: a float kernel exists    float kernel
                                                         (≤ 63 code bits, supported
                                                         functions)
importable   (as above)           (as above)             else                           numpy
===========  ===================  =====================  =============================  ==========================

(:data:`~.compiled.KERNEL_MIN_POINTS` is 20,000: below it, loading the JIT costs more
than it saves.) In every engine, two-player games with ``mixed=True`` get all
equilibria — support enumeration (numpy, float kernel) or vertex enumeration
(integer kernel); otherwise (``mixed=False``, or more than two players) pure
equilibria only. :func:`uncertainty` always uses the numpy engine.

*Doubtful* points — possibly degenerate within the tolerance (numpy engine and float
kernel, same tests and flags; see :mod:`~.numpy_engine`) — are solved again by the
exact engine (:mod:`~policy.sweep.exact`): pure games from exact payoffs in integers
(:func:`~.exact.exact_pure_supports`), two-player mixed games by
:func:`policy.equilibria.find_equilibria`, points where a payoff is not rational by
``SymbolicGame.bind`` then the same. The integer kernel decides every point exactly
and re-solves nothing; its degenerate points are counted in ``exact_points``.

Examples
--------
>>> import policy
>>> result = sweep(policy.load("platform_entry"), [GridAxis.parse("entry_subsidy=0:2:5")])
>>> for region in result.regions:
...     print(region.points, region.label)
2 expand·stay_out | restrain·enter | mixed {expand, restrain} × {enter, stay_out}
1 expand·stay_out | restrain·enter | mixed {expand} × {enter, stay_out}
2 restrain·enter
"""

from .export import saved_points_chunks, to_saved_points
from .grid import GridAxis, Region, SweepResult
from .numpy_engine import SWEEP_TOLERANCE
from .paths import (MAX_PATH_POINTS, Boundary, Branch, EquilibriumPaths, PolicyMap,
                    check_policy_axes, equilibrium_paths, policy_map, separating_boundaries)
from .run import sweep
from .sampling import UncertaintyResult, uncertainty, wilson_interval

__all__ = ["GridAxis", "Region", "SweepResult", "UncertaintyResult", "sweep", "uncertainty",
           "wilson_interval", "to_saved_points", "saved_points_chunks", "SWEEP_TOLERANCE",
           "Boundary", "separating_boundaries", "Branch", "EquilibriumPaths", "equilibrium_paths",
           "PolicyMap", "policy_map", "check_policy_axes", "MAX_PATH_POINTS"]
