"""Med-DisSeg core: networks, checkpoints, inference, training and the `meddisseg` CLI.

This package is headless: it never imports Qt or the GUI (an import-linter contract in CI
enforces that), so it runs on servers and in background training processes.
"""

__version__ = "0.1.0"
