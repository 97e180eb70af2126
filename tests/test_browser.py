"""A real browser looks at the Jupyter view of a Document.

Headless Chromium (Debian's ``chromium``, installed by
tools/install_browser_deps.sh, which .ci/run calls) renders the view,
takes a screenshot and dumps the DOM. The test checks what a person would
see: a page that is not blank, every highlight colour of the legend painted
over more than its legend swatch (so in the text itself), the bulletin's
``<script>`` shown as text, and the hover details present.

Without Chromium the test is skipped, unless TONGBAO_REQUIRE_BROWSER=1 (as
.ci/run sets it), when it fails. The screenshot is kept at
build/test-artifacts/document_view.png for a person to look at.
"""
import os
import pathlib
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

import tongbao
from tongbao._view import COLOURS

Image = pytest.importorskip("PIL.Image")

ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / "build" / "test-artifacts"
WIDTH, HEIGHT = 1000, 700
SWATCH = 12 * 12  # pixels of one legend swatch at device scale 1

TEXT = ("日期:2022-08-04 10:19:34\n"
        "省委书记楼阳生在河南省卫生健康委员会调研，听取郑州市疫情防控工作汇报。\n"
        "8月3日0—24时，郑州市新增本土确诊病例5例（金水区3例、二七区2例），新增本土无症状感染者12例。"
        "截至8月3日24时，全省累计报告本土确诊病例2978例，现有密切接触者2.2万余人。\n"
        "附注：页面中的<script>alert('x')</script>应显示为文字。")


def _chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("TONGBAO_REQUIRE_BROWSER") == "1":
        pytest.fail("Chromium is required (TONGBAO_REQUIRE_BROWSER=1) but not installed: "
                    "run tools/install_browser_deps.sh")
    pytest.skip("Chromium not installed (tools/install_browser_deps.sh)")


def _run(browser, tmp_path, *args):
    cmd = [browser, "--headless", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
           "--force-device-scale-factor=1", f"--user-data-dir={tmp_path / 'profile'}", *args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.insert(1, "--no-sandbox")   # Chromium's sandbox refuses to run as root
    # not the sanitizer runtime `make sanitize` preloads into this interpreter
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS", "UBSAN_OPTIONS")}
    proc = subprocess.run(cmd, capture_output=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    browser = _chromium()
    tmp = tmp_path_factory.mktemp("browser")
    doc = tongbao.analyze(TEXT)
    page = tmp / "view.html"
    page.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>tongbao view</title></head>'
                    f"<body>{doc._repr_html_()}</body></html>", encoding="utf-8")
    shot = tmp / "view.png"
    _run(browser, tmp, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri())
    dom = _run(browser, tmp, "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / "document_view.png")
    return doc, Image.open(shot).convert("RGB"), dom


def _hex(colour):
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def test_screenshot_is_not_blank(rendered):
    _, img, _ = rendered
    assert img.size == (WIDTH, HEIGHT)
    colours = img.getcolors(maxcolors=WIDTH * HEIGHT)
    assert len(colours) > 50                       # text antialiasing and highlights, not a flat page
    white = sum(n for n, c in colours if min(c) >= 250)
    assert white < 0.97 * WIDTH * HEIGHT


def test_every_legend_colour_is_painted_in_the_text(rendered):
    _, img, _ = rendered
    counts = {}
    pixels = img.getcolors(maxcolors=WIDTH * HEIGHT)
    for kind, colour in COLOURS.items():
        want = _hex(colour)
        counts[kind] = sum(n for n, c in pixels if all(abs(a - b) <= 3 for a, b in zip(c, want)))
    # more than the swatch alone: the kind is highlighted in the bulletin too
    assert all(n > 3 * SWATCH for n in counts.values()), counts


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.titles = []
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if a.get("title") and "tb-k" in (a.get("class") or ""):
            self.titles.append(a["title"])

    def handle_data(self, data):
        self.text.append(data)


def test_hover_details_are_in_the_dom(rendered):
    doc, _, dom = rendered
    tree = Dom()
    tree.feed(dom)
    titles = "\n".join(tree.titles)
    assert "division code: 410105" in titles                          # 金水区
    assert "resolved: 2022-08-03" in titles                           # 8月3日
    assert "value: 2978 例" in titles
    assert "feeds metric row" in titles and "confirmed · cumulative · local — 河南省 (410000)" in titles
    assert "person “楼阳生”" in titles
    assert len(tree.titles) >= len(doc.metrics) + len(doc.quantities)
    # the bulletin's script tag is text in the page, not an element
    assert "script" not in tree.tags
    assert "<script>alert('x')</script>" in "".join(tree.text)
