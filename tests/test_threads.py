"""Concurrency: one Tokenizer shared by 8 threads gives exactly the serial
results; lazy initialisation and per-thread instances are thread-safe."""
import threading

import pytest

N_THREADS = 8
ROUNDS = 3

FALLBACK = [
    "我来到北京清华大学",
    "他来到了网易杭研大厦",
    "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
    "全省累计接种新冠病毒疫苗2.2万剂次,接种率达到95.82%,共118,406人。",
    "对密接人员、次密接人员“应隔尽隔、应隔快隔”。",
    "动态调整更新封控区、管控区以及中风险地区",
    "COVID-19 疫情期间, 请佩戴 N95 口罩。",
    "鄭州市確診病例",
    "３月２７日",
]


@pytest.fixture(scope="module")
def texts(request):
    """Seed lines when the shared dir exists, always plus built-in lines;
    a few are concatenated so the lengths vary a lot."""
    lines = list(FALLBACK)
    try:
        lines += request.getfixturevalue("seed_lines")
    except pytest.skip.Exception:
        pass
    longer = ["".join(lines[i : i + 7]) for i in range(0, len(lines), 7)]
    return (lines + longer)[:400]


def run_threads(target, n=N_THREADS):
    barrier = threading.Barrier(n)
    errors = []
    results = [None] * n

    def wrap(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append((i, e))

    threads = [threading.Thread(target=wrap, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        i, e = errors[0]
        raise AssertionError(f"thread {i} raised {e!r}") from e
    return results


def order_for(i, texts):
    # every thread walks the texts in a different order
    k = (i * 37) % len(texts)
    return texts[k:] + texts[:k]


def test_shared_tokenizer_lcut(tongbao, texts):
    t = tongbao.Tokenizer()
    serial = {s: t.lcut(s) for s in texts}

    def work(i):
        out = {}
        for _ in range(ROUNDS):
            for s in order_for(i, texts):
                r = t.lcut(s)
                if r != serial[s]:
                    return ("mismatch", s, r, serial[s])
                out[s] = r
        return "ok"

    for r in run_threads(work):
        assert r == "ok", r[:2]


def test_shared_tokenizer_mixed_modes(tongbao, texts):
    t = tongbao.Tokenizer()
    calls = [
        lambda s: t.lcut(s),
        lambda s: t.lcut(s, HMM=False),
        lambda s: t.lcut(s, cut_all=True),
        lambda s: t.lcut_for_search(s),
        lambda s: list(t.tokenize(s)),
        lambda s: list(t.tokenize(s, mode="search")),
        lambda s: list(t.tokenize(s, mode="icu")),
        lambda s: t.lcut(s.encode("utf-8")),
    ]
    sample = texts[:120]
    serial = {(j, s): calls[j](s) for j in range(len(calls)) for s in sample}

    def work(i):
        for s in order_for(i, sample):
            for j in range(len(calls)):
                jj = (j + i) % len(calls)
                r = calls[jj](s)
                if r != serial[(jj, s)]:
                    return ("mismatch", jj, s)
        return "ok"

    for r in run_threads(work):
        assert r == "ok", r


def test_default_functions_from_threads(tongbao, texts):
    serial = {s: tongbao.lcut(s) for s in texts}

    def work(i):
        for s in order_for(i, texts):
            if tongbao.lcut(s) != serial[s]:
                return ("mismatch", s)
            if list(tongbao.cut(s)) != serial[s]:
                return ("mismatch-cut", s)
        return "ok"

    for r in run_threads(work):
        assert r == "ok", r


def test_interleaved_generators(tongbao, texts):
    """Several half-consumed generators of one Tokenizer, advanced in turn
    from different threads, each still yields its own text's tokens."""
    t = tongbao.Tokenizer()
    sample = texts[:N_THREADS]
    serial = [t.lcut(s) for s in sample]
    gens = [t.cut(s) for s in sample]
    lock = threading.Lock()
    outs = [[] for _ in sample]

    def work(i):
        # thread i drains generators (i, i+1, ...) a token at a time
        for step in range(len(sample)):
            g = (i + step) % len(sample)
            with lock:
                try:
                    outs[g].append(next(gens[g]))
                except StopIteration:
                    pass
        return "ok"

    for _ in range(max(len(x) for x in serial) + 1):
        run_threads(work, n=len(sample))
    assert outs == serial


def test_concurrent_first_use(tongbao, texts):
    """Eight threads hit a brand-new Tokenizer at once (lazy initialisation)."""
    ref = tongbao.Tokenizer()
    sample = texts[:50]
    serial = {s: ref.lcut(s) for s in sample}
    for _ in range(3):
        fresh = tongbao.Tokenizer()

        def work(i):
            for s in order_for(i, sample):
                if fresh.lcut(s) != serial[s]:
                    return ("mismatch", s)
            return "ok"

        for r in run_threads(work):
            assert r == "ok", r


def test_per_thread_tokenizers_with_own_words(tongbao):
    """Threads mutate their own Tokenizer concurrently; no cross-talk."""
    base = "我在用{}做实验"
    words = [f"彤宝测试词{chr(0x4E00 + 0x100 * i)}号" for i in range(N_THREADS)]
    ref = tongbao.Tokenizer()

    def work(i):
        t = tongbao.Tokenizer()
        t.add_word(words[i])
        for _ in range(200):
            for j, w in enumerate(words):
                tokens = t.lcut(base.format(w), HMM=False)
                if (w in tokens) != (j == i):
                    return ("cross-talk", i, j, tokens)
        t.del_word(words[i])
        if words[i] in t.lcut(base.format(words[i]), HMM=False):
            return ("del failed", i)
        return "ok"

    for r in run_threads(work):
        assert r == "ok", r
    for w in words:
        assert w not in ref.lcut(base.format(w), HMM=False)
        assert w not in tongbao.lcut(base.format(w), HMM=False)


def test_reads_during_writes(tongbao, texts):
    """add_word/del_word on one thread while others read: readers never crash
    and always get a lossless segmentation."""
    t = tongbao.Tokenizer()
    sample = texts[:60] + ["我在用彤宝分词器做实验"] * 10
    stop = threading.Event()

    def writer():
        k = 0
        while not stop.is_set():
            t.add_word("彤宝分词器")
            t.add_word(f"临时词{k % 50}")
            t.del_word("彤宝分词器")
            k += 1

    w = threading.Thread(target=writer)
    w.start()
    try:

        def work(i):
            for _ in range(3):
                for s in order_for(i, sample):
                    if "".join(t.lcut(s)) != s:
                        return ("lossy", s)
            return "ok"

        results = run_threads(work, n=N_THREADS - 1)
    finally:
        stop.set()
        w.join(timeout=60)
    for r in results:
        assert r == "ok", r


@pytest.mark.parametrize("call", ["segment", "analyze"])
def test_the_c_passes_release_the_gil(tongbao, call):
    """While one thread is inside a long C pass, another runs Python code.

    With the GIL held for the whole pass, the counting loop below would stop
    for as long as the pass takes; released, it keeps counting. The check is
    relative (ticks per millisecond, in the pass versus alone), so machine
    speed does not matter."""
    import time

    text = "全省新增本土确诊病例43例,无症状感染者12例。郑州市累计检测2.2万管。" * 40_000   # ~1.2M chars
    seg = tongbao.Tokenizer()._segmenter()
    work = (lambda: seg.segment(text)) if call == "segment" else (lambda: seg.extract_batch([text], [None], [None]))
    work()   # warm: lexicon pages, memo

    def count_for(seconds):
        n, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            n += 1
        return n

    alone_rate = count_for(0.05) / 50.0
    done = threading.Event()
    t = threading.Thread(target=lambda: (work(), done.set()))
    t0 = time.perf_counter()
    t.start()
    ticks = 0
    while not done.is_set():
        ticks += 1
        time.perf_counter()
    elapsed_ms = (time.perf_counter() - t0) * 1e3
    t.join()
    # the Python side gets at least a fifth of its solo rate while C works
    # (held, it would get almost nothing: switches happen only between bytecodes)
    assert elapsed_ms > 5, "pass too short to measure"
    assert ticks / elapsed_ms > 0.2 * alone_rate, (ticks, elapsed_ms, alone_rate)
