"""`python -m giftwatch.web serve|token ...`: the `giftwatch` command line, for running the web layer directly."""
from __future__ import annotations

from giftwatch.cli import main

if __name__ == "__main__":
    main()
