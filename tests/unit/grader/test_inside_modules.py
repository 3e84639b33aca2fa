"""The sandbox's modules (services/grader/inside/) import each other in one direction only:
no module is reached again from what it imports (TYPE_CHECKING imports aside)."""

import ast
from pathlib import Path

INSIDE = Path(__file__).resolve().parents[3] / "services" / "grader" / "inside"


def imports() -> dict[str, set[str]]:
    names = {path.stem for path in INSIDE.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name in names:
        tree = ast.parse((INSIDE / f"{name}.py").read_text())
        typing_only = {
            id(node)
            for block in ast.walk(tree)
            if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
            for node in ast.walk(block)
        }
        found = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name in names}
            elif isinstance(node, ast.ImportFrom) and node.module in names:
                found.add(node.module)
        graph[name] = found
    return graph


def test_no_module_imports_itself_through_another():
    graph = imports()

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for step in graph[start]:
            if step == target or (step not in seen and reaches(step, target, seen | {step})):
                return True
        return False

    circles = [name for name in graph if reaches(name, name, {name})]
    assert circles == []


def test_the_child_never_imports_the_judges_side():
    graph = imports()
    child, seen = ["student"], set()
    while child:
        name = child.pop()
        seen.add(name)
        child += [step for step in graph[name] if step not in seen]
    assert not seen & {"judge", "remote", "testkit", "explain", "programs", "job"}
