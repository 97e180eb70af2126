"""tongbao.plot.metrics: a line per region over the days of a series of bulletins."""
import warnings

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from PIL import Image  # noqa: E402

import tongbao  # noqa: E402
import tongbao.plot  # noqa: E402

# five days of a provincial report: 金水区 grows, 二七区 falls (9 in all), 民权县 small (5)
DAYS = [(1, 6, 3, 1), (2, 8, 2, 1), (3, 12, 2, 0), (4, 15, 1, 2), (5, 20, 1, 1)]


def _bulletins():
    texts, refs = {}, {}
    for d, a, b, c in DAYS:
        texts[f"d{d}"] = (f"8月{d}日0—24时，全省新增本土确诊病例{a + b + c}例（郑州市金水区{a}例、二七区{b}例，"
                          f"商丘市民权县{c}例），新增本土无症状感染者{a}例。")
        refs[f"d{d}"] = f"2022-08-{d + 1:02d}"
    return texts, refs


@pytest.fixture(scope="module")
def frame():
    texts, refs = _bulletins()
    return tongbao.analyze_many(texts, "metrics", ref_date=refs)


def test_a_line_per_region_with_the_stated_values(frame, tmp_path):
    ax = tongbao.plot.metrics(frame, top=3)
    lines = ax.get_lines()
    # the province first (largest total), then 金水区, then 二七区 (民权县 is 4th, cut by top=3)
    labels = [line.get_label() for line in lines]
    assert len(lines) == 3
    assert labels[0].endswith("410000") and labels[1].endswith("410105") and labels[2].endswith("410103")
    jinshui = lines[1]
    assert jinshui.get_ydata().tolist() == [a for _, a, _, _ in DAYS]
    xs = pd.to_datetime(jinshui.get_xdata())
    assert [x.day for x in xs] == [1, 2, 3, 4, 5] and all(x.month == 8 and x.year == 2022 for x in xs)
    assert ax.get_title() == "confirmed · new · local"
    if tongbao.plot.cjk_font() is not None:
        assert labels[1] == "金水区 410105"
        assert ax.get_legend().get_texts()[1].get_fontname() in tongbao.plot._CJK_FAMILIES
    png = tmp_path / "plot.png"
    ax.figure.savefig(png, dpi=80)
    img = Image.open(png).convert("RGB")
    assert img.size[0] > 300 and img.size[1] > 200
    colours = img.getcolors(maxcolors=img.size[0] * img.size[1])
    assert len(colours) > 20
    # each line's colour is drawn
    for line in lines:
        rgb = tuple(round(255 * v) for v in matplotlib.colors.to_rgb(line.get_color()))
        assert any(all(abs(a - b) <= 2 for a, b in zip(c, rgb)) for _, c in colours), line.get_label()
    matplotlib.pyplot.close(ax.figure)


def test_from_a_document_a_result_like_object_and_other_selections(frame):
    texts, refs = _bulletins()
    doc = tongbao.analyze(texts["d3"], ref_date=refs["d3"])
    ax = tongbao.plot.metrics(doc, top=None)
    lines = {line.get_label(): line.get_ydata().tolist() for line in ax.get_lines()}
    assert [v for k, v in lines.items() if k.endswith("411421")] == [[0.0]]   # 民权县0例 is a figure too
    assert len(lines) == 4

    class Result:
        metrics = frame

    fig, ax2 = matplotlib.pyplot.subplots()
    out = tongbao.plot.metrics(Result(), metric="asymptomatic", top=None, ax=ax2)
    assert out is ax2
    assert [line.get_ydata().tolist() for line in out.get_lines()] == [[a for _, a, _, _ in DAYS]]
    empty = tongbao.plot.metrics(frame, metric="death")
    assert empty.get_lines() == [] and "no rows" in empty.texts[0].get_text()
    matplotlib.pyplot.close("all")


def test_the_same_figure_in_two_bulletins_counts_once(frame):
    twice = pd.concat([frame, frame], ignore_index=True)
    a = tongbao.plot.metrics(frame, top=1).get_lines()[0].get_ydata().tolist()
    b = tongbao.plot.metrics(twice, top=1).get_lines()[0].get_ydata().tolist()
    assert a == b
    matplotlib.pyplot.close("all")


def test_without_a_cjk_font_one_warning_and_codes_as_labels(frame, monkeypatch):
    monkeypatch.setattr(tongbao.plot, "_font_checked", True)
    monkeypatch.setattr(tongbao.plot, "_font", None)
    monkeypatch.setattr(tongbao.plot, "_warned", False)
    with pytest.warns(tongbao.plot.FontWarning, match="fonts-noto-cjk"):
        ax = tongbao.plot.metrics(frame, top=2)
    assert [line.get_label() for line in ax.get_lines()] == ["410000", "410105"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tongbao.plot.metrics(frame, top=2)     # once per process, not once per plot
    matplotlib.pyplot.close("all")


def test_bad_input_is_a_clear_error(frame):
    with pytest.raises(TypeError, match="Result or Document"):
        tongbao.plot.metrics([1, 2, 3])
    with pytest.raises(KeyError, match="not a metrics table"):
        tongbao.plot.metrics(pd.DataFrame({"x": [1]}))
    with pytest.raises(KeyError, match="no column 'province'"):
        tongbao.plot.metrics(frame, by="province")
