"""A damaged registry is moved aside with a message, never silently rebuilt over."""

from __future__ import annotations

from meddisseg_core.models import ModelRegistry


def test_corrupt_registry_is_moved_aside(registry, make_safetensors) -> None:
    record = registry.add_file(make_safetensors(), source="imported")
    damaged = registry.path.read_text()[:-40]  # a torn JSON document
    registry.path.write_text(damaged)

    reopened = ModelRegistry()
    assert reopened.notice is not None and "moved aside" in reopened.notice
    assert reopened.records() == []
    kept = list(registry.root.glob("registry.corrupt-*.json"))
    assert len(kept) == 1 and kept[0].read_text() == damaged  # the user's data is kept as it was
    assert str(kept[0]) in reopened.notice
    assert reopened.path_of(record).is_file()  # model files untouched

    # Writing works again (a fresh document), and the moved-aside copy stays.
    again = reopened.add_file(make_safetensors("other.safetensors", seed=5), source="imported")
    assert [r.id for r in ModelRegistry().records()] == [again.id]
    assert kept[0].exists()
