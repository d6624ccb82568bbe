import sys

from meddisseg_core.cli.main import main

sys.exit(main())
