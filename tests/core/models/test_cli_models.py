"""`meddisseg models list | import | use | remove` on the registry in the user data folder."""

from __future__ import annotations

import hashlib

from meddisseg_core.cli.main import main
from meddisseg_core.models import ModelRegistry


def _user_records() -> list:
    # The installation's default model (resources/models/default.safetensors, when it ships) is
    # synced in as a "shipped" record by every registry command; the user's own are the rest.
    return [r for r in ModelRegistry().records() if r.source != "shipped"]


def test_import_list_use_remove(make_safetensors, tmp_path, capsys) -> None:
    path = make_safetensors("colon.safetensors", seed=2)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["models", "import", str(path), "--name", "Colon v1"]) == 0
    model_id = capsys.readouterr().out.split()[0]

    assert main(["models", "list"]) == 0
    listing = capsys.readouterr().out
    row = next(line for line in listing.splitlines() if model_id in line)
    assert "imported" in row and sha in row and "Colon v1" in row

    assert main(["models", "use", model_id, "--folder", str(tmp_path)]) == 0
    assert ModelRegistry().current_id(tmp_path) == model_id
    assert main(["models", "remove", model_id]) == 2  # current: refused with a message
    assert "current for" in capsys.readouterr().err
    assert main(["models", "remove", model_id, "--force"]) == 0
    assert _user_records() == []


def test_import_of_a_bad_file_fails_cleanly(tmp_path, capsys) -> None:
    bad = tmp_path / "notes.pth"
    bad.write_bytes(b"not a checkpoint")
    assert main(["models", "import", str(bad)]) == 2
    assert str(bad) in capsys.readouterr().err
    assert _user_records() == []
