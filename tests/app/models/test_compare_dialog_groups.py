"""The before/after dialog shows the corrected and the accepted held-out images apart, and says
plainly when there are too few corrected ones for a verdict."""

from __future__ import annotations

from meddisseg_core.models.compare import Comparison, ModelScores
from meddisseg_studio.widgets.compare_dialog import CompareDialog


def _result(corrected: tuple[str, ...]) -> dict:
    keys = ("a", "b", "c", "d")
    # The current model proposed the accepted masks itself: 1.0 there by construction.
    before = ModelScores(0.0, 0.0, {k: (0.5, 0.4) if k in corrected else (1.0, 1.0) for k in keys})
    after = ModelScores(0.0, 0.0, {k: (0.8, 0.7) if k in corrected else (0.97, 0.94) for k in keys})
    comparison = Comparison(before, after, keys, 0.5, corrected)
    return {"job_id": "j", "base_id": "b", "new_id": "n", **comparison.as_dict()}


def test_groups_and_verdict(qtbot) -> None:
    result = _result(("a", "b", "c"))
    assert result["verdict"] == "better" and result["after_is_better"]
    dialog = CompareDialog(result, "current model", "new model")
    qtbot.addWidget(dialog)
    labels = [dialog.table.verticalHeaderItem(r).text() for r in range(dialog.table.rowCount())]
    assert labels[0] == "Dice, corrected by you (3)" and "Dice, accepted unedited (1)" in labels
    assert [dialog.table.item(0, c).text() for c in range(3)] == ["0.5000", "0.8000", "+0.3000"]
    assert "better on the held-out images you corrected" in dialog.verdict.text()
    assert dialog.use_new.isDefault()


def test_too_few_corrected_is_no_verdict(qtbot) -> None:
    result = _result(("a",))
    assert result["verdict"] == "too_few" and not result["after_is_better"]
    dialog = CompareDialog(result, "current model", "new model")
    qtbot.addWidget(dialog)
    assert "Too few corrected held-out images for a verdict (1 of the 3 needed)" in dialog.verdict.text()
    assert dialog.keep.isDefault()
