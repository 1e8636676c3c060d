"""Reports are data, rendered separately.

``build_solve_report(...)`` returns a :class:`Report` whose ``document`` is a
JSON-ready mapping (exact values kept as strings such as ``"2/7"``);
:func:`to_json` and :func:`to_markdown` render it; :func:`write_report` writes the
files atomically (temporary files, then rename), so an interrupted run never
leaves a half-written report and earlier reports stay intact.
"""

from .document import (Report, build_analyze_report, build_optimize_report, build_solve_report,
                       build_sweep_report, build_uncertainty_report, provenance)
from .render import to_json, to_markdown
from .writer import write_report

__all__ = ["Report", "build_solve_report", "build_optimize_report", "build_analyze_report", "build_sweep_report", "build_uncertainty_report", "provenance", "to_json", "to_markdown", "write_report"]
