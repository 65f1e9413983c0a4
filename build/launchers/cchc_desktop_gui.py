"""PyInstaller entry script of the bundled GUI (``cchc-desktop``)."""

import sys

from cchc_desktop.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
