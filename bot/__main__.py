"""Allows ``python -m bot`` as an alias of the ``linkgap`` command."""

from bot.cli import main

raise SystemExit(main())
