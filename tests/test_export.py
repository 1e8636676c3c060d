"""policy.sweep.export: --save writes, in pieces, the same bytes as before it streamed.

The files in tests/data/saved_points were written by `policy sweep --save` when the CSV
was still built whole in memory (commit f47c758); the streamed CSV must equal them byte
for byte, whatever the size of the pieces.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import policy
from policy.cli import cli
from policy.sweep import GridAxis, export, saved_points_chunks, sweep, to_saved_points

DATA = Path(__file__).parent / "data" / "saved_points"

SAVED = {
    "platform_entry_9x7.csv": ["platform_entry", "--vary", "entry_subsidy=0:2:9", "--vary", "scale_levy=0:3:7"],
    "platform_entry_optimize_3x3.csv": ["platform_entry", "--vary", "s=0:4:3", "--vary", "w=0:6:3",
                                        "--optimize", "--no-boundaries"],
    "inspection_11.csv": ["inspection", "--vary", "f=5:15:11"],
    "platform_entry_pure_7x5.csv": ["platform_entry", "--vary", "entry_subsidy=0:1:7", "--vary",
                                    "scale_levy=-1/3:1:5", "--pure"],
}


@pytest.mark.parametrize("rows_per_piece", [1, 4, export.SAVE_CHUNK])
@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_csv_is_byte_identical_to_the_file_written_whole(tmp_path, monkeypatch, name, rows_per_piece):
    monkeypatch.setattr(export, "SAVE_CHUNK", rows_per_piece)
    path = tmp_path / name
    result = CliRunner().invoke(cli, ["sweep", *SAVED[name], "--no-report", "--save", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == (DATA / name).read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == [name]   # no temporary file left behind


def test_pieces_join_to_the_whole_text_and_a_bad_suffix_fails_before_any_piece(monkeypatch):
    monkeypatch.setattr(export, "SAVE_CHUNK", 5)
    result = sweep(policy.load("platform_entry"), [GridAxis.parse("entry_subsidy=0:2:9"),
                                                   GridAxis.parse("scale_levy=0:3:7")])
    pieces = list(saved_points_chunks(result, ".csv"))
    assert len(pieces) == 1 + 13   # the header, then 63 rows in pieces of 5
    assert "".join(pieces) == to_saved_points(result, ".csv") == (DATA / "platform_entry_9x7.csv").read_text()
    with pytest.raises(policy.ModelError, match="use a .csv or .npz file name, not '.txt'"):
        saved_points_chunks(result, ".txt")
