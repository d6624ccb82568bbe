"""Bundle entry point of ``meddisseg-studio`` (the GUI).

torch is already imported by the runtime hook ``rth_torch_first.py``, before Qt: see there why.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # DataLoader workers re-enter the program on Windows (spawn)
    from meddisseg_studio.main import main

    sys.exit(main())
