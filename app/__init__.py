"""Med-DisSeg Studio, the desktop annotation app (imported as ``meddisseg_studio``)."""

__version__ = "0.1.0"
