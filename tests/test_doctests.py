"""The examples in the package's docstrings are part of the documentation:
they must run and give what they show."""
import doctest
import importlib

import pytest

MODULES = ["tongbao", "tongbao._tokenizer", "tongbao._text", "tongbao._analyze", "tongbao._entities", "tongbao._document",
           "tongbao._many", "tongbao._metrics", "tongbao.dask", "tongbao._view", "tongbao._accessor", "tongbao.plot",
           "tongbao._series", "tongbao._checks", "tongbao._extract", "tongbao._fingerprint", "tongbao._html"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    pytest.importorskip("pandas")
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
