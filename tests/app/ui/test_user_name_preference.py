"""File > Your name sets the name the history records (kept in Preferences across restarts);
an empty name goes back to the login name."""

from __future__ import annotations

from meddisseg_studio.main_window import MainWindow
from meddisseg_studio.settings import read_preferences
from meddisseg_studio.state import identity


def test_the_preferences_name_is_recorded(qtbot, opened, dialogs, image_folder) -> None:
    window = opened
    first = window.workspace.key
    dialogs.reasons.append("  Dr A.  Smith ")
    window.actions["set_user_name"].trigger()
    assert read_preferences(window.settings).user_name == "Dr A. Smith"
    window.actions["approve"].trigger()
    assert [r.user for r in window.workspace.project.history(first)] == ["Dr A. Smith"]
    window.close()
    identity.set_display_name(None)  # as in a new process

    again = MainWindow(dialogs, load_default_model=False)
    qtbot.addWidget(again)
    again.open_folder(image_folder)
    second = again.workspace.key
    again.workspace.project.reject(second, "ambiguous border")
    assert again.workspace.project.history(second)[-1].user == "Dr A. Smith"

    dialogs.reasons.append("")  # cleared: the login name again
    again.actions["set_user_name"].trigger()
    assert read_preferences(again.settings).user_name == ""
    again.workspace.project.approve(second)
    user = again.workspace.project.history(second)[-1].user
    assert user == identity.current_user() != "Dr A. Smith"
    again.close()
