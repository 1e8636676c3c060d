"""Determinism: the same command gives byte-identical reports (JSON, Markdown, SVG,
PNG) and the same --json output in fresh processes, whatever PYTHONHASHSEED is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ("0", "1", "12345")
#: --json fields that measure time, documented as the only ones that vary between runs.
TIMING_FIELDS = {"seconds"}

COMMANDS = {
    "solve-platform_entry": ["solve", "platform_entry"],
    "solve-regulatory_capture": ["solve", "regulatory_capture"],
    "analyze-inspection": ["analyze", "inspection"],
    "analyze-self_regulation": ["analyze", "self_regulation"],   # n-player closed forms
    "solve-g3": ["solve", "tests/data/n_player/g3.nfg"],          # algebraic numbers
    "optimize-platform_entry": ["optimize", "platform_entry", "--robust", "dominant"],
    "optimize-regulatory_capture": ["optimize", "regulatory_capture"],
    "sweep-platform_entry": ["sweep", "platform_entry", "--vary", "entry_subsidy=0:3:21",
                             "--vary", "scale_levy=0:4:11"],
    "optimize-scale_and_entry": ["optimize", "scale_and_entry"],               # a game tree
    "sweep-chain_store": ["sweep", "chain_store", "--vary", "d=0:6:7", "--vary", "war=-4:2:7"],
}


def run(args: list[str], out: Path, seed: str) -> tuple[str, dict[str, bytes]]:
    """``python -m policy ARGS --json --out OUT`` under PYTHONHASHSEED=seed: stdout and
    every report file written."""
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    completed = subprocess.run([sys.executable, "-m", "policy", *args, "--json",
                                "--out", str(out)], cwd=ROOT, env=env, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode in (0, 1), completed.stderr
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    return completed.stdout, files


def without_timing(value):
    if isinstance(value, dict):
        return {k: without_timing(v) for k, v in value.items() if k not in TIMING_FIELDS}
    if isinstance(value, list):
        return [without_timing(v) for v in value]
    return value


@pytest.mark.parametrize("name", COMMANDS)
def test_reports_and_json_are_identical_across_hash_seeds(name, tmp_path):
    runs = [run(COMMANDS[name], tmp_path / seed, seed) for seed in SEEDS]
    (stdout, files), others = runs[0], runs[1:]
    assert files, "the command wrote no report"
    if name.startswith("sweep"):
        sweep = {"sweep.png", "sweep.svg", "sweep.md", "sweep.json"}  # + the 2×2 selection map
        assert sweep <= {Path(p).name for p in files} <= sweep | {"selection-map.png",
                                                                   "selection-map.svg"}
    for other_stdout, other_files in others:
        assert other_files.keys() == files.keys()
        for path in files:
            assert other_files[path] == files[path], f"{name}: {path} differs"
        assert without_timing(json.loads(other_stdout)) == without_timing(json.loads(stdout))
