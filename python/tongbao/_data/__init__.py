"""Data files shipped with tongbao: the compiled lexicon (generated at build
time by tools/build_lexicon.py) and a sample bulletin."""
