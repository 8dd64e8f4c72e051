"""Follows an entry module's imports through the project's own packages, to the last one."""

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Closure:
    """The project modules an entry point needs, and what it imports from outside the project."""

    root: Path
    modules: dict[str, Path] = field(default_factory=dict)
    third_party: set[str] = field(default_factory=set)

    def files(self) -> list[Path]:
        return sorted(self.modules.values())

    def packages(self) -> list[str]:
        return sorted(name for name, path in self.modules.items() if path.name == "__init__.py")


def follow(entry_modules: Iterable[str], root: Path = PROJECT_ROOT) -> Closure:
    """Every project module reachable by import from `entry_modules`, parent packages included.

    Imports are read, not run: a module imported only inside a function counts as well, and
    one named only in a string (importlib) does not, so entry points name their modules plainly.
    """
    closure = Closure(root)
    waiting = list(entry_modules)
    while waiting:
        name = waiting.pop()
        if name in closure.modules:
            continue
        path = module_file(name, root)
        if path is None:
            continue  # `from package import name` where the name is not a module of its own
        closure.modules[name] = path
        waiting.extend(parent_packages(name))
        for imported in imports_of(path, name):
            if module_file(imported.split(".")[0], root) is not None:
                waiting.append(imported)
            elif imported.split(".")[0] not in sys.stdlib_module_names:
                closure.third_party.add(imported)
    return closure


def module_file(name: str, root: Path) -> Path | None:
    base = root.joinpath(*name.split("."))
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def parent_packages(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def imports_of(path: Path, name: str) -> Iterator[str]:
    """Each module an import statement may load: `from a import b` names `a` and maybe `a.b`."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node.module, node.level, package)
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names if alias.name != "*")


def _absolute(module: str | None, level: int, package: str) -> str:
    if level == 0:
        return module or ""
    base = package.split(".")[: len(package.split(".")) - (level - 1)]
    return ".".join([*base, *([module] if module else [])])
