"""``python -m cchc_desktop`` starts the GUI."""

import sys

from cchc_desktop.gui.app import main

sys.exit(main())
