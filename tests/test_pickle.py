"""Tokenizers and the user's entity entries pickle as a reference to the
package data plus the user's changes, and are rebuilt from them elsewhere."""
import pickle
import subprocess
import sys
import textwrap

import pytest

import tongbao
from tongbao._entities import EntityTable, entity_table
from tongbao._userstate import UserState, apply, snapshot

SENTENCES = ["设立核酸采样点", "全省新增本土确诊病例35例", "楼阳生到民权县检查", "密接和次密接人员"]


def _changed(tok, tmp_path):
    tok.add_word("核酸采样点")
    tok.add_word("确诊病例35例", 5000, "n")
    tok.del_word("密接")
    tok.suggest_freq(("民权", "县"), tune=True)
    userdict = tmp_path / "user.txt"
    userdict.write_text("楼阳生 100 nr\n次密接人员\n", encoding="utf-8")
    tok.load_userdict(str(userdict))
    return tok


def test_a_changed_tokenizer_pickles_with_its_changes(tmp_path):
    tok = _changed(tongbao.Tokenizer(), tmp_path)
    data = pickle.dumps(tok)
    assert len(data) < 2000                      # the changes, not the 11 MB lexicon
    copy = pickle.loads(data)
    assert copy._seg is None                     # rebuilt on first use, not at unpickling
    for s in SENTENCES:
        assert copy.lcut(s) == tok.lcut(s)
    assert copy.get_FREQ("楼阳生") == 100 and copy.get_FREQ("确诊病例35例") == 5000
    assert copy.lcut("全省新增本土确诊病例35例")[-1] == "确诊病例35例"
    # the copy's later changes are its own
    copy.add_word("全省新增")
    assert "全省新增" in copy.lcut("全省新增本土") and "全省新增" not in tok.lcut("全省新增本土")
    # and it pickles again with both generations of changes
    again = pickle.loads(pickle.dumps(copy))
    assert again.lcut("全省新增本土") == copy.lcut("全省新增本土")


def test_style_and_an_unchanged_tokenizer():
    pku = tongbao.Tokenizer(style="pku")
    copy = pickle.loads(pickle.dumps(pku))
    assert copy.style == "pku" and copy.lcut("江泽民同志") == pku.lcut("江泽民同志")
    assert pickle.loads(pickle.dumps(tongbao.Tokenizer())).lcut(SENTENCES[0]) == ["设立", "核酸采样", "点"]


def test_unpickled_in_another_process_from_another_directory(tmp_path):
    tok = _changed(tongbao.Tokenizer(), tmp_path)
    blob = tmp_path / "tok.pickle"
    blob.write_bytes(pickle.dumps(tok))
    script = textwrap.dedent(f"""
        import pickle, json
        tok = pickle.load(open({str(blob)!r}, "rb"))
        print(json.dumps([tok.lcut(s) for s in {SENTENCES!r}], ensure_ascii=False))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    import json

    assert json.loads(out.stdout) == [tok.lcut(s) for s in SENTENCES]


def test_a_tokenizer_of_another_lexicon_refers_to_its_path():
    tok = tongbao.Tokenizer(tongbao._tokenizer.DEFAULT_LEXICON)
    assert pickle.loads(pickle.dumps(tok)).__getstate__()["dictionary"] is None   # the package's own
    other = tongbao.Tokenizer("/nonexistent/lexicon.bin")
    copy = pickle.loads(pickle.dumps(other))
    assert str(copy.dictionary) == "/nonexistent/lexicon.bin"
    with pytest.raises(OSError, match="/nonexistent/lexicon.bin"):
        copy.lcut("x")                           # the missing file is an error where it is used


def test_entity_table_snapshot_pickles_and_applies_elsewhere(tmp_path):
    tongbao.add_place("羊山新区", code="411500")
    tongbao.add_person("示例甲")
    table = pickle.loads(pickle.dumps(entity_table()))
    assert isinstance(table, EntityTable) and table == entity_table()
    assert ("羊山新区", "place", "411500", None, None) in table.entries
    assert table.apply() == 0                    # this process has them all already
    blob = tmp_path / "ents.pickle"
    blob.write_bytes(pickle.dumps(table))
    script = textwrap.dedent(f"""
        import pickle, tongbao
        text = "示例甲到羊山新区调研"
        before = tongbao.analyze(text).entities["text"].tolist()
        n = pickle.load(open({str(blob)!r}, "rb")).apply()
        after = tongbao.analyze(text).entities[["text", "label", "code"]].values.tolist()
        print(before, n, after)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    before, rest = out.stdout.split("] ", 1)
    assert "羊山新区" not in before
    n, after = rest.split(" ", 1)
    assert int(n) == len(table.entries)
    assert "['示例甲', 'person', <NA>]" in after and "['羊山新区', 'place', '411500']" in after


def test_user_state_replays_once_per_process(tmp_path):
    state = snapshot()
    assert isinstance(state, UserState)
    apply(state)                                  # its own process: nothing happens
    fake = pickle.loads(pickle.dumps(state))
    fake.session = "another-client"
    fake.words = [("核酸采样点", 1000, None)]
    before = len(tongbao.dt._words)
    try:
        apply(fake)
        apply(fake)                               # already replayed: not twice
        assert tongbao.dt._words[before:] == [("核酸采样点", 1000, None)]
        assert tongbao.lcut("设立核酸采样点") == ["设立", "核酸采样点"]
    finally:
        tongbao.del_word("核酸采样点")
