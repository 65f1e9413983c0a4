"""The three rings stay visible: domain knows no Qt or SQL; services know no Qt."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "cchc_desktop"

RULES = {
    "domain": ("PySide6", "sqlalchemy", "alembic", "docx", "openpyxl", "matplotlib"),
    "services": ("PySide6",),
    "store": ("PySide6",),
    "importers": ("PySide6",),
    "exporters": ("PySide6",),
    "cli": ("PySide6",),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports(layer: str) -> None:
    forbidden = RULES[layer]
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no modules in {layer}"
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in forbidden
    ]
    assert offenders == []


def test_domain_imports_nothing_from_outer_rings() -> None:
    offenders = [
        f"{path.name} imports {name}"
        for path in (PACKAGE / "domain").rglob("*.py")
        for name in imported_modules(path)
        if name.startswith(("cchc_desktop.store", "cchc_desktop.services", "cchc_desktop.gui",
                            "cchc_desktop.cli"))
    ]
    assert offenders == []
