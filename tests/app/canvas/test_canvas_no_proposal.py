"""Views 3/4 without a map say "no proposal" and never keep showing the previous image's map."""

import numpy as np
import qimage2ndarray

from meddisseg_studio.widgets.canvas import ViewMode
from meddisseg_studio.widgets.canvas_maps import NO_PROPOSAL, NO_UNCERTAINTY


def _shot(canvas) -> np.ndarray:
    return qimage2ndarray.rgb_view(canvas.grab().toImage()).copy()


def test_probability_view_without_a_proposal_says_so_and_shows_no_heat(rig) -> None:
    canvas = rig.canvas
    canvas.set_view_mode(ViewMode.NONE)
    bare = _shot(canvas)
    canvas.set_probability(np.ones((256, 256), np.float32))
    canvas.set_view_mode(ViewMode.PROBABILITY)
    assert canvas.map_notice() is None and canvas.legend.isVisible()
    p = rig.at(128, 200)
    assert not np.array_equal(_shot(canvas)[p.y(), p.x()], bare[p.y(), p.x()])  # the heat shows

    messages: list[str] = []
    canvas.statusMessage.connect(messages.append)
    canvas.set_probability(None)  # the next image has no proposal
    notice = canvas.findChild(type(canvas._maps.notice), "canvas_notice")
    assert canvas.map_notice() == NO_PROPOSAL
    assert notice.isVisible() and notice.text() == NO_PROPOSAL and not canvas.legend.isVisible()
    assert np.array_equal(_shot(canvas)[p.y(), p.x()], bare[p.y(), p.x()])  # no stale heat
    canvas.set_view_mode(ViewMode.UNCERTAINTY)
    assert canvas.map_notice() == NO_PROPOSAL and messages[-1] == NO_PROPOSAL
    canvas.set_view_mode(ViewMode.MASK)
    assert canvas.map_notice() is None and not notice.isVisible()


def test_uncertainty_view_names_a_missing_uncertainty_map(rig) -> None:
    rig.canvas.set_probability(np.full((256, 256), 0.5, np.float32))
    rig.canvas.set_uncertainty(None)  # a stage-1 model gives no uncertainty
    rig.canvas.set_view_mode(ViewMode.UNCERTAINTY)
    assert rig.canvas.map_notice() == NO_UNCERTAINTY
