"""DataFrame views. pandas is imported here, on first use, never at import
of tongbao, so tokenizing scripts start fast."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ._text import TextLike, as_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ._tokenizer import Tokenizer


def tokens_frame(tokenizer: "Tokenizer", text: TextLike, mode: str = "default", HMM: bool = True) -> "pd.DataFrame":
    """Tokens of ``text`` as a DataFrame with columns token, start, end, tag."""
    from ._document import _frame

    s, encoding = as_text(text)
    words, starts, ends, tags = tokenizer._table(s, mode, HMM)
    df = _frame("tokens", {"token": words, "start": starts, "end": ends, "tag": tags})
    if encoding is not None:
        df.attrs["encoding"] = encoding
    return df
