"""``python -m conv_anim``: the ``conv-anim`` command line (see :mod:`conv_anim.cli`)."""

from conv_anim.cli import main

raise SystemExit(main())
