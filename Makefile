# tongbao — the two commands a fresh machine needs: `make run`, `make test`.
PYTHON ?= python3
VENV   ?= .venv
VPY    := $(VENV)/bin/python
SHARED ?= ../shared
SAN_VENV := .venv-sanitize

SOURCES := setup.py pyproject.toml tools/build_lexicon.py tools/double_array.py tools/place_rows.c tools/build_gazetteer.py tools/gen_metric_rules.py $(wildcard lexicon/*.dict lexicon/*.txt lexicon/*.rules) \
           $(wildcard csrc/*.c csrc/core/*.c csrc/core/*.h) $(wildcard python/tongbao/*.py python/tongbao/*.pyi python/tongbao/_data/*.txt python/tongbao/_data/corpus/*)

ICU_CFLAGS = $(shell pkg-config --cflags icu-uc icu-i18n libpcre2-32)
ICU_LIBS   = $(shell pkg-config --libs icu-uc icu-i18n libpcre2-32)
CORE_SRC  := $(wildcard csrc/core/*.c)
CFLAGS_C  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wno-missing-field-initializers -Icsrc -Itests/c

.PHONY: all setup run test pytest ctest typecheck bench sanitize tsan clean fuzz fuzz-ci fuzz-deps fuzz-replay valgrind

all: setup

# Set-up: Debian packages (when root), a virtualenv, the package built and installed.
setup: $(VENV)/.installed

$(VENV)/.installed: $(SOURCES)
	./tools/install_system_deps.sh
	test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q ".[test]"
	touch $@

# The main job: extract the sample corpus embedded in the package, print its metrics table.
run: setup
	cd /tmp && $(CURDIR)/$(VPY) -m tongbao demo

test: setup ctest fuzz-replay pytest

# mypy --strict over the package (also run by tests/test_typecheck.py)
typecheck: setup
	$(VPY) -m mypy --strict python/tongbao

pytest: setup
	TONGBAO_SHARED=$(abspath $(SHARED)) $(VPY) -m pytest -q tests

# C unit tests of the engine, without Python: one binary per tests/c/test_*.c,
# each run with the compiled lexicon's path as its argument.
C_TESTS := $(patsubst tests/c/%.c,tests/c/build/%,$(wildcard tests/c/test_*.c))

# The embedded rule table follows lexicon/metrics.rules (setup.py regenerates
# it for the package build; this rule for the C tests and fuzz builds).
csrc/core/tb_metric_rules_data.h: lexicon/metrics.rules tools/gen_metric_rules.py
	$(PYTHON) tools/gen_metric_rules.py $@

tests/c/build/%: tests/c/%.c tests/c/check.h tests/c/engine.h $(CORE_SRC) $(wildcard csrc/core/*.h) csrc/core/tb_metric_rules_data.h
	mkdir -p tests/c/build
	$(CC) $(CFLAGS_C) -O1 -g $(ICU_CFLAGS) -o $@ $< $(CORE_SRC) $(ICU_LIBS) -lm -lpthread

ctest: setup $(C_TESTS)
	set -e; for t in $(C_TESTS); do $$t python/tongbao/_data/lexicon.bin; done

# The 500 MB streaming run of bench_extract.py (peak RSS growth); 0 skips it.
EXTRACT_RSS_LARGE_MB ?= 500
bench: setup
	$(VPY) -m pip install -q ".[bench]"
	# pkuseg's setup.py imports numpy and cythonizes: build it in this venv, not in pip's isolated one
	$(VPY) -m pip install -q wheel cython && $(VPY) -m pip install -q --no-build-isolation pkuseg || \
		echo "pkuseg could not be installed: its row is skipped"
	$(VPY) bench/bench_segment.py --shared $(SHARED)
	$(VPY) bench/bench_analyze.py --shared $(SHARED)
	$(VPY) bench/bench_extract.py --shared $(SHARED) --rss-large $(EXTRACT_RSS_LARGE_MB)
	$(VPY) bench/score_metrics.py --shared $(SHARED)
	$(VPY) bench/score_metrics.py --shared $(SHARED) --no-ref
	$(VPY) bench/bench_series.py
	./tools/install_fuzz_deps.sh valgrind
	sh bench/callgrind_analyze.sh $(SHARED)

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

# ThreadSanitizer over the engine's concurrency test (tests/c/test_threads.c:
# readers analysing while a writer changes the dictionaries). The Python
# layer is not built with TSan: an uninstrumented interpreter's GIL hand-offs
# would be reported as races.
TSAN_ROUNDS ?= 50
tsan: setup
	mkdir -p tests/c/build
	$(CC) $(CFLAGS_C) -O1 -g -fsanitize=thread $(ICU_CFLAGS) -o tests/c/build/test_threads_tsan \
	  tests/c/test_threads.c $(CORE_SRC) $(ICU_LIBS) -lm -lpthread
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 tests/c/build/test_threads_tsan \
	  python/tongbao/_data/lexicon.bin $(TSAN_ROUNDS)

# ---- reliability: fuzzing, fuzz regressions, valgrind (fuzz/README.md) ----
# One libFuzzer harness per C entry point, fuzz/fuzz_<name>.c, found by
# wildcard: adding a harness is adding its file.
# FUZZ_SECONDS is per harness (the atheris harness included), not in total;
# FUZZ_JOBS harnesses run at once (default: the number of CPUs).
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_HARNESSES := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_BINS   := $(addprefix fuzz/build/,$(FUZZ_HARNESSES))
REPLAY_BINS := $(addprefix fuzz/build/replay_,$(FUZZ_HARNESSES))
FUZZ_CFLAGS := $(CFLAGS_C) -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=undefined

fuzz/build/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(CORE_SRC) $(wildcard csrc/core/*.h) csrc/core/tb_metric_rules_data.h
	mkdir -p fuzz/build
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined $(ICU_CFLAGS) -o $@ $< $(CORE_SRC) $(ICU_LIBS) -lm -lpthread

# The same harnesses without libFuzzer (fuzz/replay_main.c), under ASan/UBSan:
# `make test` replays tests/fuzz_regressions/<harness>/ with them.
fuzz/build/replay_%: fuzz/%.c fuzz/replay_main.c fuzz/fuzz_common.h $(CORE_SRC) $(wildcard csrc/core/*.h) csrc/core/tb_metric_rules_data.h
	mkdir -p fuzz/build
	$(CC) $(FUZZ_CFLAGS) -fsanitize=address,undefined $(ICU_CFLAGS) -o $@ $< fuzz/replay_main.c $(CORE_SRC) $(ICU_LIBS) -lm -lpthread

fuzz-deps:
	./tools/install_fuzz_deps.sh fuzz

fuzz-replay: setup $(REPLAY_BINS)
	set -e; for h in $(FUZZ_HARNESSES); do \
	  mkdir -p tests/fuzz_regressions/$$h; \
	  ASAN_OPTIONS=detect_leaks=1 fuzz/build/replay_$$h tests/fuzz_regressions/$$h; \
	done

# The atheris harness drives the extension built with clang for coverage
# (-fsanitize=fuzzer-no-link) and ASan, in its own virtualenv, built from a
# copy of the tree so that its objects never mix with the normal build's; it
# runs with atheris's ASan+libFuzzer runtime preloaded.
FUZZ_VENV := .venv-fuzz
$(FUZZ_VENV)/.installed: $(SOURCES)
	test -x $(FUZZ_VENV)/bin/python || $(PYTHON) -m venv $(FUZZ_VENV)
	rm -rf build/fuzz-src && mkdir -p build/fuzz-src
	git ls-files -co --exclude-standard | tar -cf - -T - | tar -xf - -C build/fuzz-src
	cd build/fuzz-src && CC=$(FUZZ_CC) CFLAGS="-fsanitize=address,fuzzer-no-link" \
	  LDSHARED="$(FUZZ_CC) -shared -pthread -fsanitize=address" $(CURDIR)/$(FUZZ_VENV)/bin/python -m pip install -q ".[fuzz]"
	nm -D $(FUZZ_VENV)/lib/python3*/site-packages/tongbao/_core*.so | grep -q __sanitizer_cov_8bit_counters_init
	touch $@

fuzz: setup fuzz-deps $(FUZZ_VENV)/.installed
	$(MAKE) -j$$(nproc) $(FUZZ_BINS)
	$(VPY) fuzz/build_seeds.py --shared $(SHARED)
	FUZZ_PY_PRELOAD=$$($(FUZZ_VENV)/bin/python -c "import atheris; print(atheris.path())")/asan_with_fuzzer.so \
	  fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_VENV)/bin/python $(FUZZ_BINS)

# CI: every harness briefly (30 s each, FUZZ_JOBS at a time, plus the builds).
fuzz-ci:
	$(MAKE) fuzz FUZZ_SECONDS=30

# valgrind memcheck of the extension driven through the Python API over the
# seed bulletins (tools/exercise_api.py); tools/valgrind_report.py fails on
# any memory error or definite leak whose stack passes through tongbao (the
# interpreter's own start-up noise is counted apart).
valgrind: setup
	./tools/install_fuzz_deps.sh valgrind
	mkdir -p fuzz/build
	cd /tmp && PYTHONMALLOC=malloc valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
	  --num-callers=30 --log-file=$(CURDIR)/fuzz/build/valgrind.log \
	  $(CURDIR)/$(VPY) $(CURDIR)/tools/exercise_api.py --shared $(abspath $(SHARED))
	$(VPY) tools/valgrind_report.py fuzz/build/valgrind.log

clean:
	rm -rf build dist *.egg-info python/*.egg-info tests/c/build fuzz/build $(VENV) $(SAN_VENV) .venv-fuzz \
	  python/tongbao/_data/lexicon.bin python/tongbao/*.so csrc/core/tb_gazetteer_data.h \
	  csrc/core/tb_metric_rules_data.h
