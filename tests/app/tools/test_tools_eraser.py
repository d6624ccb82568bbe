import numpy as np

from meddisseg_studio.tools import create_tool


def test_eraser_clears_along_the_path(ctx, replay) -> None:
    ctx.mask[:] = 1
    start = ctx.mask.copy()
    ctx.brush_size = 7
    eraser = create_tool("eraser")
    eraser.press(ctx, 5.5, 32.5, subtract=False)
    eraser.move(ctx, 58.5, 32.5, pressed=True)
    eraser.release(ctx, 58.5, 32.5)
    assert not ctx.mask[29:36, 5:59].any()
    assert ctx.mask[:28].all() and ctx.mask[37:].all()
    assert len(ctx.edits) == 1
    assert np.array_equal(replay(ctx.edits[0], start), ctx.mask)
