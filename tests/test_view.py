"""The Jupyter views: Document._repr_html_ and result_html (structure, escaping,
overlaps, folding). What a browser shows of them is tests/test_browser.py."""
from html.parser import HTMLParser

import pandas as pd
import pytest

import tongbao
from tongbao._view import COLOURS, document_html, result_html, spans

RICH = ("日期:2022-08-04 10:19:34\n省委书记楼阳生在河南省卫生健康委员会调研。8月3日0—24时，郑州市新增本土确诊病例5例"
        "（金水区3例、二七区2例），新增本土无症状感染者12例。\n通报中写有<script>alert(1)</script>与&amp;字样。")

VOID = {"br", "img", "meta", "hr", "input", "link"}


class Tree(HTMLParser):
    """Checks that tags nest, and collects the text shown in .tb-text
    (summary labels apart) and the title of every highlight."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.text = []
        self.titles = []
        self.classes = []
        self.tags = []
        self.in_text = 0
        self.in_summary = 0
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag in VOID:
            return
        cls = a.get("class") or ""
        self.stack.append((tag, cls))
        if "tb-text" in cls.split():
            self.in_text = len(self.stack)
        if tag == "summary":
            self.in_summary += 1
        if tag == "style":
            self.in_style = True
        if "tb-k" in cls.split():
            self.classes.append(cls)
            self.titles.append(a.get("title"))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1] if self.stack else 'nothing'}")
            return
        if self.in_text == len(self.stack):
            self.in_text = 0
        self.stack.pop()
        if tag == "summary":
            self.in_summary -= 1
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_text and not self.in_summary:
            self.text.append(data)


def parse(markup):
    t = Tree()
    t.feed(markup)
    t.close()
    assert not t.errors, t.errors[:5]
    assert not t.stack, f"unclosed: {t.stack}"
    return t


def test_repr_html_is_the_view_and_keeps_the_text():
    doc = tongbao.analyze(RICH)
    markup = doc._repr_html_()
    assert markup == document_html(doc)
    tree = parse(markup)
    assert "".join(tree.text) == doc.text          # nothing dropped or doubled, overlaps included
    assert "script" not in tree.tags               # the bulletin's <script> is text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup and "&amp;amp;" in markup
    for colour in COLOURS.values():
        assert colour in markup                    # legend and highlight colours in the style
    kinds = {c.split()[1] for c in tree.classes}
    assert kinds == {f"tb-{k}" for k in COLOURS}   # every kind is highlighted in this text


def test_hover_details_name_values_dates_codes_and_metric_rows():
    doc = tongbao.analyze(RICH)
    tree = parse(document_html(doc))
    titles = "\n".join(t for t in tree.titles if t)
    assert "division code: 410105 (district)" in titles or "division code: 410105" in titles   # 金水区
    assert "resolved: 2022-08-03T00:00" in titles                      # the date's value
    assert "value: 5 例" in titles
    # the quantity 3例 names the metric row it feeds
    assert "feeds metric row 1: confirmed · new · local — 金水区 (410105), 2022-08-03: 3" in titles
    assert "row 0: confirmed · new · local — 郑州市 (410100), 2022-08-03: 5" in titles
    assert "person “楼阳生”" in titles


def test_metric_evidence_contains_its_quantity_spans():
    doc = tongbao.analyze("8月3日全省新增本土确诊病例35例", ref_date="2022-08-04")
    markup = document_html(doc)
    i = markup.index('tb-k tb-metric"')
    j = markup.index('tb-k tb-quantity"', i)
    # the quantity opens inside the metric span: no </span> between them
    between = markup[i:j]
    assert "</span>" not in between


def _doc(text, **tables):
    return tongbao.Document(text, {name: (lambda cols=cols: cols) for name, cols in tables.items()})


def test_crossing_spans_are_split_into_fragments_and_stay_well_formed():
    text = "甲乙丙丁戊己"
    qty = {"start": [1], "end": [4], "value": [1.0], "unit": ["例"], "approx": [None], "ordinal": [False],
           "low": [None], "high": [None], "kind": ["number"], "text": [text[1:4]]}
    ent = {"start": [3, 0], "end": [6, 2], "label": ["place", "person"], "code": [None, None],
           "parent_code": [None, None], "level": [None, None], "name": [None, None],
           "text": [text[3:6], text[0:2]]}
    doc = _doc(text, quantities=qty, entities=ent)
    tree = parse(document_html(doc))
    assert "".join(tree.text) == text
    # the place crosses the quantity's end: two fragments, same details
    place_titles = [t for c, t in zip(tree.classes, tree.titles) if "tb-place" in c]
    assert len(place_titles) == 2 and place_titles[0] == place_titles[1]
    assert [s.kind for s in spans(doc)] == ["person", "quantity", "place"]


def test_out_of_range_spans_are_ignored_not_fatal():
    doc = _doc("新增3例", quantities={"start": [2, 5], "end": [4, 9], "value": [3.0, 1.0], "unit": ["例", "例"],
                                   "approx": [None, None], "ordinal": [False, False], "low": [None, None],
                                   "high": [None, None], "kind": ["number", "number"], "text": ["3例", ""]})
    tree = parse(document_html(doc))
    assert "".join(tree.text) == "新增3例" and len(tree.titles) == 1


def test_long_documents_fold_past_the_limit():
    line = "8月3日0—24时，全省新增本土确诊病例35例（商丘市民权县35例）。\n"
    text = line * 400                       # about 14,000 characters
    doc = tongbao.analyze(text, ref_date="2022-08-04")
    markup = document_html(doc, collapse_at=2000)
    tree = parse(markup)
    assert "".join(tree.text) == text
    assert markup.count('<details class="tb-more">') == 1
    head, tail = markup.split('<details class="tb-more">')
    assert 2000 <= len("".join(parse_text(head))) <= 2000 + len(line)
    assert "show the remaining" in tail
    short = document_html(tongbao.analyze(line))
    assert "tb-more" not in short.replace(".tb-doc details.tb-more", "")


def parse_text(fragment):
    t = Tree()
    t.feed(fragment)
    return t.text


def test_lone_surrogates_and_controls_are_shown_not_dropped():
    text = "新增\ud8003例\x00，累计\x1b5例"
    doc = tongbao.analyze(text)
    markup = document_html(doc)
    markup.encode("utf-8")                  # a notebook can send it
    tree = parse(markup)
    shown = "".join(tree.text)
    assert len(shown) == len(text) and shown.count("\ufffd") == 3


def test_empty_document():
    tree = parse(document_html(tongbao.analyze("")))
    assert tree.text == [] and tree.titles == []


class FakeResult:
    def __init__(self, tables):
        self.tables = tables


def test_result_summary_counts_rows_and_lists_errors():
    docs = pd.DataFrame({"doc_id": ["a", "b<i>", "c"], "path": ["a.txt", "b.txt", None],
                         "error": [None, "DecodeError: bad <bytes>", "empty"]})
    metrics = pd.DataFrame({"doc_id": ["a"] * 3, "metric": ["confirmed"] * 3})
    markup = result_html(FakeResult({"documents": docs, "metrics": metrics}))
    tree = parse(markup)
    assert "3 documents" in markup and "2 with errors" in markup
    assert "<td>metrics</td><td>3</td>" in markup
    assert "b&lt;i&gt;" in markup and "DecodeError: bad &lt;bytes&gt;" in markup
    assert "i" not in tree.tags


def test_result_summary_of_attribute_tables_and_lazy_tables():
    dd = pytest.importorskip("dask.dataframe")

    class R:
        documents = pd.DataFrame({"doc_id": [1], "error": [None]})
        metrics = dd.from_pandas(pd.DataFrame({"doc_id": [1, 2]}), npartitions=2)

    markup = result_html(R())
    assert "· 1 document</div>" in markup and "lazy, 2 partitions" in markup and "with errors" not in markup
