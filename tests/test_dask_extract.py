"""tongbao.dask.extract on a real cluster: two worker processes, results equal
to tongbao.extract in this process, the client's user words and entries
included."""
import shutil

import pytest

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import pandas as pd  # noqa: E402

import tongbao  # noqa: E402
import tongbao.dask  # noqa: E402
from tongbao._tables import TABLES  # noqa: E402

ALL = TABLES  # documents, metrics, quantities, dates, entities, tokens
USER_TEXT = ("日期:2022-05-09 09:00\n示例新区通报：5月8日0—24时，示例新区新增本土确诊病例3例，"
             "均在核酸采样点筛查中发现，负责人示例甲到现场。\n")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(tongbao.__path__[0] + "/_data/corpus", root / "sample")
    (root / "user.txt").write_text(USER_TEXT, encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "empty.txt").write_bytes(b"")
    (root / "sub" / "gbk.txt").write_bytes(USER_TEXT.replace("5月8日", "5月7日").encode("gb18030"))
    return root


@pytest.fixture(scope="module")
def user_changes(tmp_path_factory):
    """Words and entries made in the client only (the workers start without them)."""
    d = tmp_path_factory.mktemp("userdict")
    (d / "words.txt").write_text("核酸采样点 50000 n\n", encoding="utf-8")
    tongbao.load_userdict(str(d / "words.txt"))
    tongbao.add_word("负责人示例甲", 1)   # a second change, then undone by the next: order matters
    tongbao.del_word("负责人示例甲")
    tongbao.add_place("示例新区", code="410100")
    tongbao.add_person("示例甲")
    yield
    tongbao.del_word("核酸采样点")


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=True,
                                  dashboard_address=None, silence_logs=40) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def _same(local, remote, lazy):
    for name in local:
        a, b = local[name], remote[name]
        # documents.duplicate_of is derived over the whole corpus when the
        # computed Result is read, so the per-partition frames lack it
        per_part = a.drop(columns=["duplicate_of"]) if name == "documents" else a
        assert list(a.columns) == list(b.columns), name
        assert list(per_part.columns) == list(lazy[name].columns), name
        assert list(a.dtypes) == list(b.dtypes), name
        assert list(per_part.dtypes) == list(lazy[name].dtypes), name   # meta is the real schema
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)


def test_files_on_two_worker_processes_equal_the_local_run(corpus, user_changes, client):
    lazy = tongbao.dask.extract(str(corpus), tables=ALL, files_per_partition=3)
    assert lazy.documents.npartitions == 6        # 16 files, 3 a partition
    remote = lazy.compute()
    local = tongbao.extract(str(corpus), tables=ALL, progress=False, jobs=1)
    assert len(local.documents) == 16 and local.errors["error"].tolist() == ["empty"]
    _same(local, remote, lazy)
    # the user's entries and words are in those rows: the workers had them
    ents = remote.entities
    mine = ents[ents.doc_id.str.endswith("user.txt")]
    assert ["示例新区", "place", "410100"] in mine[["text", "label", "code"]].values.tolist()
    assert "示例甲" in mine[mine.label == "person"]["text"].tolist()
    toks = remote.tokens
    assert "核酸采样点" in toks[toks.doc_id.str.endswith("user.txt")]["token"].tolist()
    assert "负责人示例甲" not in toks["token"].tolist()
    # the workers ran in other processes, each with the lexicon mapped once
    pids = client.run(lambda: __import__("os").getpid())
    assert len(set(pids.values())) == 2 and __import__("os").getpid() not in pids.values()
    segs = client.run(lambda: id(__import__("tongbao").dt._seg))
    lazy.metrics.compute()
    assert client.run(lambda: id(__import__("tongbao").dt._seg)) == segs
    assert all(v != id(None) for v in segs.values())


def test_a_dask_series_and_a_dataframe_column_equal_the_local_run(corpus, user_changes, client):
    texts = {i: p.read_bytes() for i, p in enumerate(sorted(corpus.rglob("*.txt")))}
    # dask converts object columns to Arrow strings by default: bytes need it off
    with dask.config.set({"dataframe.convert-string": False}):
        raw = dd.from_pandas(pd.Series(texts), npartitions=3)
    lazy = tongbao.dask.extract(raw, tables=ALL)
    _same(tongbao.extract(pd.Series(texts), tables=ALL, progress=False), lazy.compute(), lazy)
    series = pd.Series({i: tongbao.decode(b)[0] if b else "" for i, b in texts.items()})
    lazy = tongbao.dask.extract(dd.from_pandas(series, npartitions=3), tables=ALL)
    assert lazy.id_kind == "int64"
    _same(tongbao.extract(series, tables=ALL, progress=False), lazy.compute(), lazy)

    frame = pd.DataFrame({"body": series, "published": ["2022-05-09"] * len(series)})
    frame.index = [f"n{i}" for i in frame.index]
    lazy = tongbao.dask.extract(dd.from_pandas(frame, npartitions=2, sort=False), text="body", ref_date_col="published")
    local = tongbao.extract(frame["body"], ref_date=dict(zip(frame.index, frame.published)), progress=False)
    _same(local, lazy.compute(), lazy)
    assert set(local.documents.dropna(subset=["ref_date"])["ref_source"]) == {"given"}


def test_bad_arguments_fail_in_the_client():
    with pytest.raises(KeyError, match="no column 'txt'"):
        tongbao.dask.extract(dd.from_pandas(pd.DataFrame({"text": ["a"]}), npartitions=1), text="txt")
    with pytest.raises(ValueError, match="files_per_partition"):
        tongbao.dask.extract("x/*.txt", files_per_partition=0)
    with pytest.raises(TypeError, match="Dask Series of texts"):
        tongbao.dask.extract(["新增3例"])
    with pytest.raises(ValueError, match="unknown table"):
        tongbao.dask.extract("x/*.txt", tables=("metric",))
