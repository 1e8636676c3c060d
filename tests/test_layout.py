"""The package's shape (issue 14): modules follow the data flow of
docs/contributing.md — no import cycle, lazy imports included, and no module
imports a later stage."""

from __future__ import annotations

import ast
from pathlib import Path

import policy

PACKAGE = Path(policy.__file__).parent

#: The stages of docs/contributing.md, in order; a module belongs to the first
#: prefix that matches its dotted name.
STAGES = [
    ("policy.errors", "policy.limits"),
    ("policy.expressions",),
    ("policy.syntax", "policy.spec", "policy.tree_spec", "policy.readers", "policy.loader"),
    ("policy.symbolic", "policy.numeric", "policy.market", "policy.population",
     "policy.tree_model"),
    ("policy.algebraic", "policy.rational_lp", "policy.best_response", "policy.integer_pivoting",
     "policy.vertex_enumeration",
     "policy.support_enumeration", "policy.certify", "policy.logit", "policy.equilibria",
     "policy.market_numeric", "policy.market_equilibria", "policy.population_equilibria", "policy.selection",
     "policy.tree_equilibria"),
    ("policy.analysis", "policy.optimize", "policy.market_analysis", "policy.market_policy",
     "policy.population_analysis",
     "policy.tree_analysis"),
    ("policy.sweep",),
    ("policy.report",),
    ("policy.kinds",),
    ("policy.api", "policy"),
    ("policy.cli", "policy.__main__"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def stage_of(module: str) -> int:
    for index, prefixes in enumerate(STAGES):
        if any(module == p or (p != "policy" and module.startswith(p + ".")) for p in prefixes):
            return index
    raise AssertionError(f"{module} is in no stage of docs/contributing.md")


def imports_of(module: str) -> set[str]:
    """The policy modules ``module`` imports at run time, anywhere in its body
    (inside functions too; ``if TYPE_CHECKING:`` blocks are not run). Importing a
    package's own ancestors is not counted (Python has run them already)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(node) for block in ast.walk(tree)
               if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
               for node in ast.walk(block)}
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{a.name}" for a in node.names} & set(MODULES)
            found |= submodules
            if len(submodules) < len(node.names) and target in MODULES:
                found.add(target)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names} & set(MODULES)
    # importing policy.a.b runs the package policy.a first
    for target in list(found):
        parts = target.split(".")
        found |= {".".join(parts[:k]) for k in range(2, len(parts))} & set(MODULES)
    return {t for t in found if t != module and not module.startswith(t + ".")}


def test_every_module_belongs_to_a_stage():
    for module in MODULES:
        stage_of(module)


def test_no_module_imports_a_later_stage():
    late = [(module, target) for module in MODULES for target in imports_of(module)
            if stage_of(target) > stage_of(module)]
    assert late == []


def test_no_import_cycle_among_the_modules_lazy_imports_included():
    graph = {module: imports_of(module) for module in MODULES}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_checker_sees_a_lazy_import_inside_a_function():
    assert "policy.optimize" in imports_of("policy.sweep.paths")
