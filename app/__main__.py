"""``python -m meddisseg_studio [FOLDER]``."""

from meddisseg_studio.main import main

raise SystemExit(main())
