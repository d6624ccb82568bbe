import pytest

from meddisseg_studio.tools import TOOLS, create_tool, operation_edit, tool_names


def test_every_tool_is_registered_under_its_name() -> None:
    assert set(tool_names()) == {"brush", "eraser", "polygon", "lasso", "flood_fill", "box", "click"}
    for name in tool_names():
        tool = create_tool(name)
        assert tool.name == name and tool.label and tool.shortcut
        assert isinstance(tool, TOOLS[name])
    assert create_tool("brush").uses_brush and not create_tool("polygon").uses_brush


def test_unknown_names_are_named_in_the_error() -> None:
    with pytest.raises(KeyError, match="spray"):
        create_tool("spray")
    import numpy as np

    with pytest.raises(KeyError, match="blur"):
        operation_edit(np.zeros((2, 2), np.uint8), "blur")
