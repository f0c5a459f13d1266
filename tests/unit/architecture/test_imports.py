"""The layers of the package: every import points down, and no modules import each other in a circle.

Read from the source, so an import inside a function counts as much as one at the top of a module
(it only hides the circle until the function runs). Imports under ``if TYPE_CHECKING:`` never run,
so they are held to the layers but not to the circle rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.mutation_testing import reads_the_source

PACKAGE = Path(__file__).resolve().parents[3] / "complaints"
pytestmark = reads_the_source

#: Bottom to top. A module may import its own layer (without circles) and the layers below it.
LAYERS: list[tuple[str, ...]] = [
    ("complaints.config", "complaints.extensions", "complaints.errors", "complaints.core"),
    ("complaints.models",),
    ("complaints.mail",),
    ("complaints.audit",),
    ("complaints.directory",),
    ("complaints.publication",),
    ("complaints.casework",),
    ("complaints.intake",),
    ("complaints.statistics",),
    ("complaints.privacy",),
    ("complaints.accounts",),
    ("complaints.operations",),
    ("complaints.cli", "complaints.public", "complaints.officer", "complaints.stats", "complaints.api"),
    ("complaints",),
]


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


MODULES = module_names()


def _type_checking_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def imports_of(name: str) -> Iterator[tuple[str, int, bool]]:
    """(imported module, line, runs) for each of a module's imports of the package, wherever it stands."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    static_only = _type_checking_lines(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                targets.append(full if full in MODULES else base)
        for target in targets:
            if target == "complaints" or target.startswith("complaints."):
                while target not in MODULES:
                    target = target.rpartition(".")[0]
                yield target, node.lineno, node.lineno not in static_only


def layer_of(name: str) -> int:
    """The index in LAYERS of the longest prefix that names the module."""
    best, rank = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    assert rank >= 0, f"{name} belongs to no layer: add it to LAYERS"
    return rank


def test_every_module_belongs_to_a_layer() -> None:
    for name in MODULES:
        layer_of(name)


def test_every_import_points_down_the_layers() -> None:
    upward = [
        f"{MODULES[name].relative_to(PACKAGE.parent)}:{line} imports {target}"
        for name in sorted(MODULES)
        for target, line, _runs in imports_of(name)
        if name != "complaints" and layer_of(target) > layer_of(name)
    ]
    assert not upward, "imports that point up the layers:\n" + "\n".join(upward)


def find_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_no_modules_import_each_other_in_a_circle() -> None:
    graph = {name: {target for target, _line, runs in imports_of(name) if runs and target != name} for name in MODULES}
    circles = find_circles(graph)
    assert not circles, "modules that import each other in a circle:\n" + "\n".join(" ↔ ".join(c) for c in circles)


def test_no_two_areas_depend_on_each_other() -> None:
    def area(name: str) -> str:
        return ".".join(name.split(".")[:2])

    graph: dict[str, set[str]] = {}
    for name in MODULES:
        for target, _line, runs in imports_of(name):
            if runs and area(target) != area(name) and name != "complaints":
                graph.setdefault(area(name), set()).add(area(target))
    circles = find_circles(graph)
    assert not circles, "areas that depend on each other:\n" + "\n".join(" ↔ ".join(c) for c in circles)


def test_the_circle_finder_finds_a_circle_hidden_in_a_function() -> None:
    # The rule must be able to fail: a → b → c → a is one circle, d stands alone.
    assert find_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_circles({"a": {"b"}, "b": set()}) == []
