"""The Windows installer script: per-user, shortcuts, uninstall entry, data kept; it compiles."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "build" / "installer" / "cchc-desktop.nsi"


def _script() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def _lines(section_start: str) -> list[str]:
    """The statements of the section that begins with ``section_start`` (comments dropped)."""
    text = _script()
    body = text[text.index(section_start):]
    body = body[:body.index("SectionEnd")]
    return [line.strip() for line in body.splitlines()
            if line.strip() and not line.strip().startswith(";")]


def test_installs_per_user_without_administrator_rights() -> None:
    text = _script()
    assert re.search(r"^RequestExecutionLevel user$", text, re.M)
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\', text, re.M)
    assert "HKLM" not in text  # nothing machine-wide: no rights needed, nothing left for IT
    assert "$PROGRAMFILES" not in text


def test_shortcuts_and_uninstall_entry() -> None:
    main = _lines('Section "Chương trình"')
    assert any(line.startswith('CreateShortcut "$SMPROGRAMS') and "${APP_EXE}" in line for line in main)
    assert any(line.startswith('CreateShortcut "$DESKTOP') for line in main)
    assert any("UninstallString" in line for line in main)
    assert any(line.startswith('WriteUninstaller "$INSTDIR\\uninstall.exe"') for line in main)


def test_upgrade_and_uninstall_never_touch_the_data_folder() -> None:
    # The data lives in %LOCALAPPDATA%\CCHC Desktop (platformdirs), apart from the program.
    for section in ('Section "Chương trình"', 'Section "Uninstall"'):
        for line in _lines(section):
            if line.startswith(("RMDir ", "Delete ")):
                assert "$INSTDIR" in line or "$SMPROGRAMS" in line or "$DESKTOP" in line, line
                assert "$LOCALAPPDATA" not in line and "$APPDATA" not in line, line
            if line.startswith("RMDir /r"):
                assert line == 'RMDir /r "$INSTDIR\\_internal"', line  # only the program's own folder
    uninstall = _lines('Section "Uninstall"')
    assert 'RMDir "$INSTDIR"' in uninstall  # removed only when nothing else is left in it


def test_the_data_folder_is_not_the_install_folder() -> None:
    from cchc_desktop.store.sqlite_file import APP_DIR_NAME

    install = re.search(r'^InstallDir "([^"]+)"', _script(), re.M).group(1)
    assert install.replace("${APP_NAME}", "CCHC Desktop") != f"$LOCALAPPDATA\\{APP_DIR_NAME}"


def test_word_pdf_dependency_is_shipped_on_windows_only() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    bundle = extras["project"]["optional-dependencies"]["bundle"]
    assert any(dep.startswith("pywin32") and "sys_platform == 'win32'" in dep for dep in bundle)
    assert "win32com.client" in (ROOT / "build" / "cchc.spec").read_text(encoding="utf-8")


@pytest.mark.skipif(shutil.which("makensis") is None, reason="NSIS is not installed (apt-get install nsis)")
def test_the_script_compiles() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "build" / "installer.py"), "--check"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "installer script compiles" in result.stdout


def test_a_missing_bundle_is_a_clear_error(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "build"))
    try:
        import installer
    finally:
        sys.path.remove(str(ROOT / "build"))
    if shutil.which("makensis") is None:
        pytest.skip("NSIS is not installed")
    with pytest.raises(installer.BuildFailure, match="no PyInstaller bundle"):
        installer.compile_installer(tmp_path / "nothing", tmp_path / "setup.exe")
