"""`meddisseg-studio FOLDER` starts the app with the folder open and returns Qt's exit code.

The window is up before torch (and pyqtgraph) are imported, and before numpy and OpenCV load: the
model loads in the background and says so ("loading model…"). The app runs in its own process
(startup_probe.py), so its imports are its own and quitting it leaves this test process's event
loop alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ui_support import N_KVASIR

from meddisseg_studio.main import parse_args

PROBE = Path(__file__).with_name("startup_probe.py")


def test_parse_args() -> None:
    args = parse_args(["images", "--state-dir", "elsewhere"])
    assert args.folder == Path("images") and args.state_dir == Path("elsewhere")
    assert parse_args([]).folder is None


def test_window_shows_before_torch_and_opens_folder(image_folder: Path, tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MEDDISSEG_HOME=str(tmp_path / "home"))
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # QSettings: never the user's preferences
    done = subprocess.run(
        [sys.executable, str(PROBE), str(image_folder), str(report_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(report_path.read_text())
    assert report["shown"] is True
    assert report["torch_imported"] is False
    assert report["pyqtgraph_imported"] is False
    assert report["numpy_loaded"] is False and report["cv2_loaded"] is False  # deferred_imports
    assert report["rows"] == N_KVASIR + 1
    assert report["device"] == "Device: loading model…"
    assert report["exit_code"] == 0
    assert report["torch_imported_at_exit"] is True  # the model loader did run, on its own thread
    assert report["numpy_loaded_at_exit"] is True
