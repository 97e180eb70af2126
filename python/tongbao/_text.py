"""Turning user input into text: str passes through, bytes are decoded by the
C core (encoding detected with ICU), anything else is a TypeError."""
from __future__ import annotations

from typing import Optional, Tuple, Union

from . import _core

TextLike = Union[str, bytes, bytearray, memoryview]


def decode(data: Union[bytes, bytearray, memoryview], encoding: Optional[str] = None) -> Tuple[str, str]:
    """Decode bytes to text, detecting the encoding unless one is given.

    Detection order: byte-order mark, valid UTF-8, then ICU's detector limited
    to CJK encodings (GB18030/GBK, Big5, UTF-16/32, ...). Undecodable bytes
    raise :class:`tongbao.DecodeError` (a ``UnicodeError``) with the offset.

    >>> decode("郑州市".encode("gb18030"))
    ('郑州市', 'GB18030')
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, not {type(data).__name__}")
    return _core.decode(data, encoding)


def as_text(obj: TextLike) -> Tuple[str, Optional[str]]:
    """(text, encoding) for str or bytes input; encoding is None for str."""
    if isinstance(obj, str):
        return obj, None
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return decode(obj)
    raise TypeError(f"text must be str or bytes, not {type(obj).__name__}")
