"""Importing bayesreg shows a learner no third-party warning, and hides nothing else.

ArviZ 0.23 warns about its 1.0 refactor with a FutureWarning on import, once a day
(it keeps a date stamp in its cache directory). Each check runs in a fresh
interpreter with ``-W error`` and an empty cache directory, so that ArviZ's daily
warning really fires there.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run after `import bayesreg`: the same text from another module, and another
# FutureWarning from arviz, must both still raise under -W error.
PROBE = r'''
import warnings
import bayesreg

def raises(message, module):
    try:
        warnings.warn_explicit(message, FutureWarning, module + ".py", 1, module=module)
    except FutureWarning:
        return True
    return False

print("other-arviz-warning-raised", raises("some other deprecation", "arviz"))
print("other-arviz-submodule-raised", raises("\nArviZ is undergoing a major refactor", "arviz.stats"))
print("same-text-elsewhere-raised", raises("\nArviZ is undergoing a major refactor", "mymodule"))
'''


def run_fresh(code, cache_dir):
    env = dict(os.environ, XDG_CACHE_HOME=str(cache_dir),
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-W", "error", "-c", code], env=env,
                          capture_output=True, text=True, timeout=600)


def test_arviz_warns_on_a_fresh_cache_without_bayesreg(tmp_path):
    # the premise of the next test: the daily warning does fire in a fresh interpreter
    proc = run_fresh("import arviz", tmp_path)
    assert proc.returncode != 0
    assert "FutureWarning" in proc.stderr and "major refactor" in proc.stderr, proc.stderr


def test_import_bayesreg_emits_no_warning_and_hides_only_arvizs_refactor_notice(tmp_path):
    proc = run_fresh(PROBE, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", proc.stderr
    # arviz reached its warning (it stamps the date right after warning)
    assert list(tmp_path.rglob("daily_warning")), "arviz's daily warning did not run"
    assert "other-arviz-warning-raised True" in proc.stdout
    assert "other-arviz-submodule-raised True" in proc.stdout
    assert "same-text-elsewhere-raised True" in proc.stdout
