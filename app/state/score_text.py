"""The one way the app writes a model's score: "val mDSC 77.4 %" (or "held-out Dice 91.2 %").

Scores are stored as fractions (0.774) by our files and as percentages (77.39) by some cards; they
were shown as 77.3, 0.773, 77.4 and 77.39 in different places. Everything the user reads goes
through :func:`score_text`. No Qt.
"""

from __future__ import annotations

from collections.abc import Mapping

NO_SCORE = "no validation score recorded"


def as_percent(value: float) -> float:
    """A Dice stored as a fraction (<= 1) or a percentage, as a percentage."""
    return value * 100.0 if value <= 1.0 else value


def score_text(value: float | None, kind: str = "val mDSC") -> str:
    """``"val mDSC 77.4 %"``; :data:`NO_SCORE` for None."""
    if value is None:
        return NO_SCORE
    return f"{kind} {as_percent(float(value)):.1f} %"


def metrics_score_text(values: Mapping[str, float] | None, images: int = 0) -> str:
    """A model's best-known score from its metrics: held-out Dice (fine-tuned here) over val mDSC."""
    values = values or {}
    if values.get("dice") is not None:
        text = score_text(values["dice"], "held-out Dice")
        return f"{text} on {images} images" if images else text
    return score_text(values.get("mdsc"))
