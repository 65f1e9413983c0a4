"""Packaging stays in step with the code: resource folders, wheel, PyInstaller spec, version.

Fast checks only (no PyInstaller run): the bundle itself is built and run by
``make bundle`` (build/build.py --smoke) in CI.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import cchc_desktop
from cchc_desktop import resources
from cchc_desktop.resources import FOLDERS, resource_path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build" / "cchc.spec"


def load_build_script():
    spec = importlib.util.spec_from_file_location("cchc_build_script", ROOT / "build" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def spec_assignment(name: str):
    """The literal value assigned to ``name`` at the top level of build/cchc.spec."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node.value
    raise AssertionError(f"build/cchc.spec assigns no {name}")


@pytest.fixture
def fresh_resource_cache():
    resources._root_for.cache_clear()
    yield
    resources._root_for.cache_clear()


@pytest.mark.usefixtures("fresh_resource_cache")
def test_resource_path_finds_the_source_folders():
    assert resource_path("db", "migrations", "env.py").is_file()
    assert list(resource_path("db", "migrations", "versions").glob("0001_*.py"))
    assert resource_path("ui").is_dir()
    assert resource_path("resources", "icons", "app.png").is_file()
    for folder in FOLDERS:
        assert resource_path(folder) == ROOT / folder


@pytest.mark.usefixtures("fresh_resource_cache")
def test_resource_path_prefers_the_bundle_folder(tmp_path, monkeypatch):
    for folder in FOLDERS:
        (tmp_path / folder).mkdir()
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    for folder in FOLDERS:
        assert resource_path(folder, "x.txt") == tmp_path / folder / "x.txt"


def test_unknown_resource_folder_is_refused():
    with pytest.raises(ValueError):
        resource_path("templates")


def test_wheel_force_includes_every_resource_folder():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert {folder: f"cchc_desktop/_data/{folder}" for folder in FOLDERS}.items() <= force.items()


def test_spec_datas_cover_every_resource_folder():
    folders = ast.literal_eval(spec_assignment("RESOURCE_FOLDERS"))
    assert set(folders) == set(FOLDERS)
    # Each folder is copied to the same name under sys._MEIPASS (what resources.py looks for).
    datas = ast.unparse(spec_assignment("datas"))
    assert datas == "[(str(ROOT / folder), folder) for folder in RESOURCE_FOLDERS]"


def test_spec_builds_both_programs_into_one_folder():
    text = SPEC.read_text(encoding="utf-8")
    assert 'name="cchc-desktop"' in text and 'name="cchc"' in text
    coll = text[text.index("COLLECT(") :]
    assert "gui_exe" in coll and "cli_exe" in coll
    assert "CCHC_BUNDLE_DEBUG" in text


def test_version_has_one_place():
    build = load_build_script()
    assert build.read_version() == cchc_desktop.__version__
    assert build.bundle_dir().name == f"cchc-desktop-{cchc_desktop.__version__}"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "cchc_desktop/__init__.py"


def test_application_icons_are_real_images():
    from PIL import Image

    with Image.open(ROOT / "resources" / "icons" / "app.png") as png:
        assert png.size == (256, 256)
    with Image.open(ROOT / "resources" / "icons" / "app.ico") as ico:
        assert (16, 16) in ico.info["sizes"] and (256, 256) in ico.info["sizes"]


def test_layout_check_reports_a_missing_resource_folder(tmp_path):
    build = load_build_script()
    suffix = build.EXE_SUFFIX
    (tmp_path / f"cchc{suffix}").write_bytes(b"")
    (tmp_path / f"cchc-desktop{suffix}").write_bytes(b"")
    internal = tmp_path / "_internal"
    (internal / "ui").mkdir(parents=True)
    (internal / "ui" / "README.md").write_text("x")
    (internal / "db" / "migrations" / "versions").mkdir(parents=True)
    (internal / "db" / "migrations" / "env.py").write_text("x")
    (internal / "db" / "migrations" / "versions" / "0001_initial_schema.py").write_text("x")
    with pytest.raises(build.BuildFailure, match="resources"):
        build.check_layout(tmp_path)
    (internal / "resources").mkdir()
    (internal / "resources" / "README.md").write_text("x")
    with pytest.raises(build.BuildFailure, match="forms missing"):
        build.check_layout(tmp_path)
    for form in (ROOT / "ui").glob("*.ui"):
        (internal / "ui" / form.name).write_text("x")
    with pytest.raises(build.BuildFailure, match="QtUiTools"):
        build.check_layout(tmp_path)
    (internal / "PySide6").mkdir()
    (internal / "PySide6" / "QtUiTools.abi3.so").write_bytes(b"")
    build.check_layout(tmp_path)
    assert build.folder_size_mb(tmp_path) > 0


def _run_under_probe(tmp_path: Path, gui_code: str) -> list[str]:
    """Run ``gui_code`` with the start-up probe loaded first; the lines the probe wrote."""
    target = tmp_path / "shown.txt"
    code = (
        "import runpy, sys\n"
        f"runpy.run_path({str(ROOT / 'build' / 'rth_startup_probe.py')!r})\n"
        "from PySide6.QtCore import QTimer, Signal\n"
        "from PySide6.QtWidgets import QApplication, QLabel, QMainWindow\n"
        "app = QApplication(sys.argv[:1])\n" + gui_code + "sys.exit(app.exec())\n"
    )
    env = dict(os.environ, CCHC_STARTUP_PROBE=str(target), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", code], env=env, timeout=60, capture_output=True)
    assert result.returncode == 0, result.stderr
    return target.read_text(encoding="utf-8").splitlines()


def test_startup_probe_records_the_first_shown_window(tmp_path):
    (line,) = _run_under_probe(tmp_path, "label = QLabel('x'); label.show()\n")
    stamp, shown = line.split()
    assert float(stamp) > 0
    assert shown == "1"


def test_startup_probe_waits_for_the_database_of_a_loading_window(tmp_path):
    first, second = _run_under_probe(tmp_path, (
        "class Shell(QMainWindow):\n"
        "    database_ready = Signal()\n"
        "    ctx = None\n"
        "w = Shell(); w.show()\n"
        "QTimer.singleShot(300, w.database_ready.emit)\n"
    ))
    shown = float(first.split()[0])
    label, ready = second.split()
    assert label == "ready" and float(ready) - shown >= 0.25


def spec_functions(*names: str) -> dict:
    """Top-level constants and the named functions of build/cchc.spec, run without PyInstaller."""
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    wanted = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            wanted.append(node)
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets):
            try:
                ast.literal_eval(node.value)
            except ValueError:
                continue
            wanted.append(node)
    namespace = {"Path": Path}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), str(SPEC), "exec"), namespace)
    return namespace


def test_spec_keeps_needed_data_and_drops_the_rest():
    keep_data = spec_functions("keep_data")["keep_data"]
    assert keep_data("PySide6/Qt/translations/qtbase_vi.qm")
    assert keep_data("PySide6/Qt/translations/qtbase_en.qm")
    assert not keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not keep_data("PySide6/translations/qt_ja.qm")  # the Windows layout
    assert not keep_data("matplotlib/mpl-data/sample_data/goog.npz")
    assert keep_data("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf")
    assert keep_data("matplotlib/mpl-data/matplotlibrc")
    for folder in FOLDERS:
        assert keep_data(f"{folder}/README.md")


def test_spec_drops_only_embedded_device_qt_plugins():
    dropped = spec_functions("is_dropped_plugin")["is_dropped_plugin"]
    for plugin in ("platforms/libqvnc.so", "platforms/libqeglfs.so", "generic/libqtuiotouchplugin.so",
                   "platformthemes/libqgtk3.so", "egldeviceintegrations/libqeglfs-kms-integration.so",
                   "tls/libqopensslbackend.so", "networkinformation/libqglib.so",
                   "imageformats/libqtiff.so", "imageformats/libqwebp.so"):
        assert dropped(f"PySide6/Qt/plugins/{plugin}"), plugin
    for plugin in ("platforms/libqxcb.so", "platforms/libqoffscreen.so", "platforms/libqwayland.so",
                   "imageformats/libqjpeg.so", "iconengines/libqsvgicon.so",
                   "platformthemes/libqxdgdesktopportal.so"):
        assert not dropped(f"PySide6/Qt/plugins/{plugin}"), plugin
    assert not dropped("PySide6/plugins/platforms/qwindows.dll")
    assert not dropped("PySide6/plugins/styles/qmodernwindowsstyle.dll")
    assert not dropped("PySide6/Qt/lib/libQt6Gui.so.6")
