"""Every user command as a named QAction with a keyboard shortcut.

The table ``ACTIONS`` (with one action per edit tool and one per export format, both derived
from their registries) is the single source of truth: menus are built from it, the help dialog
(F1) lists it, and a test checks that every action has a unique shortcut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence


@dataclass(frozen=True)
class ActionSpec:
    """One command: registry name, menu text, shortcut(s), menu it lives in, tooltip."""

    name: str
    text: str
    shortcuts: tuple[str, ...]
    menu: str
    tip: str = ""
    icon: str | None = None


# Menus in the order they appear in the menu bar.
MENUS: tuple[str, ...] = ("File", "Edit", "Tools", "Review", "Model", "View", "Export", "Help")

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open_folder", "&Open folder…", ("Ctrl+O",), "File", "Open a folder of images", "open"),
    ActionSpec(
        "choose_state_dir",
        "Save state &elsewhere…",
        ("Ctrl+Shift+S",),
        "File",
        "Keep the annotation state in another folder (for read-only image folders)",
    ),
    ActionSpec(
        "set_user_name",
        "Your &name…",
        ("Ctrl+Shift+U",),
        "File",
        "The name the history records your changes under (e.g. Dr A. Smith); empty: your login name",
    ),
    ActionSpec("quit", "&Quit", ("Ctrl+Q",), "File", "Save pending edits and quit"),
    ActionSpec("undo", "&Undo", ("Ctrl+Z",), "Edit", "Undo the last mask edit", "undo"),
    ActionSpec("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Edit", "Redo the last undone edit", "redo"),
    ActionSpec(
        "revert_to_proposal",
        "Re&vert to proposal",
        ("Ctrl+Shift+R",),
        "Edit",
        "Make the mask the model's proposal again (one undo step; the image is 'proposed' again)",
    ),
    ActionSpec("next_image", "Next image", ("PgDown",), "Edit", "Show the next image in the list"),
    ActionSpec("previous_image", "Previous image", ("PgUp",), "Edit", "Show the previous image in the list"),
    ActionSpec("brush_smaller", "Smaller brush", ("[",), "Tools", "Shrink the brush by about 15 %"),
    ActionSpec("brush_larger", "Larger brush", ("]",), "Tools", "Grow the brush by about 15 %"),
    ActionSpec("fill_holes", "Fill &holes", ("H",), "Tools", "Fill holes inside the mask"),
    ActionSpec(
        "remove_islands",
        "Remove &islands",
        ("I",),
        "Tools",
        "Remove mask specks smaller than the island size set in the Tools panel",
    ),
    ActionSpec("clear_mask", "&Clear mask", ("Ctrl+Shift+X",), "Tools", "Erase the whole mask (undoable)"),
    ActionSpec(
        "approve",
        "&Approve and next",
        ("A",),
        "Review",
        "Approve this mask, go to the next unreviewed",
        "approve",
    ),
    ActionSpec("reject", "&Reject…", ("R",), "Review", "Reject this image with a reason", "reject"),
    ActionSpec("next_unreviewed", "&Next unreviewed", ("N",), "Review", "Jump to the next unreviewed image"),
    ActionSpec(
        "next_uncertain",
        "Next &uncertain",
        ("Shift+N",),
        "Review",
        "Jump to the most uncertain image not yet reviewed",
    ),
    ActionSpec(
        "propose_current",
        "&Propose this image",
        ("Ctrl+P",),
        "Model",
        "Run the model on this image",
        "propose",
    ),
    ActionSpec(
        "propose_selection",
        "Propose &selection",
        ("Shift+P",),
        "Model",
        "Run the model on the selected images",
    ),
    ActionSpec(
        "propose_unreviewed",
        "Propose all &unreviewed",
        ("Ctrl+Shift+P",),
        "Model",
        "Run the model on every unreviewed image that has no proposal from this model yet",
    ),
    ActionSpec(
        "propose_unreviewed_again",
        "Propose all &again (replace)",
        ("Ctrl+Alt+Shift+P",),
        "Model",
        "Run the model on every unreviewed image, replacing the proposals it made already",
    ),
    ActionSpec(
        "cancel_job",
        "&Cancel running job",
        ("Esc",),
        "Model",
        "Stop proposals or export after this item; with none running, clear the Box/Click prompts",
    ),
    ActionSpec(
        "load_default_model", "Use &default model", ("Ctrl+D",), "Model", "Use the shipped default model"
    ),
    ActionSpec(
        "force_fp32",
        "Force &fp32 precision",
        ("Ctrl+Alt+F",),
        "Model",
        "Run the model in fp32 even where a faster precision gives the same masks (reloads the model)",
    ),
    ActionSpec(
        "load_checkpoint",
        "&Load checkpoint…",
        ("Ctrl+L",),
        "Model",
        "Load a .safetensors or authors' .pth checkpoint",
    ),
    ActionSpec(
        "get_model",
        "&Get a model…",
        ("Ctrl+G",),
        "Model",
        "The shipped default, a download, a file, or training on the approved images",
    ),
    ActionSpec(
        "switch_model",
        "S&witch model…",
        ("Ctrl+M",),
        "Model",
        "Choose another registered model for this folder",
    ),
    ActionSpec(
        "rollback_model",
        "Roll &back model",
        ("Ctrl+Shift+M",),
        "Model",
        "Go back to the folder's previous model",
    ),
    ActionSpec(
        "finetune",
        "&Fine-tune on approved images…",
        ("Ctrl+T",),
        "Model",
        "Train a better model on the approved images, in the background",
    ),
    ActionSpec(
        "threshold_up", "Raise threshold", ("Ctrl+]",), "Model", "Raise the proposal threshold by 0.05"
    ),
    ActionSpec(
        "threshold_down", "Lower threshold", ("Ctrl+[",), "Model", "Lower the proposal threshold by 0.05"
    ),
    ActionSpec("view_mask", "Show &mask", ("1",), "View", "Filled mask overlay"),
    ActionSpec("view_outline", "Show &outline", ("2",), "View", "Mask outline only"),
    ActionSpec("view_probability", "Show &probability", ("3",), "View", "Proposal probability heat map"),
    ActionSpec("view_uncertainty", "Show &uncertainty", ("4",), "View", "Model uncertainty map"),
    ActionSpec("view_none", "Hide overlay", ("5",), "View", "Image only"),
    ActionSpec("fit_to_window", "&Fit to window", ("Ctrl+0",), "View", "Zoom to fit the image"),
    ActionSpec("export_dialog", "&Export…", ("Ctrl+E",), "Export", "Choose formats and a folder", "export"),
    ActionSpec(
        "shortcuts", "&Keyboard shortcuts", ("F1",), "Help", "List every command and its keys", "help"
    ),
    ActionSpec(
        "model_card", "&Model card…", ("Ctrl+F1",), "Help", "How the model in use was made: data, score"
    ),
    ActionSpec("about", "&About", ("Shift+F1",), "Help", "Version and licence notes"),
)


def tool_actions() -> tuple[ActionSpec, ...]:
    """One action per canvas tool, with the shortcut the tool class declares (B, E, P, L, F…)."""
    from .tools import TOOLS

    return tuple(
        ActionSpec(f"tool_{name}", cls.label, (cls.shortcut,), "Tools", f"{cls.label} tool")
        for name, cls in TOOLS.items()
        if cls.shortcut
    )


def export_actions() -> tuple[ActionSpec, ...]:
    """One action per export format of the ``FORMATS`` registry (Ctrl+1, Ctrl+2… in its order)."""
    from .export.formats import FORMATS

    return tuple(
        ActionSpec(f"export_{fmt.name}", f"{fmt.label}…", (f"Ctrl+{i}",), "Export", fmt.description)
        for i, fmt in enumerate(FORMATS, start=1)
    )


def all_actions() -> tuple[ActionSpec, ...]:
    """The tool commands, the fixed commands and the export formats, in menu order."""
    return tool_actions() + ACTIONS + export_actions()


def shortcut_text(spec: ActionSpec) -> str:
    """Shortcuts in the platform's native spelling, joined for display."""
    return ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in spec.shortcuts)


class ActionRegistry(QObject):
    """Creates the QActions from ``ACTIONS`` and finds them by name."""

    def __init__(
        self,
        parent: QObject,
        specs: Iterable[ActionSpec] | None = None,
        icon_for: Callable[[str], QIcon] | None = None,
    ) -> None:
        super().__init__(parent)
        self._specs = {spec.name: spec for spec in (all_actions() if specs is None else specs)}
        self._actions: dict[str, QAction] = {}
        for spec in self._specs.values():
            action = QAction(spec.text, parent)
            action.setObjectName(f"action_{spec.name}")
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            # Window-wide so a shortcut works whichever panel has focus.
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            tip = spec.tip or spec.text.replace("&", "")
            action.setToolTip(f"{tip} ({shortcut_text(spec)})")
            action.setStatusTip(tip)
            if spec.icon and icon_for is not None:
                action.setIcon(icon_for(spec.icon))
            self._actions[spec.name] = action

    def __getitem__(self, name: str) -> QAction:
        return self._actions[name]

    def connect(self, name: str, slot: Callable[[], object]) -> None:
        # triggered(bool) would pass `checked`; the lambda keeps slots argument-free.
        self._actions[name].triggered.connect(lambda _checked=False: slot())

    def specs(self) -> list[ActionSpec]:
        return list(self._specs.values())

    def in_menu(self, menu: str) -> list[QAction]:
        return [self._actions[s.name] for s in self._specs.values() if s.menu == menu]

    def rows(self) -> list[tuple[str, str, str]]:
        """(menu, command, shortcut) rows for the help dialog."""
        return [(s.menu, s.text.replace("&", ""), shortcut_text(s)) for s in self._specs.values()]
