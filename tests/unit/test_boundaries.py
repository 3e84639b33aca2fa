"""Services never import each other; events/ depends on msgspec only; common/ not on services."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())


def imported_modules(folder: Path) -> set[str]:
    names: set[str] = set()
    for file in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(), str(file))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
    return names


def test_there_are_five_services():
    assert SERVICES == ["command_api", "grader", "projector", "push", "query_api"]


def test_no_service_imports_another_service():
    for name in SERVICES:
        others = [f"services.{o}" for o in SERVICES if o != name]
        bad = {m for m in imported_modules(ROOT / "services" / name) if m.startswith(tuple(others))}
        assert not bad, f"services/{name} imports {bad}"


def test_events_depend_on_msgspec_and_the_standard_library_only():
    allowed = ("events", "msgspec", "datetime", "typing", "uuid", "collections", "hashlib", "hmac")
    bad = {m for m in imported_modules(ROOT / "events") if not m.startswith(allowed)}
    assert not bad


def test_common_does_not_import_services():
    assert not {m for m in imported_modules(ROOT / "common") if m.startswith("services")}
