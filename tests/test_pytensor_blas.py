"""PyTensor's BLAS ops linked to scipy's bundled OpenBLAS (bayesreg.posterior._pytensor_blas)."""

import ctypes
import os
import subprocess
import sys
from pathlib import Path

from bayesreg.posterior._pytensor_blas import ROUTINES, scipy_openblas_ldflags

CHILD = r"""
import sys, warnings
import numpy as np
warnings.simplefilter("error")  # PyTensor's "could not link to a BLAS installation" included
import bayesreg.posterior.model  # configures blas__ldflags on import
import pytensor, pytensor.tensor as pt
print(repr(pytensor.config.blas__ldflags))
if sys.argv[1] == "config":
    sys.exit(0)
A, x = pt.matrix("A"), pt.vector("x")
f = pytensor.function([A, x], 2.0 * (A @ x))
ops = [type(node.op).__name__ for node in f.maker.fgraph.toposort()]
rng = np.random.default_rng(0)
a, v = rng.standard_normal((37, 5)), rng.standard_normal(5)
np.testing.assert_allclose(f(a, v), 2.0 * (a @ v), rtol=1e-12)
print(ops)
"""


def run_child(tmp_path, flags, mode="compile"):
    env = dict(os.environ, PYTENSOR_FLAGS=f"base_compiledir={tmp_path}{flags}", PYTENSORRC=os.devnull)
    return subprocess.run([sys.executable, "-c", CHILD, mode], check=False, env=env,
                          capture_output=True, text=True, timeout=600)


def test_flags_name_scipys_lp64_openblas_with_every_routine_pytensor_calls():
    flags = scipy_openblas_ldflags()
    assert flags is not None
    library = next(Path(t) for t in flags.split() if t.endswith(".so"))
    assert library.exists() and "openblas64" not in library.name  # LP64: PyTensor passes 32-bit ints
    handle = ctypes.CDLL(str(library))
    for name in ROUTINES:
        assert f"-D{name}_=scipy_{name}_" in flags
        assert hasattr(handle, f"scipy_{name}_")


def test_products_link_to_scipys_openblas_without_a_warning_and_are_right(tmp_path):
    """A fresh process with no user setting compiles PyTensor's C BLAS op (CGemv) against
    scipy's OpenBLAS, with no BLAS warning, and its product equals numpy's."""
    out = run_child(tmp_path, "")
    assert out.returncode == 0, out.stderr[-3000:]
    ldflags, ops = out.stdout.strip().splitlines()[-2:]
    assert "libscipy_openblas" in ldflags
    assert "CGemv" in ops
    assert "could not link" not in out.stderr


def test_a_user_setting_of_blas_ldflags_is_kept(tmp_path):
    """PYTENSOR_FLAGS (as the Makefile and CI set them) wins over bayesreg's default."""
    out = run_child(tmp_path, ",blas__ldflags=", mode="config")
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.strip().splitlines()[-1] == "''"
