"""Bundle entry point of ``meddisseg-studio`` (the GUI).

The OpenMP runtime torch uses is already loaded by the runtime hook ``rth_static_tls_first.py``, before
Qt: see there why. torch itself is imported after the window is painted, as in a pip install.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # DataLoader workers re-enter the program on Windows (spawn)
    from meddisseg_studio.main import main

    sys.exit(main())
