"""The canvas announces tool changes and describes the active tool by its own name and hint."""


def test_tool_change_is_signalled_and_described(rig) -> None:
    canvas = rig.canvas
    changed: list[str] = []
    canvas.toolChanged.connect(changed.append)
    canvas.set_tool("eraser")
    canvas.brush_size = 15
    assert changed == ["eraser"]
    assert canvas.tool_status().startswith("Eraser 15 px")
    canvas.set_tool("polygon")
    assert "Enter closes · Esc cancels · Alt cuts" in canvas.tool_status()
    canvas.set_tool("polygon")  # the same tool again: no signal
    assert changed == ["eraser", "polygon"]
