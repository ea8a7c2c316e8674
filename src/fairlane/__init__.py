"""fairlane: escalate the right tickets to the right people at the right time, fairly."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
