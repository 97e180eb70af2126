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
import re
import unicodedata

__all__ = ["fingerprint"]

_SPACE = re.compile(r"\s+")


def fingerprint(text: str) -> str:
    """32 hex digits (BLAKE2b, 128 bits) of ``text`` normalised: NFKC, no whitespace.

    >>> fingerprint("新增 １２例\\n") == fingerprint("新增12例")
    True
    >>> len(fingerprint(""))
    32
    """
    norm = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    # surrogatepass: a str may carry lone surrogates (tongbao passes them on)
    return hashlib.blake2b(norm.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
