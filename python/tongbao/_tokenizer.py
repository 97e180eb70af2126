"""The jieba-compatible tokenizer, a thin shell over tongbao._core.Segmenter."""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import IO, Any, Dict, Iterator, List, Optional, Tuple, Union

from . import _core
from ._text import TextLike, as_text

_STYLES = {"default": _core.STYLE_DEFAULT, "pku": _core.STYLE_PKU, "jieba": _core.STYLE_JIEBA}
_MODES = {"default": 0, "search": 2, "icu": 3}
DEFAULT_LEXICON = Path(__file__).resolve().parent / "_data" / "lexicon.bin"


def _mode_id(mode: str) -> int:
    try:
        return _MODES[mode]
    except (KeyError, TypeError):
        raise ValueError(f"mode must be one of {sorted(_MODES)}, not {mode!r}") from None


class Tokenizer:
    """A tokenizer with its own user dictionary, as ``jieba.Tokenizer``.

    The base lexicon (jieba's dictionary and the bulletin vocabulary, compiled
    at build time) is memory-mapped on first use and shared read-only; words
    added with :meth:`add_word` or :meth:`load_userdict` belong to this
    instance only. One instance may be used from many threads at once.

    ``style`` chooses the segmentation conventions: ``"default"`` follows
    the Peking University standard (numbers whole with their date unit —
    ``2022年``, ``8月3日`` → ``8月``, ``3日``; numerals split from measure
    words; rare long compounds split) but keeps person names whole;
    ``"pku"`` applies the standard in full (``江 泽民``); ``"jieba"`` is the
    lexicon's best path alone, as jieba.

    A Tokenizer pickles (for Dask workers, multiprocessing) as a reference
    to its lexicon — the package's own, found again wherever the copy is
    unpickled, or the path of another — plus the user's changes in order
    (:meth:`add_word`, :meth:`del_word`, :meth:`suggest_freq` with
    ``tune``, :meth:`load_userdict`): the copy is rebuilt from them, never
    from a cache file.

    >>> t = Tokenizer()
    >>> t.lcut("全省新增本土确诊病例35例")
    ['全省', '新增', '本土确诊病例', '35', '例']
    >>> import pickle
    >>> t.lcut("设立核酸采样点")
    ['设立', '核酸采样', '点']
    >>> t.add_word("核酸采样点")
    >>> pickle.loads(pickle.dumps(t)).lcut("设立核酸采样点")
    ['设立', '核酸采样点']
    """

    def __init__(self, dictionary: Union[str, "os.PathLike[str]", None] = None, *, style: str = "default") -> None:
        if style not in _STYLES:
            raise ValueError(f"style must be one of {sorted(_STYLES)}, not {style!r}")
        self.dictionary = Path(dictionary) if dictionary is not None else DEFAULT_LEXICON
        self.style = style
        self._seg: Optional[_core.Segmenter] = None
        self._lock = threading.Lock()
        # every dictionary change as applied (word, resolved frequency, tag),
        # in order: what a pickled copy replays over the same lexicon
        self._words: List[Tuple[str, int, Optional[str]]] = []

    def __getstate__(self) -> Dict[str, Any]:
        own = self.dictionary.resolve() == DEFAULT_LEXICON
        return {"dictionary": None if own else os.fspath(self.dictionary), "style": self.style,
                "words": list(self._words)}

    def __setstate__(self, state: Dict[str, Any]) -> None:
        dictionary = state["dictionary"]
        self.dictionary = Path(dictionary) if dictionary is not None else DEFAULT_LEXICON
        self.style = state["style"]
        self._seg = None
        self._lock = threading.Lock()
        # replayed when the segmenter is first built (unpickling stays cheap)
        self._words = [(str(w), int(f), t) for w, f, t in state["words"]]

    def __repr__(self) -> str:
        return f"<Tokenizer dictionary={str(self.dictionary)!r} style={self.style!r}>"

    # -- set-up -------------------------------------------------------------
    def initialize(self, dictionary: Union[str, "os.PathLike[str]", None] = None) -> None:
        """Map the lexicon now rather than on first use (as ``jieba.initialize``)."""
        if dictionary is not None and Path(dictionary) != self.dictionary:
            with self._lock:
                self.dictionary = Path(dictionary)
                self._seg = None
                self._words = []   # a new lexicon starts without the old one's changes
        self._segmenter()

    def _segmenter(self) -> _core.Segmenter:
        seg = self._seg
        if seg is None:
            with self._lock:
                if self._seg is None:
                    new = _core.Segmenter(os.fspath(self.dictionary), _STYLES[self.style])
                    for word, freq, tag in self._words:   # a pickled copy's changes
                        new.set_word(word, freq, tag)
                    self._seg = new
                seg = self._seg
        return seg

    # -- segmentation -------------------------------------------------------
    def cut(self, sentence: TextLike, cut_all: bool = False, HMM: bool = True,
            use_paddle: bool = False) -> Iterator[str]:
        """Segment ``sentence`` (str, or bytes in a detected encoding).

        Accurate mode by default: the tokens partition the text, whitespace
        included, so ``"".join(cut(s)) == s``. ``cut_all=True`` gives jieba's
        full mode (every dictionary word, overlapping). ``HMM`` enables the
        unknown-word model. ``use_paddle`` is accepted for jieba compatibility
        and ignored.
        """
        return iter(self.lcut(sentence, cut_all, HMM))

    def lcut(self, sentence: TextLike, cut_all: bool = False, HMM: bool = True,
             use_paddle: bool = False) -> List[str]:
        """:meth:`cut` as a list."""
        seg = self._seg or self._segmenter()
        if type(sentence) is not str:  # the common case stays free of extra calls
            sentence, _ = as_text(sentence)
        return seg.segment(sentence, 1 if cut_all else 0, HMM)

    def cut_for_search(self, sentence: TextLike, HMM: bool = True) -> Iterator[str]:
        """Accurate mode plus the 2- and 3-character words inside long words,
        for search-engine indexing (as ``jieba.cut_for_search``)."""
        return iter(self.lcut_for_search(sentence, HMM))

    def lcut_for_search(self, sentence: TextLike, HMM: bool = True) -> List[str]:
        """:meth:`cut_for_search` as a list."""
        text, _ = as_text(sentence)
        return self._segmenter().segment(text, 2, HMM)

    def tokenize(self, unicode_sentence: TextLike, mode: str = "default",
                 HMM: bool = True) -> Iterator[Tuple[str, int, int]]:
        """Yield ``(word, start, end)`` with offsets in code points (str indices).

        ``mode``: ``"default"`` (accurate), ``"search"`` (adds sub-words, as
        jieba) or ``"icu"`` (ICU's word BreakIterator).

        >>> list(Tokenizer().tokenize("密接和次密接"))
        [('密接', 0, 2), ('和', 2, 3), ('次密接', 3, 6)]
        """
        mode_id = _mode_id(mode)
        text, _ = as_text(unicode_sentence)
        return iter(self._segmenter().segment(text, mode_id, HMM, 1))

    def _table(self, text: str, mode: str, HMM: bool) -> Tuple[List[str], List[int], List[int], List[Optional[str]]]:
        return self._segmenter().segment(text, _mode_id(mode), HMM, 2)

    # -- dictionary -----------------------------------------------------------
    @property
    def total(self) -> float:
        """Sum of all word frequencies (the denominator of word probabilities)."""
        return self._segmenter().total

    def get_FREQ(self, k: str, d: Optional[int] = None) -> Optional[int]:
        """Frequency of word ``k``, or ``d`` when it is not a word (as jieba)."""
        f = self._segmenter().word_freq(k)
        return d if f is None else f

    def add_word(self, word: str, freq: Optional[int] = None, tag: Optional[str] = None) -> None:
        """Add ``word`` to this tokenizer's dictionary; it takes effect at once.

        Without ``freq``, a frequency is chosen that makes the word win over
        its parts (:meth:`suggest_freq`), as jieba does.
        """
        word, _ = as_text(word)
        if not word:
            raise ValueError("cannot add an empty word")
        if freq is None:
            freq = self.suggest_freq(word, False)
        freq = int(freq)
        if freq < 0:
            raise ValueError(f"frequency must be >= 0, not {freq}")
        seg = self._segmenter()
        with self._lock:   # the history's order is the order of the changes
            seg.set_word(word, freq, tag)
            self._words.append((word, freq, tag))

    def del_word(self, word: str) -> None:
        """Remove ``word`` from the dictionary (frequency 0, as jieba)."""
        self.add_word(word, 0)

    def suggest_freq(self, segment: Union[str, Tuple[str, ...], List[str]], tune: bool = False) -> int:
        """The frequency that makes ``segment`` come out as one word (a str)
        or split into the given parts (a tuple); applied when ``tune``."""
        seg = self._segmenter()
        ftotal = float(seg.total)
        p = 1.0
        if isinstance(segment, str):
            word = segment
            for part in self.lcut(word, HMM=False):
                p *= (seg.word_freq(part) or 1) / ftotal
            freq = max(int(p * ftotal) + 1, seg.word_freq(word) or 1)
        else:
            parts = [as_text(s)[0] for s in segment]
            word = "".join(parts)
            for part in parts:
                p *= (seg.word_freq(part) or 1) / ftotal
            freq = min(int(p * ftotal), seg.word_freq(word) or 0)
        if tune:
            self.add_word(word, freq)
        return freq

    def load_userdict(self, f: Union[str, "os.PathLike[str]", IO[Any]]) -> None:
        """Load a user dictionary in jieba's format: ``word [freq] [tag]`` a line.

        ``f`` is a path or an open file (text or binary). A bad line raises
        :class:`tongbao.DictionaryError` naming the file and line; nothing
        from the file is added then.
        """
        if hasattr(f, "read"):
            data = f.read()
            name = getattr(f, "name", repr(f))
            if isinstance(data, str):
                data = data.encode("utf-8", "surrogatepass")
        else:
            name = os.fspath(f)
            with open(name, "rb") as fh:
                data = fh.read()
        entries = _core.parse_userdict(data, str(name))
        for word, freq, tag in entries:
            self.add_word(word, freq, tag)
