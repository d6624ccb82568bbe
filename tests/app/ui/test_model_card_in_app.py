"""Help > Model card… shows the card of the model in use: the Markdown card beside its file (the
shipped model's default.md), or one written from what the file records."""

from __future__ import annotations

from pathlib import Path

from ui_support import wait_loaded


def test_shipped_model_card_is_shown(qtbot, opened) -> None:
    from meddisseg_studio.widgets.model_card_dialog import ModelCardDialog

    opened.actions["load_default_model"].trigger()
    wait_loaded(qtbot, opened)
    assert opened.proposals.predictor is not None, opened.dialogs.errors

    opened.actions["model_card"].trigger()

    dialog = opened.findChildren(ModelCardDialog)[-1]
    shipped = (Path(__file__).resolve().parents[3] / "resources" / "models" / "default.md").read_text()
    first_heading = next(line for line in shipped.splitlines() if line.startswith("#")).lstrip("# ").strip()
    assert first_heading in dialog.browser.toPlainText()


def test_no_model_says_so(opened) -> None:
    opened.actions["model_card"].trigger()
    assert opened.dialogs.infos[-1][0] == "Model card" and "No model" in opened.dialogs.infos[-1][1]


def test_card_written_from_the_file_when_none_beside_it(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from meddisseg_studio.control.model_card import model_card_markdown

    meta = SimpleNamespace(
        metrics={"mdsc": 0.7739}, training_data="Kvasir-SEG", split="", version="", notes=""
    )
    text = model_card_markdown("tiny", tmp_path / "none.safetensors", meta)
    assert text.startswith("# tiny") and "val mDSC 77.4 %" in text and "Kvasir-SEG" in text


def test_card_beside_the_file_wins(tmp_path: Path) -> None:
    from meddisseg_studio.control.model_card import model_card_markdown

    (tmp_path / "mine.md").write_text("# Mine\n\nTrained on eight frames.\n", encoding="utf-8")
    assert model_card_markdown("x", tmp_path / "mine.safetensors").startswith("# Mine")
