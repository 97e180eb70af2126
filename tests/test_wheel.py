"""The package as a user gets it: ``python -m build`` makes an sdist and a
wheel (the wheel built from the sdist, so the sdist is complete), the wheel
installs into a fresh virtualenv, and ``tongbao demo`` and ``tongbao
extract`` run there, from a directory outside the source tree."""
import os
import pathlib
import subprocess
import sys

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.environ.get("TONGBAO_UNDER_SANITIZER") == "1",
                       reason="the wheel test builds an uninstrumented package: not a sanitizer test"),
]


def _run(cmd, cwd, timeout=900):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    pytest.importorskip("build")
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    _run([sys.executable, "-m", "build", "--outdir", dist, REPO], cwd=tmp)
    sdists, wheels = list(dist.glob("tongbao-*.tar.gz")), list(dist.glob("tongbao-*.whl"))
    assert len(sdists) == 1 and len(wheels) == 1
    env = tmp / "venv"
    _run([sys.executable, "-m", "venv", env], cwd=tmp)
    py = env / "bin" / "python"
    _run([py, "-m", "pip", "install", "-q", f"{wheels[0]}[extract]"], cwd=tmp)
    return tmp, env


def test_installed_package_is_the_wheel_not_the_source_tree(venv):
    tmp, env = venv
    out = _run([env / "bin" / "python", "-c", "import tongbao, sys; print(tongbao.__file__); "
                "print(tongbao.lcut('全省新增本土无症状感染者12例'))"], cwd=tmp).stdout.splitlines()
    assert out[0].startswith(str(env)) and str(REPO) not in out[0]
    assert out[1] == "['全省', '新增', '本土', '无症状感染者', '12', '例']"


def test_tongbao_demo_runs(venv):
    tmp, env = venv
    out = _run([env / "bin" / "tongbao", "demo", "--output", tmp / "demo-out"], cwd=tmp).stdout
    assert "confirmed" in out and "410000" in out
    assert any((tmp / "demo-out").glob("metrics*"))


def test_tongbao_extract_runs(venv):
    tmp, env = venv
    corpus = tmp / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("日期:2022-08-04\n8月3日0—24时，全省新增本土确诊病例35例（商丘市民权县35例）。",
                                  encoding="utf-8")
    (corpus / "b.txt").write_bytes("日期:2021-08-12\n昨日新增2例。".encode("gb18030"))
    out = tmp / "out"
    proc = _run([env / "bin" / "tongbao", "extract", corpus, "-o", out, "--format", "csv", "--no-progress"], cwd=tmp)
    metrics = (out / "metrics.csv").read_text(encoding="utf-8")
    assert "民权县,411421,2022-08-03" in metrics
    assert "documents" in (proc.stdout + proc.stderr)
