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
    "likelihoods": 1,  # the public namespace of the likelihood families of model/
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


# ---------------------------------------------------------------- family knowledge stays in model


def _family_classes():
    """Names of every prior, hyperprior and likelihood class (from the classes themselves)."""
    from bayesreg.model.likelihoods import Likelihood
    from bayesreg.model.registry import prior_classes

    todo, names = [Likelihood], set(prior_classes())
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names


def _family_names():
    """The strings that name a family: likelihood names, prior kinds and class names."""
    from bayesreg.model.likelihoods import LIKELIHOODS
    from bayesreg.model.registry import prior_classes

    kinds = {cls.kind for cls in prior_classes().values() if getattr(cls, "kind", "")}
    return set(LIKELIHOODS) | kinds | _family_classes() | {"binomial"}


def _names_in(node):
    """Class names an isinstance/issubclass second argument refers to."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Tuple):
        return set().union(*(_names_in(e) for e in node.elts))
    if isinstance(node, ast.BinOp):  # Normal | Laplace
        return _names_in(node.left) | _names_in(node.right)
    return set()


def _family_tests(path, classes, names):
    """Where ``path`` tests a family by its name or its class."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("isinstance", "issubclass"):
            hit = _names_in(node.args[1]) & classes if len(node.args) == 2 else set()
            if hit:
                found.append((node.lineno, f"{node.func.id}(..., {sorted(hit)})"))
        elif isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for operand in operands:
                elements = operand.elts if isinstance(operand, (ast.Tuple, ast.List, ast.Set)) else [operand]
                for element in elements:
                    if isinstance(element, ast.Constant) and element.value in names:
                        found.append((node.lineno, f"compares with {element.value!r}"))
        elif isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if len(keys & names) >= 2:
                found.append((node.lineno, f"a family table typed out: {sorted(keys & names)}"))
    return found


def test_no_family_is_tested_by_name_or_class_outside_the_model_package():
    classes, names = _family_classes(), _family_names()
    outside = [p for p in _source_files() if "model" not in p.relative_to(PACKAGE).parts[:1]]
    found = {
        str(path.relative_to(ROOT)): hits
        for path in outside
        if (hits := _family_tests(path, classes, names))
    }
    assert not found, (
        "code outside bayesreg/model tests a family by its name or class; ask the prior or "
        f"likelihood object instead: {found}"
    )


def test_the_family_test_finds_name_and_class_tests(tmp_path):
    source = tmp_path / "example.py"
    source.write_text(
        "if likelihood == 'bernoulli': pass\n"
        "if isinstance(prior, (Normal, Laplace)): pass\n"
        "if isinstance(prior, Normal | Laplace): pass\n"
        "KINDS = {'normal': 1, 'laplace': 2}\n"
        "if isinstance(x, float): pass\n"
    )
    hits = _family_tests(source, _family_classes(), _family_names())
    assert [line for line, _ in hits] == [1, 2, 3, 4]
