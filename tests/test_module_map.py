"""The module map: the case record flows one way, from events up to the sites that show it.

events (incidents, contacts, sources) <- prisoners (the record and the lapse rule) <- alerts, publicsite.
No app imports one above it, no import hides inside a function, and casetracker's shared modules
import no app at all (the project modules that wire everything together excepted).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["events", "prisoners", "alerts", "publicsite", "registers", "review"]  # each may import only those before it
WIRING = {"casetracker.settings", "casetracker.urls", "casetracker.celery", "casetracker.demo", "casetracker.wsgi",
          "casetracker.asgi"}  # fmt: skip


def modules():
    for package in ["casetracker", *LAYERS]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"), path


def imports(name, path):
    """(imported module, line, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            nested = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.rsplit(".", child.level - 1)[0] if child.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                found.extend((f"{base}.{alias.name}", child.lineno, in_function) for alias in child.names)
            visit(child, nested)

    visit(tree, False)
    return found


def app_of(module):
    return module.split(".")[0]


def test_no_app_imports_one_above_it():
    wrong = []
    for name, path in modules():
        own = app_of(name)
        for imported, line, _ in imports(name, path):
            target = app_of(imported)
            if own in LAYERS and target in LAYERS and LAYERS.index(target) > LAYERS.index(own):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
            if own == "casetracker" and name not in WIRING and target in LAYERS:
                wrong.append(f"{path.relative_to(ROOT)}:{line} (shared module) imports {imported}")
    assert wrong == []


def test_no_import_hides_inside_a_function():
    # AppConfig.ready() is the one place Django asks for late imports (the registry is ready only then).
    hidden = [
        f"{path.relative_to(ROOT)}:{line} imports {imported}"
        for name, path in modules()
        if path.name != "apps.py"
        for imported, line, in_function in imports(name, path)
        if in_function
    ]
    assert hidden == []


@pytest.mark.parametrize("upper, lower", [("prisoners", "events"), ("publicsite", "prisoners")])
def test_the_checker_sees_real_imports(upper, lower):
    """Guard against a checker that finds nothing: the layers really are connected downwards."""
    found = {
        app_of(imported) for name, path in modules() if app_of(name) == upper for imported, *_ in imports(name, path)
    }
    assert lower in found
