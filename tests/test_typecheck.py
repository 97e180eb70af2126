"""The package's type hints are complete and consistent: ``mypy --strict``
over python/tongbao (the C extension through its stub, _core.pyi) reports
nothing. Settings: [tool.mypy] in pyproject.toml."""
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent


def test_mypy_strict_is_clean():
    pytest.importorskip("mypy")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "python/tongbao"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "Success: no issues found" in proc.stdout
