# tongbao — the two commands a fresh machine needs: `make run`, `make test`.
PYTHON ?= python3
VENV   ?= .venv
VPY    := $(VENV)/bin/python
SHARED ?= ../shared
SAN_VENV := .venv-sanitize

SOURCES := setup.py pyproject.toml tools/build_lexicon.py tools/build_gazetteer.py $(wildcard lexicon/*.dict lexicon/*.txt) \
           $(wildcard csrc/*.c csrc/core/*.c csrc/core/*.h) $(wildcard python/tongbao/*.py python/tongbao/_data/*.txt)

ICU_CFLAGS = $(shell pkg-config --cflags icu-uc icu-i18n libpcre2-8)
ICU_LIBS   = $(shell pkg-config --libs icu-uc icu-i18n libpcre2-8)
CORE_SRC  := $(wildcard csrc/core/*.c)
CFLAGS_C  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-missing-field-initializers -Icsrc -Itests/c

.PHONY: all setup run test pytest ctest bench sanitize clean

all: setup

# Set-up: Debian packages (when root), a virtualenv, the package built and installed.
setup: $(VENV)/.installed

$(VENV)/.installed: $(SOURCES)
	./tools/install_system_deps.sh
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q ".[test]"
	touch $@

# The main job: tokenize the sample bulletin embedded in the package.
run: setup
	cd /tmp && $(CURDIR)/$(VPY) -m tongbao demo

test: setup ctest pytest

pytest: setup
	TONGBAO_SHARED=$(abspath $(SHARED)) $(VPY) -m pytest -q tests

# C unit tests of the engine, without Python: one binary per tests/c/test_*.c,
# each run with the compiled lexicon's path as its argument.
C_TESTS := $(patsubst tests/c/%.c,tests/c/build/%,$(wildcard tests/c/test_*.c))

tests/c/build/%: tests/c/%.c tests/c/check.h $(CORE_SRC) $(wildcard csrc/core/*.h)
	mkdir -p tests/c/build
	$(CC) $(CFLAGS_C) -O1 -g $(ICU_CFLAGS) -o $@ $< $(CORE_SRC) $(ICU_LIBS) -lm -lpthread

ctest: setup $(C_TESTS)
	set -e; for t in $(C_TESTS); do $$t python/tongbao/_data/lexicon.bin; done

bench: setup
	$(VPY) -m pip install -q ".[bench]"
	$(VPY) -m pip install -q pkuseg || echo "pkuseg could not be installed: its row is skipped"
	$(VPY) bench/bench_segment.py --shared $(SHARED)
	$(VPY) bench/bench_analyze.py --shared $(SHARED)

# The C engine under AddressSanitizer + UndefinedBehaviorSanitizer: the C unit
# tests and the whole pytest suite against an instrumented build.
ASAN_LIB = $(shell $(CC) -print-file-name=libasan.so)
sanitize: setup
	mkdir -p tests/c/build
	set -e; for src in tests/c/test_*.c; do \
	  bin=tests/c/build/$$(basename $$src .c)_san; \
	  $(CC) $(CFLAGS_C) -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=undefined $(ICU_CFLAGS) -o $$bin $$src $(CORE_SRC) $(ICU_LIBS) -lm -lpthread; \
	  ASAN_OPTIONS=detect_leaks=1 $$bin python/tongbao/_data/lexicon.bin; \
	done
	test -x $(SAN_VENV)/bin/python || $(PYTHON) -m venv $(SAN_VENV)
	$(SAN_VENV)/bin/python -m pip install -q ".[test]"
	TONGBAO_SANITIZE=1 $(SAN_VENV)/bin/python -m pip install -q --no-cache-dir --force-reinstall --no-deps .
	grep -lq __asan_init $(SAN_VENV)/lib/python3*/site-packages/tongbao/_core*.so
	cd /tmp && LD_PRELOAD=$(ASAN_LIB) ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 \
	  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 TONGBAO_SHARED=$(abspath $(SHARED)) TONGBAO_UNDER_SANITIZER=1 \
	  $(CURDIR)/$(SAN_VENV)/bin/python -m pytest -q -p no:cacheprovider $(CURDIR)/tests

clean:
	rm -rf build dist *.egg-info python/*.egg-info tests/c/build $(VENV) $(SAN_VENV) \
	  python/tongbao/_data/lexicon.bin python/tongbao/*.so \
	  csrc/core/tb_gazetteer_data.h
