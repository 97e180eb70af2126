"""A document's fingerprint: the same bulletin re-posted gets the same one.

The ``fingerprint`` column of ``tongbao.extract``'s documents table. The
same report is often scraped several times (another site, another layout,
full-width digits, traditional re-posts aside), so the hash is taken over a
normal form of the text rather than its bytes: NFKC (full-width digits and
letters become ASCII ones) with every whitespace character removed (line
breaks and indentation differ between copies). The signature
``fingerprint(text) -> str`` is what callers rely on; the normalisation may
grow (boilerplate lines, page chrome) without changing it.
"""
from __future__ import annotations

import hashlib
import unicodedata

__all__ = ["fingerprint"]


# Full-width ASCII variants (U+FF01-U+FF5E), whose NFKC form is their ASCII
# letter: bulletins are full of ，（）：, and replacing them with str.replace
# costs a fraction of one NFKC pass.
_FULLWIDTH = [(chr(c), chr(c - 0xFEE0)) for c in range(0xFF01, 0xFF5F)]
_COMMON = [pair for pair in _FULLWIDTH if pair[0] in "，（）：；！？％１２３４５６７８９０"]


def _nfkc_without_space(text: str) -> str:
    """``NFKC(text)`` with every whitespace character removed.

    Fast path: replace the common full-width punctuation and digits by their
    NFKC forms; when what is left is already NFKC (``is_normalized`` is a
    quick check), that is NFKC of the text — each replacement is NFKC's own
    mapping for that character, and a context NFKC would treat differently
    (a combining mark after the letter) makes the check fail.
    """
    t = text
    for fw, ascii_ in _COMMON:
        if fw in t:
            t = t.replace(fw, ascii_)
    if unicodedata.is_normalized("NFKC", t):
        return "".join(t.split())
    return _nfkc_by_piece(text)


def _nfkc_by_piece(text: str) -> str:
    """``NFKC(text)`` with every whitespace character removed, computed piece by piece.

    CPython's NFKC is fast on text that is already normalised and slow (tens
    of times) on a whole text with one full-width comma in it. Whitespace
    characters are starters that never compose, so normalising each
    whitespace-separated piece on its own gives the same result; the rare
    piece whose normal form holds whitespace (U+00B4 gives a space) is
    split again.
    """
    pieces = text.split()
    changed = False
    for i, p in enumerate(pieces):
        if not unicodedata.is_normalized("NFKC", p):
            pieces[i] = unicodedata.normalize("NFKC", p)
            changed = True
    out = "".join(pieces)
    return "".join(out.split()) if changed else out


def fingerprint(text: str) -> str:
    """32 hex digits (BLAKE2b, 128 bits) of ``text`` normalised: NFKC, no whitespace.

    >>> fingerprint("新增 １２例\\n") == fingerprint("新增12例")
    True
    >>> len(fingerprint(""))
    32
    """
    norm = _nfkc_without_space(text)
    # surrogatepass: a str may carry lone surrogates (tongbao passes them on)
    return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
