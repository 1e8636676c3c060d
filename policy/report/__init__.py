"""Reports are data, rendered separately.

The flow: result objects (equilibria, analysis, optimize, sweep) →
``build_*_report`` (:mod:`.document`; the full report's plain-words summary in
:mod:`.summary`) → a typed, frozen report (:mod:`.model`: :class:`SolveReport`,
:class:`AnalyzeReport`, :class:`OptimizeReport`, :class:`SweepReport`,
:class:`UncertaintyReport`, :class:`FullReport`; exact values kept as strings such
as ``"2/7"``) → :func:`to_json` and :func:`to_markdown` (:mod:`.render`), HTML
(:mod:`.html`), terminal lines (:mod:`.text`) → :func:`write_report`
(:mod:`.writer`), which writes the files atomically (temporary files, then
rename), so an interrupted run never leaves a half-written report and earlier
reports stay intact. :mod:`.notebook` shows results and reports in IPython.
"""

from .document import (build_analyze_report, build_optimize_report, build_solve_report,
                       build_sweep_report, build_uncertainty_report, provenance)
from .model import (AnalyzeReport, FullReport, OptimizeReport, Report, SolveReport, SweepReport,
                    UncertaintyReport)
from .render import to_json, to_markdown
from .writer import write_report

__all__ = ["Report", "SolveReport", "AnalyzeReport", "OptimizeReport", "SweepReport",
           "UncertaintyReport", "FullReport", "build_solve_report", "build_optimize_report",
           "build_analyze_report", "build_sweep_report", "build_uncertainty_report", "provenance",
           "to_json", "to_markdown", "write_report"]
