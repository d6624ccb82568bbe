"""The same shipped model found at a new path (the app reinstalled elsewhere) replaces its record.

It used to add a second record with the same id, which the registry then refused to read
("duplicate model ids") while the app loaded its model.
"""

from __future__ import annotations

import shutil

from meddisseg_core.models import ModelRegistry


def test_moved_shipped_file_keeps_one_record(registry, make_safetensors, tmp_path) -> None:
    first = make_safetensors("default.safetensors", training_data="Kvasir-SEG")
    record = registry.sync_shipped(first)
    assert record is not None

    moved = tmp_path / "reinstalled" / "default.safetensors"
    moved.parent.mkdir()
    shutil.copyfile(first, moved)
    again = ModelRegistry().sync_shipped(moved)

    assert again is not None and again.id == record.id
    shipped = [r for r in ModelRegistry().records() if r.source == "shipped"]
    assert len(shipped) == 1 and shipped[0].file == str(moved.resolve())
