"""An import is a row of the folder's log (source, path, count), and each imported image has its
own row: a proposal by "import:<format>", or an approval."""

from __future__ import annotations

from pathlib import Path

from meddisseg_studio.imports import ImportAs, import_masks
from meddisseg_studio.state import Project, audit


def test_imports_are_recorded(kvasir_copy: tuple[Path, Path], tmp_path: Path) -> None:
    images, masks = kvasir_copy
    project = Project.open(images, state_dir=tmp_path / "state")
    project.user_name = "importer"
    first = project.keys()[0]
    project.reject(first, "not a polyp")
    report = import_masks(project, masks)
    (row,) = project.history(None)
    assert (row.action, row.user) == (audit.IMPORT, "importer")
    assert row.details == {
        "source": "masks",
        "path": str(masks),
        "as": "proposed",
        "count": len(report.imported),
        "skipped": 1,
        "failed": 0,
    }
    for key in report.imported:
        (proposed,) = [r for r in project.history(key) if r.action == audit.PROPOSE]
        assert proposed.details["model"] == "import:masks"

    import_masks(project, masks, as_status=ImportAs.APPROVED, force=True)
    assert [r.details["as"] for r in project.history(None)] == ["proposed", "approved"]
    assert project.history(first)[-1].action == audit.APPROVE
    project.close()
