"""Hostile input through analyze(): every case returns a correct result or
raises a clear TypeError/ValueError/UnicodeError (or a tongbao.Error
subclass of one), never crashes, hangs or drops text."""
import math
import os
import subprocess
import sys
import textwrap

import pytest

import tongbao


def check_document(text):
    doc = tongbao.analyze(text)
    s = doc.text
    for name in ("tokens", "quantities", "dates"):
        df = getattr(doc, name)
        for r in df.itertuples():
            assert 0 <= r.start <= r.end <= len(s)
            col = "token" if name == "tokens" else "text"
            assert getattr(r, col) == s[r.start:r.end]
    # the token table is lossless: it covers the text without gaps
    assert "".join(doc.tokens["token"]) == s
    return doc


@pytest.mark.parametrize("text", [
    "", " ", "\x00", "新增\x003例", "\ud800新增3例\udfff", "3例\u200f\u202e5人\u0301", "😷新增3例👍🏽",
    "（" * 100_000 + "3例" + "）" * 100_000, "第" * 50_000, "百分之" * 20_000, "1/" * 50_000,
    "3至" * 50_000, "约" * 50_000 + "3", "-" * 100_000, "." * 100_000 + "5", "1," * 100_000,
    "零" * 100_000, "十" * 100_000, "万" * 100_000, "几" * 100_000, "二" * 100_000, "点" * 100_000,
    "120、" * 50_000, "拨打" + "120、" * 50_000 + "110例", "12345" * 20_000, "、" * 50_000 + "120",
])
def test_pathological_text(text):
    check_document(text)


def test_huge_digit_runs_and_numerals():
    doc = check_document("新增" + "9" * 100_000 + "例")
    assert math.isinf(doc.quantities["value"][0])
    doc = check_document("一" + "亿" * 100_000)
    assert math.isinf(doc.quantities["value"][0])
    doc = check_document("0." + "0" * 100_000 + "1%")
    assert doc.quantities["value"][0] == 0.0 and doc.quantities["kind"][0] == "percent"


def test_bytes_with_wrong_bom_are_decoded_or_rejected():
    data = b"\xff\xfe" + "新增3例".encode("utf-8")      # UTF-16 BOM before UTF-8 bytes
    try:
        doc = tongbao.analyze(data)
    except (UnicodeError, ValueError) as exc:
        assert "offset" in str(exc) or isinstance(exc, UnicodeError)
    else:
        assert isinstance(doc.text, str)


@pytest.mark.parametrize("bad", [None, 3, 3.5, ["新增3例"], object()])
def test_non_text_is_a_type_error(bad):
    with pytest.raises(TypeError):
        tongbao.analyze(bad)


@pytest.mark.parametrize("ref", ["2022-13-45", "2022-02-30", "yesterday", "2022/08/03x", ""])
def test_bad_ref_date_is_a_value_error(ref):
    with pytest.raises(ValueError, match="ref_date"):
        tongbao.analyze("3月27日新增3例", ref_date=ref)


def test_bad_ref_date_type_is_a_type_error():
    with pytest.raises(TypeError):
        tongbao.analyze("3月27日", ref_date=20220327)


# Under `make sanitize` everything runs 5-20x slower: the same test on 10 MB.
HUGE_BYTES = 10_000_000 if os.environ.get("TONGBAO_UNDER_SANITIZER") else 100_000_000


def test_hundred_megabyte_line_in_a_child():
    """A 100 MB single line: analyze finishes and loses nothing."""
    code = textwrap.dedent(f"""
        import resource, tongbao
        unit = "全省新增本土确诊病例43例,无症状感染者1.6万余名,截至5月7日8时。"
        text = unit * ({HUGE_BYTES} // len(unit.encode()))
        doc = tongbao.analyze(text)
        q = doc.quantities
        assert len(q) == 2 * (len(text) // len(unit)), len(q)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(len(text), len(q), int(rss))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]


@pytest.mark.parametrize("text", ["日期:2022-10-0 17:35 新增3例", "日期:2022-02-30\n昨日新增3例", "日期:0000-01-01 昨日"])
def test_invalid_dateline_is_not_the_reference(text):
    """Found by fuzz_dates: a dateline with day 0 became the document date and analyze() raised."""
    doc = check_document(text)
    assert doc.ref_date is None


def test_empty_bytes_and_mixed_encodings():
    assert check_document("") is not None
    doc = tongbao.analyze(b"")
    assert doc.text == "" and len(doc.quantities) == 0
    mixed = "新增3例,".encode("utf-8") + "郑州市确诊5例".encode("gb18030")
    try:
        doc = tongbao.analyze(mixed)
    except UnicodeError as exc:          # tongbao.DecodeError, with the byte offset
        assert getattr(exc, "offset", None) is not None
    else:
        assert isinstance(doc.text, str) and doc.text


def run_cli(*args, stdin=b""):
    return subprocess.run([sys.executable, "-m", "tongbao", *args], input=stdin, capture_output=True, timeout=120)


def test_cli_empty_file_and_directory(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = run_cli("analyze", str(empty))   # the default table: metrics
    assert out.returncode == 0 and out.stdout.decode().startswith("doc,metric,scope,origin")
    out = run_cli("analyze", "--table", "quantities", str(empty))
    assert out.returncode == 0 and out.stdout.decode().startswith("doc,text,start,end")
    out = run_cli("analyze", str(tmp_path))
    assert out.returncode != 0
    assert b"Traceback" not in out.stderr and b"directory" in out.stderr.lower()


def test_cli_analyze_reads_stdin_as_bytes():
    out = run_cli("analyze", "--table", "dates", "--ref-date", "2022-03-28", "-",
                  stdin="3月27日新增12例".encode("gb18030"))
    assert out.returncode == 0, out.stderr
    assert "2022-03-27" in out.stdout.decode()
