from pathlib import Path

import pytest

from meddisseg_core.errors import CancelledError
from meddisseg_studio.export import ExportError, export_authors, export_coco, export_csv, export_overlays
from meddisseg_studio.state import Project

# (export, output name, items it exports from reviewed_project: 4 approved of 5; the CSV lists all)
EXPORTS = [
    (export_authors, "authors", 4),
    (export_overlays, "overlays", 4),
    (export_coco, "coco.json", 4),
    (export_csv, "review.csv", 5),
]


@pytest.mark.parametrize(("export", "name", "total"), EXPORTS)
def test_cancel_midway_leaves_no_final_output(
    reviewed_project: Project, tmp_path: Path, export, name, total: int
) -> None:
    out = tmp_path / "out"
    seen: list[tuple[int, int]] = []

    def cancel() -> bool:
        return len(seen) >= 2

    with pytest.raises(CancelledError):
        export(reviewed_project, out / name, progress=lambda d, t: seen.append((d, t)), should_cancel=cancel)
    assert seen == [(1, total), (2, total)]  # cancelled right after the second item
    assert not (out / name).exists()
    assert not out.exists() or list(out.iterdir()) == []  # the partial output was cleaned away too


@pytest.mark.parametrize(("export", "name", "total"), EXPORTS)
def test_completed_export_reports_every_step_and_never_overwrites(
    reviewed_project: Project, tmp_path: Path, export, name, total: int
) -> None:
    seen: list[tuple[int, int]] = []
    dest = export(reviewed_project, tmp_path / name, progress=lambda d, t: seen.append((d, t)))
    assert dest.exists()
    assert seen == [(done, total) for done in range(1, total + 1)]
    assert [p.name for p in tmp_path.iterdir() if ".partial-" in p.name] == []
    with pytest.raises(ExportError):
        export(reviewed_project, tmp_path / name)
