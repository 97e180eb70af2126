"""Reliability under load (issue 5): no memory growth over many analyze()
calls, and analyze() on 8 threads stays correct while another thread adds
and removes user words on the same default tokenizer.

Both are marked ``stress`` (deselect with ``-m "not stress"``); they run in
``make test`` and take about 12 s together (2 CPUs).
"""
import os
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import tongbao

pytestmark = pytest.mark.stress

# ---- leak loop ------------------------------------------------------------

LEAK_CALLS = 100_000
LEAK_SCRIPT = textwrap.dedent(
    """
    import gc, os, sys
    import tongbao

    def rss_mb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    text = "郑州市新增本土确诊病例12例，无症状感染者3例，均为集中隔离人员。"
    n = int(sys.argv[1])

    def run(k):
        for i in range(k):
            doc = tongbao.analyze(text)
            if i % 1000 == 0:   # now and then the tables too (pandas, token unpacking)
                assert len(doc.tokens) and len(doc.quantities) == 2
    run(10_000)                 # warm-up: imports, caches, allocator pools
    gc.collect()
    before = rss_mb()
    run(n)
    gc.collect()
    print(before, rss_mb())
    """
)


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc (Linux)")
@pytest.mark.skipif(bool(os.environ.get("TONGBAO_UNDER_SANITIZER")),
                    reason="ASan's quarantine and shadow memory make RSS meaningless (LeakSanitizer covers leaks)")
def test_analyze_loop_keeps_rss_flat():
    out = subprocess.run([sys.executable, "-c", LEAK_SCRIPT, str(LEAK_CALLS)],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    before, after = map(float, out.split())
    assert abs(after - before) <= 5.0, f"RSS {before:.1f} MB -> {after:.1f} MB over {LEAK_CALLS} analyze() calls"


# ---- concurrent analyze() while the user dictionary changes ------------------

# Words absent from the lexicon that, once added (even with a small
# frequency, so the total barely moves), join two tokens of the texts.
WORDS = ("严格落实", "管控措施")
FREQ = 10
N_READERS = 8
ROUNDS = 20
N_TEXTS = 64          # analyze() + DataFrame costs ~5 ms; 8 texts per reader a round
MAX_TOGGLES = 400     # writer's changes per round at most (each add grows the total by FREQ)

FALLBACK = [
    "各地要严格落实管控措施，对密接人员“应隔尽隔”。",
    "严格落实疫情防控各项管控措施，新增本土确诊病例12例。",
    "全省累计接种新冠病毒疫苗2.2万剂次,接种率达到95.82%,共118,406人。",
    "动态调整更新封控区、管控区以及中风险地区",
    "小区实行封闭管理，严格落实“足不出户、上门服务”等管控措施。",
    "鄭州市確診病例",
]


@pytest.fixture(scope="module")
def stress_texts(request):
    lines = list(FALLBACK)
    try:
        lines += request.getfixturevalue("seed_lines")
    except pytest.skip.Exception:
        pass
    # Lines the words change first (their results tell the states apart), then others.
    hit = [t for t in lines if any(w in t for w in WORDS)]
    return (hit[:32] + [t for t in lines if t not in hit])[:N_TEXTS]


def _tokens(text):
    return tuple(tongbao.analyze(text).tokens["token"])


def _set_state(state):
    """state[i]: whether WORDS[i] is in the user dictionary."""
    for w, present in zip(WORDS, state):
        if present:
            tongbao.add_word(w, FREQ)
        else:
            tongbao.del_word(w)


# Each add_word/del_word is atomic, so a concurrent reader sees one of these.
STATES = [(a, b) for a in (False, True) for b in (False, True)]
NONE = (False, False)


def test_analyze_while_user_words_change(stress_texts):
    for w in WORDS:
        assert tongbao.get_FREQ(w) in (None, 0), f"{w} is in the lexicon: pick another word"
    chunks = [stress_texts[i::N_READERS] for i in range(N_READERS)]
    seen_states = set()
    try:
        for rnd in range(ROUNDS):
            # Expected results under each state, serially (the total grows by
            # FREQ at each add, as jieba's does, so recompute every round).
            expected = {}
            for st in STATES:
                _set_state(st)
                expected[st] = {t: _tokens(t) for t in stress_texts}
                _set_state(NONE)
            n_changed = sum(expected[NONE][t] != expected[(True, True)][t] for t in stress_texts)
            assert n_changed >= 2, "the words change nothing"

            errors, mismatches = [], []
            start = threading.Barrier(N_READERS + 1)
            stop = threading.Event()

            def reader(texts):
                try:
                    start.wait()
                    for t in texts:
                        got = _tokens(t)
                        matches = [st for st in STATES if expected[st][t] == got]
                        if not matches:
                            mismatches.append((t, got, {st: expected[st][t] for st in STATES}))
                        elif len(matches) < len(STATES):
                            seen_states.update(matches)
                except BaseException as e:   # noqa: BLE001 - reported below
                    errors.append(e)

            def writer():
                try:
                    start.wait()
                    for k in range(MAX_TOGGLES):
                        if stop.is_set():
                            break
                        word = WORDS[k % 2]
                        if (k // 2) % 2 == 0:
                            tongbao.add_word(word, FREQ)
                        else:
                            tongbao.del_word(word)
                        time.sleep(0.0005)
                    _set_state(NONE)
                except BaseException as e:   # noqa: BLE001
                    errors.append(e)

            threads = [threading.Thread(target=reader, args=(c,)) for c in chunks]
            w = threading.Thread(target=writer)
            for t in threads + [w]:
                t.start()
            for t in threads:
                t.join(120)
            stop.set()   # the writer stops once the readers are done
            w.join(120)
            assert not errors, errors
            assert not mismatches, f"round {rnd}: {len(mismatches)} results match no state: {mismatches[0]}"
        # The readers really ran while the dictionary changed: results of
        # both the bare and the extended dictionary were seen.
        assert NONE in seen_states and len(seen_states) >= 2, seen_states
    finally:
        _set_state(NONE)
