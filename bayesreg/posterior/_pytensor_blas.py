"""Point PyTensor's C BLAS ops at the OpenBLAS that scipy's wheel already ships.

In a pip environment PyTensor finds no ``libblas``/``libopenblas`` to link, warns
("PyTensor could not link to a BLAS installation ...") on the first compile, and
runs its matrix products through Python-level numpy calls. Yet scipy's wheel
carries an OpenBLAS in ``site-packages/scipy.libs``: the LP64 build (32-bit
integers, the interface PyTensor's C code calls), whose symbols are renamed
with a ``scipy_`` prefix so that they cannot clash with another BLAS. PyTensor
compiles and links its ops in one compiler call and passes every non ``-l``
flag of ``blas__ldflags`` to it, so the flags below link that library by path
and rename the Fortran routines PyTensor calls (``dgemm_`` ...) to the prefixed
ones with ``-D`` macros. numpy's own OpenBLAS is ILP64 (64-bit integers,
``_64_`` suffix): linking PyTensor's 32-bit calls to it would be wrong.

:func:`configure_pytensor_blas` sets ``blas__ldflags`` only when the user has
not (``PYTENSOR_FLAGS``, ``.pytensorrc`` or an earlier assignment win), and
leaves PyTensor's own search where scipy's library is not found or lacks a
routine. Measured in ``benchmarks/bench_pytensor_blas.py``; see
docs/performance.md.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

__all__ = ["configure_pytensor_blas", "scipy_openblas_ldflags"]

#: The Fortran BLAS routines that PyTensor's C code calls (pytensor/tensor/blas*.py).
ROUTINES = tuple(
    f"{kind}{name}" for name in ("gemm", "gemv", "ger", "dot", "scal", "axpy", "copy", "swap")
    for kind in "sd"
)
_PREFIX = "scipy_"


def scipy_openblas_ldflags():
    """``blas__ldflags`` linking scipy's bundled OpenBLAS, or None where it cannot be used."""
    try:
        import scipy
    except ImportError:  # pragma: no cover - scipy is a dependency
        return None
    libdir = Path(scipy.__file__).resolve().parent.parent / "scipy.libs"
    # the LP64 build; an ILP64 one would be named libscipy_openblas64_*
    candidates = sorted(p for p in libdir.glob("libscipy_openblas-*.so") if " " not in str(p))
    if len(candidates) != 1:
        return None
    library = candidates[0]
    try:
        handle = ctypes.CDLL(str(library))
    except OSError:
        return None
    if not all(hasattr(handle, f"{_PREFIX}{name}_") for name in ROUTINES):
        return None
    renames = " ".join(f"-D{name}_={_PREFIX}{name}_" for name in ROUTINES)
    # --no-as-needed: keep the library even where a linker default drops "unused" ones
    return f"-Wl,--no-as-needed {library} -Wl,-rpath,{libdir} {renames}"


def configure_pytensor_blas():
    """Set PyTensor's ``blas__ldflags`` to scipy's OpenBLAS unless the user chose them.

    Returns the flags in force afterwards, or None where they were left to PyTensor.
    """
    import pytensor

    config = pytensor.config
    # PyTensor's config internals (2.38): a parameter holds ``val`` once resolved, and
    # fetch_val_for_key raises KeyError when neither PYTENSOR_FLAGS nor .pytensorrc set it.
    # Where they differ (another PyTensor), leave everything to PyTensor.
    try:
        param = config._config_var_dict.get("blas__ldflags")
        if param is None or hasattr(param, "val"):
            return None  # already resolved (set, or searched by PyTensor): never override
        config.fetch_val_for_key("blas__ldflags")
        return None  # given in PYTENSOR_FLAGS or .pytensorrc: the user's choice
    except KeyError:
        pass
    except AttributeError:
        return None
    flags = scipy_openblas_ldflags()
    if flags is not None:
        config.blas__ldflags = flags
    return flags
