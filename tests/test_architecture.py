"""The shape of the code stays visible: the rings, the GUI's rooms, no import cycles, STYLE.md."""

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


# --------------------------------------------------------------------------- the GUI's rooms

GUI = PACKAGE / "gui"
COMMON = "common"
FEATURES = sorted(p.name for p in GUI.iterdir() if (p / "__init__.py").is_file() and p.name != COMMON)
SHELL = sorted(p.stem for p in GUI.glob("*.py") if p.stem != "__init__")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


ALL_MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path) -> set[str]:
    """Every cchc_desktop module ``path`` imports, at module level or inside a function.

    ``from package import name`` counts as importing ``package.name`` when that is a module,
    else ``package``; relative imports are resolved.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in ALL_MODULES else base)
    return {name for name in found if name.split(".")[0] == "cchc_desktop"}


def known(name: str) -> str:
    """The module of ``name`` (an imported name inside a module resolves to that module)."""
    while name not in ALL_MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


def gui_room(name: str) -> str | None:
    """"plans" for cchc_desktop.gui.plans(.x), "common", "shell" for gui's top modules."""
    parts = name.split(".")
    if parts[:2] != ["cchc_desktop", "gui"] or len(parts) < 3:
        return None
    return "shell" if parts[2] in SHELL else parts[2]


def test_the_gui_has_its_rooms() -> None:
    assert FEATURES == ["catalog", "dashboard", "documents", "evidence", "plans", "reports",
                        "scoring", "tasks"]
    assert sorted(SHELL) == ["app", "database_menu", "features", "help", "instances",
                             "login_dialog", "main_window", "reminder", "screenshots", "shell",
                             "startup", "window_menus"]


def test_features_use_each_other_only_through_their_package() -> None:
    """A feature may use another's public names (its __init__), never its modules."""
    offenders = []
    for feature in FEATURES:
        for path in (GUI / feature).rglob("*.py"):
            for name in imports_of(path):
                room = gui_room(name)
                if room == "shell":
                    offenders.append(f"{module_name(path)} imports the shell's {name}")
                elif room not in (None, COMMON, feature) and name != f"cchc_desktop.gui.{room}":
                    offenders.append(f"{module_name(path)} imports {name}, inside {room}")
    assert offenders == []


def test_feature_packages_list_their_public_names() -> None:
    """A feature's __init__ lists its public names (PUBLIC, __all__, the typing imports) and
    imports none of its modules when it runs: finding a tab's module must stay cheap."""
    for feature in FEATURES:
        init = GUI / feature / "__init__.py"
        tree = ast.parse(init.read_text(encoding="utf-8"))
        assigned = {
            target.id: node.value
            for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)
        }
        typed = {
            alias.name: (node.module or "").rpartition(".")[2]
            for block in tree.body if isinstance(block, ast.If)  # if TYPE_CHECKING:
            for node in block.body if isinstance(node, ast.ImportFrom)
            for alias in node.names
        }
        public = ast.literal_eval(assigned["PUBLIC"]) if "PUBLIC" in assigned else {}
        assert public == typed, feature
        if public:
            assert sorted(ast.literal_eval(assigned["__all__"])) == sorted(public), feature
        for module in public.values():
            assert (GUI / feature / f"{module}.py").is_file(), f"{feature}.{module}"
        run_time = module_level_imports(init) - {"typing"}
        assert run_time <= {"cchc_desktop.gui.common.exports"}, f"{feature}: {run_time}"


def test_common_imports_no_feature_and_not_the_shell() -> None:
    offenders = [
        f"{module_name(path)} imports {name}"
        for path in (GUI / COMMON).rglob("*.py")
        for name in imports_of(path)
        if gui_room(name) not in (None, COMMON)
    ]
    assert offenders == []


def test_no_import_cycles() -> None:
    """No module imports itself through others (no two modules import each other)."""
    graph = {
        name: {known(dep) for dep in imports_of(path)} - {name}
        for name, path in ALL_MODULES.items()
    }
    # A module's package __init__ runs first, so an __init__ that re-exports its modules is
    # not a cycle with them: only edges written in the code count.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in graph.get(node, ()):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert cycles == []


# --------------------------------------------------------------------------- STYLE.md


def module_level_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_front_ends_import_heavy_libraries_lazily() -> None:
    """Start-up time is a feature: matplotlib, python-docx, openpyxl and the exporters are
    imported inside the function that needs them, never when gui/ or cli/ is imported."""
    heavy = ("matplotlib", "docx", "openpyxl", "python_calamine", "cchc_desktop.exporters")
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for layer in ("gui", "cli")
        for path in (PACKAGE / layer).rglob("*.py")
        for name in module_level_imports(path)
        if any(name == h or name.startswith(f"{h}.") for h in heavy)
    ]
    assert offenders == []


def test_settings_are_read_in_one_typed_module() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "QSettings" in path.read_text(encoding="utf-8")
        and path != GUI / COMMON / "settings.py"
    ]
    assert offenders == []


def test_no_star_imports() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)
    ]
    assert offenders == []
