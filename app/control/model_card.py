"""The model card of the model in use, as Markdown for the app to show (Help > Model card…).

A model file may have its card beside it (``default.safetensors`` -> ``default.md``, as the shipped
model has); otherwise the card is written from what the file and the registry record say: name,
where it came from, its score, what it was trained on and its notes. No Qt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from meddisseg_studio.state.score_text import metrics_score_text, score_text


def card_beside(model_file: Path | None) -> str | None:
    """The Markdown card written beside ``model_file`` (``<stem>.md``), if there is one."""
    if model_file is None:
        return None
    card = Path(model_file).with_suffix(".md")
    try:
        return card.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def model_card_markdown(name: str, model_file: Path | None, metadata: Any = None, record: Any = None) -> str:
    """The card of the model called ``name``: the file's own card, else one written from its facts."""
    written = card_beside(model_file)
    if written:
        return written
    lines = [f"# {name or 'Model'}", ""]
    if record is not None:
        lines.append(f"- **Source:** {record.describe_source()}")
        if record.metrics is not None:
            lines.append(
                f"- **Score:** {metrics_score_text(record.metrics.values, len(record.metrics.images or ()))}"
            )
        if record.trained_on.images:
            lines.append(
                f"- **Trained on:** {len(record.trained_on.images)} images of {record.trained_on.folder}"
            )
        if record.created:
            lines.append(f"- **Created:** {record.created}")
    metrics = getattr(metadata, "metrics", None) or {}
    if metrics.get("mdsc") is not None and record is None:
        lines.append(f"- **Score:** {score_text(metrics['mdsc'])}")
    for label, attribute in (("Training data", "training_data"), ("Split", "split"), ("Version", "version")):
        value = getattr(metadata, attribute, "")
        if value:
            lines.append(f"- **{label}:** {value}")
    network = getattr(metadata, "network", None)
    if network is not None:
        lines.append(f"- **Network:** stage {network.stage}")
    if model_file is not None:
        lines.append(f"- **File:** `{model_file}`")
    notes = (getattr(record, "notes", "") or getattr(metadata, "notes", "")).strip()
    if notes:
        lines += ["", "## Notes", "", notes]
    if len(lines) == 2:
        lines.append("This model's file records nothing about how it was made.")
    return "\n".join(lines) + "\n"
