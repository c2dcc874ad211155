"""``python -m speaktracker_dev``: the whole dev stack (``make dev``)."""

import sys

from .stack import main

sys.exit(main())
