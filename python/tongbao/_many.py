"""One table over many documents: a single DataFrame with a ``doc`` column.

The form a study needs (every quantity of a year of bulletins in one frame),
and the unit of work of :mod:`tongbao.dask`, which runs it per partition.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List, Mapping, Tuple, Union

from ._document import SCHEMAS, _frame
from ._tables import Accumulator, row_count

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._analyze import RefDate

TABLES = tuple(SCHEMAS)


def _is_missing(value: Any) -> bool:
    """None or a pandas/NumPy missing value (NaN, NA, NaT); never a text."""
    import pandas as pd

    return value is None or (not isinstance(value, (str, bytes)) and pd.isna(value) is True)


def _items(texts: Any) -> Iterable[Tuple[Any, Any]]:
    """(doc, text) pairs of a mapping, a pandas Series or an iterable."""
    if hasattr(texts, "items") and callable(texts.items):   # dict, pandas Series
        return texts.items()  # type: ignore[no-any-return]
    if isinstance(texts, (str, bytes)):
        raise TypeError("texts must be a collection of texts (a list, dict or pandas Series), not one text")
    return enumerate(texts)


def analyze_many(texts: Union[Mapping[Any, Any], "pd.Series", Iterable[Any]], table: str = "quantities",
                 ref_date: Union["RefDate", Mapping[Any, "RefDate"], "pd.Series"] = None) -> "pd.DataFrame":
    """One table of many documents as one DataFrame, with a leading ``doc`` column.

    ``texts`` is a mapping ``doc -> text``, a pandas Series (``doc`` is its
    index) or an iterable of texts (``doc`` is the position); each text is a
    ``str`` or ``bytes`` (encoding detected). Missing values (None, NaN) are
    skipped: they hold no text. ``table`` is one of ``metrics``, ``quantities``,
    ``dates``, ``entities``, ``tokens``. ``ref_date`` is one reference date for all
    documents, or a mapping / Series ``doc -> reference date``; a document
    without one resolves against the date found in its own text.

    >>> import tongbao
    >>> df = tongbao.analyze_many({"a": "新增3例", "b": "累计1.6万余人"})
    >>> df[["doc", "text", "value", "unit"]].values.tolist()
    [['a', '3例', 3.0, '例'], ['b', '1.6万余人', 16000.0, '人']]
    """
    import pandas as pd

    from . import analyze   # the package's default tokenizer and entity matcher

    if table not in SCHEMAS:
        raise ValueError(f"table must be one of {', '.join(TABLES)}, not {table!r}")
    refs: Any = ref_date   # one date, or a mapping/Series doc -> date
    per_doc = hasattr(refs, "get") and callable(refs.get) and not isinstance(refs, (str, bytes))
    # Each document's columns are appended to one list per column and the
    # DataFrame is built once: a DataFrame per document and pd.concat cost
    # several times the extraction itself.
    acc = Accumulator(table)
    docs: List[Tuple[Any, int]] = []
    for doc, text in _items(texts):
        if _is_missing(text):
            continue
        ref = refs.get(doc) if per_doc else refs
        if _is_missing(ref):
            ref = None
        # the entity pass runs only for the tables that read it
        result = analyze(text, ref_date=ref, entities=table == "entities", metrics=table == "metrics")
        source = result._sources.get(table)
        cols = source() if source is not None else {}
        n = row_count(cols)
        if n:
            acc.add_batch([len(docs)], [n], cols, none_missing=True)
            docs.append((doc, n))
    if not docs:
        out = _frame(table, {})
        index_dtype = texts.index.dtype if isinstance(texts, pd.Series) else object
        out.insert(0, "doc", pd.Series([], dtype=index_dtype))
        return out
    out = _frame(table, acc.cols)
    doc_col = [d for d, n in docs for _ in range(n)]
    if isinstance(texts, pd.Series):
        doc_col = pd.array(doc_col, dtype=texts.index.dtype)
    out.insert(0, "doc", doc_col)
    return out
