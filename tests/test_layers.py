"""The package's layers, read from the source (ast), not from a running import.

bayesreg is built in layers, each importing only the layers below it:

1. ``model``: priors, hyperpriors, likelihoods, the penalty mapping (numpy/scipy only);
2. ``map``, then ``posterior`` (a posterior estimator reports the MAP of its own
   prior, so it may call the one MAP solver; ``map`` never imports ``posterior``);
3. ``teaching``, then ``plots`` (which draw the teaching computations), then
   ``workflow`` (whose ``Comparison.plot`` draws with ``plots``);
4. ``widgets``, which compose everything below and hold the explorer's state.

Imports inside functions count as much as those at the top of a module: a lazy
import hides a cycle from Python, not from the design.  A second test keeps
family knowledge in ``model``: code elsewhere asks a prior or a likelihood
object what it needs instead of testing its name or its class.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

import bayesreg.model

ROOT = pathlib.Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bayesreg"

#: rank of each top-level part of bayesreg; a module may import only ranks <= its own
RANKS = {
    "_warnings": 0,
    "datasets": 0,
    "model": 1,
    "map": 2,
    "posterior": 3,
    "teaching": 4,
    "plots": 5,
    "workflow": 6,
    "config": 6,  # sampling settings for notebooks; names the posterior's warning class
    "widgets": 7,
    "demo": 8,
    "__main__": 8,
    "__init__": 8,
}


def _module_name(path, root=ROOT):
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path, root=ROOT):
    """Absolute names of every module ``path`` imports (top level and inside functions)."""
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            found.add(target)
            # "from . import x" imports the submodule x
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def _part(module):
    """The top-level part of bayesreg a module belongs to (``bayesreg.map.path`` -> ``map``)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _source_files():
    return sorted(PACKAGE.rglob("*.py"))


def _existing_modules():
    return {_module_name(path) for path in _source_files()}


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_imports_only_its_own_layer_and_those_below(path):
    modules = _existing_modules()
    own = _part(_module_name(path))
    assert own in RANKS, f"{path}: give its part {own!r} a layer in RANKS"
    above = sorted(
        target for target in _imports(path)
        if target in modules and RANKS[_part(target)] > RANKS[own]
    )
    assert not above, f"{path} (layer {own}) imports from higher layers: {above}"


def _import_graph(directory, root):
    files = sorted(directory.rglob("*.py"))
    modules = {_module_name(path, root): path for path in files}
    return {
        name: {t for t in _imports(path, root) if t in modules and t != name}
        for name, path in modules.items()
    }


def _cycle(graph):
    """One import cycle of ``graph`` as a list of modules, or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return trail[trail.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt, trail + [nxt])
                if found:
                    return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return None


@pytest.mark.parametrize("directory", ["bayesreg", "validation"])
def test_no_import_cycles(directory):
    graph = _import_graph(ROOT / directory, ROOT)
    # a package's __init__ importing its own submodules is how a package is built
    for name in graph:
        graph[name] = {t for t in graph[name] if not name.startswith(t + ".") or t == name}
    assert _cycle(graph) is None, f"import cycle: {' -> '.join(_cycle(graph))}"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
