"""PyInstaller entry script of the bundled command line (``cchc``)."""

import sys

from cchc_desktop.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
