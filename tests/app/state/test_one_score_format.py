"""The model's score is written one way everywhere ("val mDSC 77.4 %"): the model panel, the model
list and the get-a-model card used 77.4, 0.773 and 77.39 for the same number."""

from __future__ import annotations

from types import SimpleNamespace

from meddisseg_studio.state.score_text import NO_SCORE, metrics_score_text, score_text


def test_fraction_and_percent_read_the_same() -> None:
    assert score_text(0.7739) == score_text(77.39) == "val mDSC 77.4 %"
    assert score_text(None) == NO_SCORE
    assert metrics_score_text({"mdsc": 0.7739, "miou": 0.7}) == "val mDSC 77.4 %"
    assert metrics_score_text({"dice": 0.912, "mdsc": 0.7}, images=6) == "held-out Dice 91.2 % on 6 images"


def test_model_list_and_panel_use_it() -> None:
    from meddisseg_studio.widgets.model_list_dialog import score_text as list_score

    record = SimpleNamespace(metrics=SimpleNamespace(values={"mdsc": 0.7739}, images=()))
    assert list_score(record) == "val mDSC 77.4 %"

    from meddisseg_studio.control.proposals import ProposalController

    fake = SimpleNamespace(predictor=SimpleNamespace(metadata=SimpleNamespace(metrics={"mdsc": 0.7739})))
    fake.model_name = "default"
    assert ProposalController.model_caption(fake) == "default · val mDSC 77.4 %"
