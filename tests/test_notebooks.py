"""Every notebook runs top to bottom on a fresh kernel, and the docs build from the results.

Each notebook in ``notebooks/`` is executed once, with nbclient, on a new kernel and
with ``BAYESREG_FAST=1`` (short chains).  A failing cell fails its test with the
cell's source and traceback.  The executed copies then feed the documentation
build (``BAYESREG_EXECUTED_NOTEBOOKS``, see ``docs/conf.py``), which must pass
with warnings as errors: CI builds the docs without running any notebook twice.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 900  # seconds; a cold PyTensor compile plus a full horseshoe fit fits well inside


def kernel_env():
    """The test process's environment for the kernel, in FAST mode.

    ``MPLBACKEND`` is dropped so the kernel uses its inline backend, as a user's would.
    """
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env["BAYESREG_FAST"] = "1"
    return env


def execute_notebook(path, out_dir):
    """Execute ``path`` on a fresh kernel and write the executed copy into ``out_dir``."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env=kernel_env())
    nbformat.write(notebook, out_dir / path.name)


@pytest.fixture(scope="session")
def executed_notebooks(tmp_path_factory):
    """Execute each notebook at most once per session; returns ``(run, out_dir)``.

    ``run(path)`` returns None on success or the error, so the docs test can reuse
    the notebook tests' results instead of executing again.
    """
    out_dir = tmp_path_factory.mktemp("executed-notebooks")
    results = {}

    def run(path):
        if path not in results:
            try:
                execute_notebook(path, out_dir)
                results[path] = None
            except CellExecutionError as exc:
                results[path] = exc
        return results[path]

    return run, out_dir


def test_notebooks_exist_and_are_stored_without_outputs():
    assert NOTEBOOKS, "no notebooks found in notebooks/"
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        with_outputs = [i for i, cell in enumerate(code) if cell.outputs or cell.execution_count]
        assert not with_outputs, (
            f"{path.name}: code cells {with_outputs} have stored outputs; clear them "
            "(jupyter nbconvert --clear-output --inplace) before committing."
        )
        # The idea first: a learner's first screen is the title and what the notebook
        # is about, not the plumbing.
        assert notebook.cells[0].cell_type == "markdown", (
            f"{path.name}: the first cell must be markdown with the notebook's idea."
        )
        assert notebook.cells[0].source.startswith("# "), (
            f"{path.name}: the first cell must start with the notebook's title (# ...)."
        )
        all_code = "".join(cell.source for cell in code)
        assert "environ" not in all_code and "getenv" not in all_code, (
            f"{path.name}: do not read BAYESREG_FAST (or any variable) in a notebook; "
            "use SAMPLING = br.config.sampling_settings() (short chains in CI)."
        )
        samples = any(name in all_code for name in
                      ("Posterior", "posterior_path", "choose_scale", "SAMPLING"))
        if samples:
            assert "br.config.sampling_settings()" in code[0].source, (
                f"{path.name}: it samples; its first code cell must set "
                "SAMPLING = br.config.sampling_settings() (small draws in CI)."
            )
        assert "MPLBACKEND" not in "".join(cell.source for cell in code), (
            f"{path.name}: do not set MPLBACKEND in a notebook; it hides every figure."
        )


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_a_fresh_kernel(executed_notebooks, path):
    run, _ = executed_notebooks
    error = run(path)
    if error is not None:
        pytest.fail(f"{path.name} failed:\n{error}", pytrace=False)


@pytest.mark.slow
def test_docs_build_with_warnings_as_errors(executed_notebooks, tmp_path):
    run, out_dir = executed_notebooks
    failed = [path.name for path in NOTEBOOKS if run(path) is not None]
    assert not failed, f"notebooks failed to execute (see their tests): {failed}"
    env = dict(kernel_env(), BAYESREG_EXECUTED_NOTEBOOKS=str(out_dir))
    html = tmp_path / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         str(ROOT / "docs"), str(html)],
        env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, f"sphinx-build failed:\n{proc.stdout}\n{proc.stderr}"
    for page in ["index", "maths", "api", "performance"] + [f"notebooks/{p.stem}" for p in NOTEBOOKS]:
        assert (html / f"{page}.html").is_file(), f"{page}.html was not built"
    # maths renders offline: MathJax is served from the site itself, never from a CDN
    assert (html / "_static" / "mathjax" / "tex-chtml.js").is_file(), "MathJax was not copied"
    assert "_static/mathjax/tex-chtml.js" in (html / "maths.html").read_text(encoding="utf-8")
    external = re.compile(r"""https?://[^"'\s]*mathjax""", re.IGNORECASE)
    remote = [str(page.relative_to(html)) for page in html.rglob("*.html")
              if external.search(page.read_text(encoding="utf-8"))]
    assert not remote, f"pages loading MathJax from the network: {remote}"
