"""After a cancelled "Propose all", proposing all again goes on with the images left: those that
already have a proposal from the model in use are skipped (not rewritten), unless asked to replace."""

from __future__ import annotations

from ui_support import GatedPredictor, readable_keys, wait_idle


class CountingPredictor(GatedPredictor):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []

    def predict(self, image, *, with_uncertainty: bool = False):
        self.calls.append(1)
        return super().predict(image, with_uncertainty=with_uncertainty)


def test_propose_all_continues_with_the_rest(qtbot, opened) -> None:
    keys = readable_keys(opened)
    predictor = CountingPredictor()
    opened.proposals.set_predictor(predictor, "gated")
    project = opened.workspace.project

    def proposed() -> list[str]:
        return [k for k in keys if project.entry(k).model_id == "gated"]

    opened.proposals.propose_unreviewed()
    predictor.release(1)
    qtbot.waitUntil(lambda: len(proposed()) == 1, timeout=20_000)
    opened.jobs.cancel()
    predictor.release(1)  # the image in progress when cancelled finishes; then the job stops
    wait_idle(qtbot, opened)
    done = proposed()
    assert 1 <= len(done) < len(keys)
    written = {k: project.store.proposal_path(k).stat().st_mtime_ns for k in done}
    calls_before = len(predictor.calls)

    predictor.release(len(keys))
    with qtbot.waitSignal(opened.proposals.batchFinished, timeout=20_000) as finished:
        opened.proposals.propose_unreviewed()
    wait_idle(qtbot, opened)

    left = len(keys) - len(done)
    assert f"{left} of {left} image(s) proposed" in finished.args[0]
    assert len(predictor.calls) - calls_before == left  # the finished ones were not run again
    assert proposed() == keys
    assert {k: project.store.proposal_path(k).stat().st_mtime_ns for k in done} == written

    predictor.release(len(keys))
    with qtbot.waitSignal(opened.proposals.batchFinished, timeout=20_000) as again:
        opened.proposals.propose_unreviewed_again()  # asked to replace: all of them
    wait_idle(qtbot, opened)
    assert f"{len(keys)} of {len(keys)} image(s) proposed" in again.args[0]
