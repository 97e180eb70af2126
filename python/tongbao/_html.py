"""The readable text of an HTML page, for :func:`tongbao.extract`.

Scraped bulletins are often saved as the whole page. Analysing the markup
would find "dates" in script URLs and "quantities" in style sheets, so the
page is reduced to what a reader sees: element text, with ``<script>``,
``<style>`` and similar dropped, a line break at every block element and
``<br>``, and character references decoded. Offsets in the tables of an
HTML document are offsets into this text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import List, Optional, Tuple

_SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object"}
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "td", "th", "title", "tr", "ul",
}
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML page (doctype, <html>, <head> …)."""
    return _HTML_START.match(text[:4096]) is not None


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: List[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


_BLANKS = re.compile(r"[ \t\r\f\v\u3000]*\n[\s\u3000]*")


def html_to_text(page: str) -> str:
    """The visible text of ``page``, one line per block.

    >>> html_to_text("<html><head><title>通报</title><script>var d='2020-01-01'</script></head>"
    ...              "<body><p>新增&nbsp;3例</p><p>累计5例</p></body></html>")
    '通报\\n新增\\xa03例\\n累计5例'
    """
    p = _Text()
    p.feed(page)
    p.close()
    return _BLANKS.sub("\n", "".join(p.parts)).strip()
