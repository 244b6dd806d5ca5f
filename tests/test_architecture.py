"""The house: layers import only downward, no import cycle, only the command line prints, no private name is
imported across packages (nor by a test), and docs/architecture.md maps every module."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# lowest first: a module may import its own layer and the layers before it, never a later one
LAYERS = ["models", "planner.output", "planner.draw", "planner.schedule", "planner.plan", "planner.quarter",
          "planner.whatif", "planner.check", "planner.export", "planner.many", "planner.store", "planner.cli", "app"]
PROJECT = ("models", "planner", "app", "tools")


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.glob("**/*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] not in PROJECT:
            continue
        name = ".".join(rel.with_suffix("").parts).removesuffix(".__init__")
        out[name] = path
    return out


def imports_of(path: Path, name: str) -> set[str]:
    """Project modules `path` imports, anywhere in the file (imports inside functions count too)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {m for m in found if m.split(".")[0] in PROJECT}


def layer(module: str) -> int | None:
    matches = [i for i, prefix in enumerate(LAYERS) if module == prefix or module.startswith(prefix + ".")]
    return max(matches) if matches else None


def test_layers_import_only_downward():
    mods = modules()
    wrong = []
    for name, path in mods.items():
        own = layer(name)
        if own is None:
            continue
        for target in imports_of(path, name):
            other = layer(target)
            tools_outside_cli = target.startswith("tools") and not name.startswith("planner.cli")
            if tools_outside_cli or (other is not None and other > own):
                wrong.append(f"{name} -> {target}")
    assert wrong == []


def test_models_and_planner_never_import_the_app_or_streamlit():
    for name, path in modules().items():
        if name.startswith(("models", "planner")):
            text = path.read_text(encoding="utf-8")
            assert "import streamlit" not in text and "from app" not in text, name


def test_no_import_cycle():
    mods = modules()
    graph = {name: {t for t in imports_of(path, name) if t in mods and t != name} for name, path in mods.items()}
    # a package importing its own submodules (re-exports) is not a cycle through the package
    for name in graph:
        graph[name] = {t for t in graph[name] if not (name.startswith(t + ".") and mods[t].name == "__init__.py")}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node: str, trail: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle.extend(trail + [node, nxt])
                return True
            if nxt not in state and visit(nxt, trail + [node]):
                return True
        state[node] = 2
        return False

    assert not any(visit(n, []) for n in sorted(graph) if n not in state), " -> ".join(cycle)


def test_only_the_command_line_prints():
    printing = []
    for name, path in modules().items():
        if name.startswith(("planner.cli", "app", "tools")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print":
                printing.append(f"{name}:{node.lineno}")
    assert printing == []


def private_imports(path: Path, name: str) -> list[str]:
    """`from X import _name` in `path`: (X, _name) of every private name it imports from the project."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            if base.split(".")[0] in PROJECT:
                found += [(base, a.name) for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
    return found


def test_no_private_name_is_imported_across_packages_and_tests_import_public_names_only():
    wrong = []
    for name, path in modules().items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for source, private in private_imports(path, name):
            source_package = source if (ROOT / Path(*source.split("."))).is_dir() else source.rpartition(".")[0]
            if source_package != package:
                wrong.append(f"{name}: from {source} import {private}")
    for path in sorted((ROOT / "tests").glob("**/*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        wrong += [f"{name}: from {source} import {private}" for source, private in private_imports(path, name)
                  if not source.startswith("tests")]
    assert wrong == []


def map_sections() -> dict[str, str]:
    """docs/architecture.md's map: each package ('planner/cli/', 'models/loading/') or top-level module
    ('planner/output.py') -> the text the map gives under it."""
    block = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8").split("```")[1]
    sections: dict[str, list[str]] = {}
    top, sub = "", None
    for line in block.splitlines():
        if not line.strip():
            continue
        indent, first = len(line) - len(line.lstrip()), line.split()[0]
        if indent == 0:
            top, sub = first, None
            sections.setdefault(top, [])
            continue
        if indent == 2:
            sub = top + first if first.endswith("/") else None
            if sub:
                sections.setdefault(sub, [])
                continue
        sections[sub or top].append(line)
    return {key: "\n".join(lines) for key, lines in sections.items()}


def test_every_module_of_planner_and_models_is_in_the_map():
    sections = map_sections()
    missing = []
    for path in sorted([*ROOT.glob("models/**/*.py"), *ROOT.glob("planner/**/*.py")]):
        rel = path.relative_to(ROOT)
        package = rel.parent.as_posix() + "/"
        if rel.as_posix() in sections or (path.name == "__init__.py" and package in sections):
            continue
        if not re.search(rf"(?<![\w.]){re.escape(path.name)}\b", sections.get(package, "")):
            missing.append(rel.as_posix())
    assert missing == []


def test_the_docs_name_only_files_that_exist():
    """Markdown links, and repository paths in code spans (`planner/plan/api.py`), point at real files."""
    wrong = []
    pages = [*ROOT.glob("*.md"), *ROOT.glob("docs/**/*.md"), *ROOT.glob("fixtures/**/*.md")]
    for page in sorted(pages):
        text = page.read_text(encoding="utf-8")
        links = [page.parent / m.group(1) for m in re.finditer(r"\]\(([^)#\s:]+)(#[^)]*)?\)", text)]
        spans = [ROOT / m.group(1).rstrip(".") for m in
                 re.finditer(r"`((?:docs|planner|models|app|tools|tests|scripts|fixtures)/[\w./-]+)`", text)]
        wrong += [f"{page.relative_to(ROOT)}: {target}" for target in links + spans if not target.exists()]
    assert wrong == []
