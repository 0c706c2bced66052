"""``python -m timeline build DIR --out OUT``: the same command as ``event-atlas``."""

from timeline.cli import main

raise SystemExit(main())
