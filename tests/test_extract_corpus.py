"""A messy folder, extracted completely: mixed encodings, a sub-directory and
files that cannot be read, are empty or binary — each bad one a row of
``documents`` with its reason — and the CLI's exit status and summary agree."""
import os
import pathlib
import subprocess
import sys

import pytest

pd = pytest.importorskip("pandas")

import tongbao
from tongbao.__main__ import main

DATA = pathlib.Path(__file__).resolve().parent / "data" / "metrics"


def _text(name):
    return (DATA / name).read_text(encoding="utf-8")


@pytest.fixture
def messy(tmp_path):
    root = tmp_path / "corpus"
    (root / "sub" / "deeper").mkdir(parents=True)
    good = {
        "utf8.txt": (_text("m08.txt").encode("utf-8"), "UTF-8"),
        "gb.txt": (_text("m04.txt").encode("gb18030"), "GB18030"),
        "big5.txt": (_text("m05.txt").encode("big5"), "Big5"),
        "utf16.txt": (_text("m06.txt").encode("utf-16"), "UTF-16LE"),
        "sub/deeper/city.txt": (_text("m09.txt").encode("utf-8"), "UTF-8"),
        "sub/page.html": (("<html><head><title>通报</title></head><body><p>"
                           + _text("m11.txt").replace("\n", "</p><p>") + "</p></body></html>").encode("utf-8"),
                          "UTF-8"),
    }
    for name, (data, _) in good.items():
        (root / name).write_bytes(data)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.txt").write_bytes("\n \u3000\n".encode("utf-8"))
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "sub" / "notes.md").write_text("不读", encoding="utf-8")
    os.symlink(root / "gone-target.txt", root / "dangling.txt")
    os.mkfifo(root / "pipe.txt")   # would block a naive reader forever
    bad = {"empty.txt": "empty", "blank.txt": "empty: no text", "binary.txt": "undecodable",
           "dangling.txt": "unreadable", "pipe.txt": "unreadable"}
    if os.geteuid() != 0:   # root reads anything: the permission case only means something for others
        locked = root / "locked.txt"
        locked.write_bytes(b"x")
        locked.chmod(0)
        bad["locked.txt"] = "unreadable"
    yield root, good, bad
    for p in root.rglob("locked.txt"):
        p.chmod(0o644)


def test_complete_extraction(messy):
    root, good, bad = messy
    r = tongbao.extract(root, progress=False, jobs=2)
    d = r.documents.set_index("doc_id")
    assert sorted(d.index) == sorted(str(root / n) for n in [*good, *bad])   # nothing lost, notes.md not read
    for name, (data, encoding) in good.items():
        row = d.loc[str(root / name)]
        assert pd.isna(row["error"]), (name, row["error"])
        assert row["encoding"] == encoding and row["bytes"] == len(data)
        assert row["n_metrics"] > 0
        if not name.endswith(".html"):
            doc = tongbao.analyze(data)
            got = r.metrics[r.metrics["doc_id"] == str(root / name)].drop(columns="doc_id").reset_index(drop=True)
            pd.testing.assert_frame_equal(got, doc.metrics)
    for name, why in bad.items():
        row = d.loc[str(root / name)]
        assert isinstance(row["error"], str) and row["error"].startswith(why), (name, row["error"])
        assert not (r.metrics["doc_id"] == str(root / name)).any()
    assert "not a regular file" in d.loc[str(root / "pipe.txt"), "error"]
    assert len(r.errors) == len(bad)


def test_cli_exit_status_and_summary(messy, tmp_path, capsys):
    root, good, bad = messy
    out = tmp_path / "out"
    assert main(["extract", str(root), "-o", str(out), "--no-progress", "--jobs", "2"]) == 1
    text = capsys.readouterr().out
    assert f"documents: {len(good)} read, {len(bad)} not read" in text
    for name in bad:
        assert str(root / name) in text
    res = tongbao.read_result(out)
    assert res == tongbao.extract(root, progress=False)
    for line in text.splitlines():
        if line.startswith("metrics:"):
            assert line == f"metrics: {len(res.metrics)} rows"
    # only good files: exit 0
    ok = tmp_path / "ok"
    assert main(["extract", str(root / "utf8.txt"), str(root / "sub"), "-o", str(ok), "--format", "csv",
                 "--no-progress", "--tables", "metrics,dates", "--ref-date", "2022-08-04"]) == 0
    res = tongbao.read_result(ok)
    assert list(res) == ["documents", "metrics", "dates"] and len(res.documents) == 3   # utf8.txt, sub/*
    assert set(res.documents["ref_source"]) == {"given"}
    assert (ok / "metrics.csv").exists()


@pytest.mark.parametrize("argv", [
    ["extract", "x.txt"],                                       # no -o
    ["extract", "x.txt", "-o", "o", "--format", "xls"],
    ["extract", "x.txt", "-o", "o", "--tables", "metrics,foo"],
    ["extract", "x.txt", "-o", "o", "--ref-date", "2022-02-30"],
    ["extract", "x.txt", "-o", "o", "--jobs", "0"],
])
def test_cli_usage_errors(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as e:
        sys.exit(main(argv))
    assert e.value.code == 2
    assert capsys.readouterr().err


def test_python_m_tongbao_extract(tmp_path):
    src = tmp_path / "2022-08-04.txt"
    src.write_text("昨日全省新增本土确诊病例3例（郑州市金水区3例）。", encoding="utf-8")
    out = tmp_path / "out"
    p = subprocess.run([sys.executable, "-m", "tongbao", "extract", str(src), "-o", str(out), "--format", "jsonl"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "documents: 1 read, 0 not read" in p.stdout
    res = tongbao.read_result(out)
    assert res.metrics["date"].tolist() == ["2022-08-03", "2022-08-03"]
    assert res.documents["ref_source"].tolist() == ["path"]


def test_demo_prints_the_metrics_table(tmp_path):
    pytest.importorskip("pyarrow")
    p = subprocess.run([sys.executable, "-m", "tongbao", "demo"], capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "metrics per region and date" in p.stdout and "河南省" in p.stdout and "410000" in p.stdout
    assert "documents: 13 read, 0 not read" in p.stdout
    res = tongbao.read_result(tmp_path / "tongbao-demo-output")
    assert len(res.documents) == 13 and len(res.metrics) > 100
    assert set(res.documents["encoding"]) == {"UTF-8", "GB18030"}
