"""The type checker passes: strict for the domain rules, gradual elsewhere (pyproject [tool.mypy]).

mypy found real faults here before it ran in the tests: a tab that overrode QWidget.window()
with a method returning dates, a dialog attribute hiding QDialog.result().
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_passes_on_the_package():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
