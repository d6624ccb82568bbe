"""Numbers of the review: this image (agreement with the proposal, edited pixels) and overall."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel

from ..state.model import ImageEntry, Summary


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100.0 * value:.1f} %"


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


class SummaryPanel(QGroupBox):
    def __init__(self) -> None:
        super().__init__("Summary")
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout(self)
        for name, text in (
            ("image_dice", "Proposal agreement (Dice)"),
            ("image_edited", "Edited pixels"),
            ("image_uncertainty", "Uncertainty"),
            ("counts", "Statuses"),
            ("mean_dice", "Mean agreement (approved)"),
            ("mean_edited", "Mean edited (approved)"),
            ("errors", "Unreadable files"),
        ):
            label = QLabel("–")
            label.setWordWrap(True)
            self.labels[name] = label
            form.addRow(text, label)

    def show_entry(self, entry: ImageEntry | None) -> None:
        self.labels["image_dice"].setText(_pct(entry.proposal_dice) if entry else "–")
        self.labels["image_edited"].setText(_pct(entry.edited_fraction) if entry else "–")
        self.labels["image_uncertainty"].setText(_num(entry.uncertainty) if entry else "–")

    def show_proposal_source(self, model_id: str, precision: str) -> None:
        """The model and precision of this image's proposal, as the tooltip of its rows."""
        text = f"Proposal by {model_id}" if model_id else ""
        if text and precision:
            text += f", run in {precision}"
        for name in ("image_dice", "image_uncertainty"):
            self.labels[name].setToolTip(text)

    def show_summary(self, summary: Summary | None) -> None:
        if summary is None:
            for name in ("counts", "mean_dice", "mean_edited", "errors"):
                self.labels[name].setText("–")
            return
        counts = ", ".join(f"{s.value} {n}" for s, n in summary.counts.items() if n)
        self.labels["counts"].setText(f"{counts or 'none'} (of {summary.total})")
        self.labels["mean_dice"].setText(_pct(summary.mean_dice_approved))
        self.labels["mean_edited"].setText(_pct(summary.mean_edited_fraction))
        self.labels["errors"].setText(str(summary.errors))
