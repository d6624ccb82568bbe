"""Bundle entry point of ``meddisseg`` (the CLI; the app starts training jobs through it)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from meddisseg_core.cli.main import main

    sys.exit(main())
