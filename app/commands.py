"""Which command each action runs: the table from action names to the control layer's slots.

The actions themselves (text, shortcut, menu) are in :mod:`.actions`; what the commands do is in
:mod:`.control`. Canvas commands go through ``window.canvas``, which builds the canvas if needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .actions import tool_actions
from .export.formats import FORMATS

if TYPE_CHECKING:
    from .main_window import MainWindow


def connect_commands(w: MainWindow) -> None:
    ws, rv, pr, a = w.workspace, w.review, w.proposals, w.actions
    a.connect("open_folder", w.open_folder_dialog)
    a.connect("choose_state_dir", ws.choose_state_dir)
    a.connect("quit", w.close)
    a.connect("undo", ws.undo)
    a.connect("redo", ws.redo)
    a.connect("revert_to_proposal", ws.revert_to_proposal)
    a.connect("set_user_name", w.ask_user_name)
    a.connect("next_image", lambda: w.step_image(1))
    a.connect("previous_image", lambda: w.step_image(-1))
    a.connect("approve", rv.approve)
    a.connect("reject", rv.reject)
    a.connect("next_unreviewed", rv.next_unreviewed)
    a.connect("next_uncertain", rv.next_uncertain)
    a.connect("propose_current", pr.propose_current)
    a.connect("propose_selection", lambda: pr.propose_selection(w.image_list.selected_keys()))
    a.connect("propose_unreviewed", pr.propose_unreviewed)
    a.connect("propose_unreviewed_again", pr.propose_unreviewed_again)
    a.connect("cancel_job", w.cancel_current)
    for spec in tool_actions():
        a.connect(spec.name, lambda t=spec.name: w.canvas.set_tool(t.removeprefix("tool_")))
    a.connect("brush_smaller", lambda: w.canvas.step_brush_size(-1))
    a.connect("brush_larger", lambda: w.canvas.step_brush_size(1))
    a.connect("fill_holes", lambda: w.canvas.run_operation("fill_holes"))
    a.connect("clear_mask", lambda: w.canvas.run_operation("clear"))
    a.connect("load_default_model", pr.load_default_model)
    a.connect("force_fp32", lambda: w.set_force_fp32(a["force_fp32"].isChecked()))
    # A checkpoint file joins the model registry and becomes the folder's model (remembered).
    a.connect("load_checkpoint", w.models.load_checkpoint)
    a.connect("get_model", w.model_windows.open_get_model_dialog)
    a.connect("switch_model", w.model_windows.switch)
    a.connect("rollback_model", w.models.rollback)
    a.connect("finetune", w.model_windows.open_finetune_dialog)
    a.connect("threshold_up", lambda: pr.step_threshold(0.05))
    a.connect("threshold_down", lambda: pr.step_threshold(-0.05))
    for mode in ("mask", "outline", "probability", "uncertainty", "none"):
        a.connect(f"view_{mode}", lambda m=mode: w.model_panel.set_view_mode(m.upper()))
    a.connect("fit_to_window", lambda: w.canvas.fit_to_window())
    a.connect("export_dialog", w.exports.export_dialog)
    for fmt in FORMATS:
        a.connect(f"export_{fmt.name}", lambda n=fmt.name: w.exports.export([n]))
    a.connect("shortcuts", w.show_shortcuts)
    a.connect("about", w.show_about)
    a.connect("model_card", w.show_model_card)
