"""Fault harness: bad inputs through the ``meddisseg`` CLI, with the exit code and message each must give.

The table is ``bad_inputs.CASES``: corrupt, truncated, empty and oversized images, symlink
loops, wrong-size and missing masks, bad split files, empty, foreign, tampered and malicious
checkpoints, and bad paths and options, through predict, evaluate, train and selftest. Every
case must end with its exit code and a message naming what is wrong, never a traceback, and no
malicious pickle may ever run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from bad_inputs import CASES, build_zoo

from meddisseg_core.cli import main as cli_main

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(folder of bad inputs, a tiny good model) shared by all cases."""
    from meddisseg_core.checkpoint import InputConvention, ModelMetadata, save_model
    from meddisseg_core.nn import NetworkConfig, build_network

    root = tmp_path_factory.mktemp("zoo")
    torch.manual_seed(0)
    network = build_network(NetworkConfig.tiny(1))
    weights = root / "tiny.safetensors"
    save_model(weights, network, ModelMetadata(network=network.config, input=InputConvention(size=(64, 64))))
    return build_zoo(root / "zoo", weights), weights


@pytest.fixture(autouse=True)
def _one_torch_thread() -> Iterator[None]:
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_the_table_has_at_least_30_distinct_cases() -> None:
    ids = [case[0] for case in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 30
    assert {argv[0] for _id, argv, _code, _frags in CASES} == {"predict", "evaluate", "train", "selftest"}


@pytest.mark.parametrize(("case_id", "argv", "code", "fragments"), CASES, ids=[case[0] for case in CASES])
def test_bad_input_gives_its_exit_code_and_message(
    zoo: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case_id: str,
    argv: list[str],
    code: int,
    fragments: tuple[str, ...],
) -> None:
    folder, weights = zoo
    out = tmp_path / "out"
    args = [part.format(zoo=folder, weights=weights, out=out) for part in argv]
    try:
        got = cli_main.main(args)
    except SystemExit as exc:  # argparse refuses bad options itself (exit 2)
        got = exc.code
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert got == code, f"{case_id}: exit {got}, expected {code}\n{text}"
    for fragment in fragments:
        assert fragment in text, f"{case_id}: {fragment!r} not in the output\n{text}"
    assert "Traceback" not in text
    assert not (folder / "pwned").exists(), "a malicious pickle ran"
    one_bad_file = len(argv) == 9 and "/predict/" in argv[6]  # _predict_folder(name) with no other option
    if argv[0] == "predict" and one_bad_file:  # the good image beside the bad file still got its mask
        assert sorted(p.name for p in out.iterdir()) == ["good.png"]
