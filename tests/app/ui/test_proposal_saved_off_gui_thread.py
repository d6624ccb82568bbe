"""A proposal is compressed and written on the worker's thread; the GUI thread only records it
(saving took 0.13-0.24 s an image on the GUI thread, which froze the window during a batch)."""

from __future__ import annotations

import threading

from ui_support import readable_keys, wait_idle


def test_proposal_file_written_by_the_worker(qtbot, opened, constant_predictor, monkeypatch) -> None:
    store = opened.workspace.project.store
    real_write = store.write_proposal
    writers: list[threading.Thread] = []

    def spying_write(key, proposal):
        writers.append(threading.current_thread())
        return real_write(key, proposal)

    monkeypatch.setattr(store, "write_proposal", spying_write)
    keys = readable_keys(opened)
    opened.proposals.set_predictor(constant_predictor, "constant")
    opened.proposals.propose(keys)
    wait_idle(qtbot, opened)

    assert len(writers) == len(keys)
    assert all(thread is not threading.main_thread() for thread in writers), writers
    project = opened.workspace.project
    assert all(project.entry(k).status.value == "proposed" for k in keys)  # recorded all the same
    assert all(project.load_proposal(k) is not None for k in keys)
