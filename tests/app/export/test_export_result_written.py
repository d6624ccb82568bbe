"""ExportResult.written lists exactly the files each format published, nothing more or less."""

from pathlib import Path

import pytest

from meddisseg_studio.export.formats import FORMATS
from meddisseg_studio.state import Project


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_written_is_exactly_what_is_on_disk(reviewed_project: Project, tmp_path: Path, fmt) -> None:
    dest = tmp_path / "out" / fmt.default_name
    result = fmt.run(reviewed_project, dest, statuses=fmt.default_statuses, progress=None, should_cancel=None)
    assert result.dest == dest and result.format == fmt.name
    on_disk = sorted(p for p in dest.rglob("*") if p.is_file()) if dest.is_dir() else [dest]
    assert sorted(result.written) == on_disk
    assert len(set(result.written)) == len(result.written)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [fmt.default_name]  # no partials


def test_authors_written_files(reviewed_project: Project, tmp_path: Path) -> None:
    fmt = next(f for f in FORMATS if f.name == "authors")
    result = fmt.run(reviewed_project, tmp_path / "ds", statuses=None, progress=None, should_cancel=None)
    relative = sorted(p.relative_to(result.dest).as_posix() for p in result.written)
    pairs = [f"{folder}/{stem}.png" for folder in ("images", "masks") for stem in ("p1", "p2", "p3", "p4")]
    # statuses=None exports every image with a mask: the rejected p5 has none, and is listed skipped.
    assert relative == sorted([*pairs, "train.txt", "val.txt", "provenance.csv", "provenance.json"])
    assert [key for key, _ in result.skipped] == ["p5.png"]
