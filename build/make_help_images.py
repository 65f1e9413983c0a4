"""Makes the user guide's pictures: resources/help/images/*.png (committed).

Builds a demo database in a temporary folder, runs the program's own screenshot mode on it
at 1366x768 (the usual office laptop, window maximised) and stores each tab's picture reduced to a palette PNG
that the guide shows 820 pixels wide. Run again after a visible change to the window:
``.venv/bin/python build/make_help_images.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "resources" / "help" / "images"
WIDTH = 820
TASKS = 300


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    with tempfile.TemporaryDirectory(prefix="cchc-help-") as tmp:
        env = dict(os.environ, CCHC_DATA_DIR=tmp, QT_QPA_PLATFORM="offscreen",
                   PYTHONPATH=str(ROOT))
        env.pop("CCHC_USER", None)
        db = str(Path(tmp) / "huong-dan.sqlite3")
        shots = Path(tmp) / "shots"
        _run(["cchc_desktop.cli.main", "--db", db, "init"], env)
        _run(["cchc_desktop.cli.main", "--db", db, "demo", "--tasks", str(TASKS)], env)
        _run(["cchc_desktop.cli.main", "--db", db, "scoring", "template", "--year", "2026"], env)
        _run(["cchc_desktop", "--db", db, "--screenshots", str(shots), "--size", "1366x768"], env)
        TARGET.mkdir(parents=True, exist_ok=True)
        for old in TARGET.glob("*.png"):
            old.unlink()
        for picture in sorted(shots.glob("*.png")):
            image = QImage(str(picture)).scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
            image = image.convertToFormat(QImage.Format.Format_Indexed8)
            image.save(str(TARGET / picture.name), "PNG", 0)
            print(TARGET / picture.name, (TARGET / picture.name).stat().st_size // 1024, "KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
