/* tongbao._core: the one file that speaks the CPython C-API.
 *
 * It converts Python objects to UTF-8 buffers, releases the GIL around the
 * engine (csrc/core), re-takes it to build result objects, and maps engine
 * statuses to the tongbao.Error hierarchy in one place (raise_error).
 * Multi-phase initialisation (PEP 489), a heap type, all state per module. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>
#include <structmember.h>
#include <unicode/uvernum.h>

#include "core/tb_analyze.h"
#include "core/tb_date.h"
#include "core/tb_encoding.h"
#include "core/tb_entity.h"
#include "core/tb_extract.h"
#include "core/tb_fingerprint.h"
#include "core/tb_gazetteer.h"
#include "core/tb_fold.h"
#include "core/tb_icubreak.h"
#include "core/tb_lexicon.h"
#include "core/tb_metric.h"
#include "core/tb_metric_rules.h"
#include "core/tb_quantity.h"
#include "core/tb_readfile.h"
#include "core/tb_segment.h"
#include "core/tb_text.h"
#include "core/tb_udict.h"
#include "core/tb_utf8.h"

typedef struct {
    PyObject *Error, *InputError, *DecodeError, *DictionaryError, *LexiconError, *IcuError, *RuleError;
    PyTypeObject *SegmenterType;
    PyTypeObject *EntityMatcherType;
    PyTypeObject *MetricRulesType;
    tb_icubreak *icubreak;      /* opened on first use of mode="icu" (under the GIL) */
} module_state;

static module_state *get_state(PyObject *module) { return (module_state *)PyModule_GetState(module); }

/* ---- errors ----------------------------------------------------------- */

/* Map an engine error to an exception. `path` (may be NULL) names the file
 * for dictionary errors. Always returns NULL. */
static PyObject *raise_error(module_state *st, const tb_error *e, const char *path) {
    switch (e->status) {
    case TB_ENOMEM:
        return PyErr_NoMemory();
    case TB_EIO:
        errno = e->sys_errno;
        PyErr_Format(PyExc_OSError, "%s", e->message);
        return NULL;
    case TB_EDECODE:
    case TB_EUTF8:
    case TB_EENCODING: {
        PyObject *exc = PyObject_CallFunction(st->DecodeError, "s", e->message);
        if (exc) {
            PyObject *off = e->unit == TB_AT_BYTE ? PyLong_FromSize_t(e->offset) : Py_NewRef(Py_None);
            if (off) PyObject_SetAttrString(exc, "offset", off);
            Py_XDECREF(off);
            PyErr_SetObject(st->DecodeError, exc);
            Py_DECREF(exc);
        }
        return NULL;
    }
    case TB_EDICT: {
        const char *p = path ? path : "<user dictionary>";
        PyObject *exc = PyObject_CallFunction(st->DictionaryError, "s", "");
        if (exc == NULL) return NULL;
        PyObject *msg = PyUnicode_FromFormat("%s:%zu: %s", p, e->offset, e->message);
        PyObject *pp = PyUnicode_DecodeFSDefault(p);
        PyObject *ln = PyLong_FromSize_t(e->offset);
        if (msg && pp && ln) {
            PyObject *args = PyTuple_Pack(1, msg);
            if (args) {
                PyObject_SetAttrString(exc, "args", args);
                Py_DECREF(args);
            }
            PyObject_SetAttrString(exc, "path", pp);
            PyObject_SetAttrString(exc, "line", ln);
            PyErr_SetObject(st->DictionaryError, exc);
        }
        Py_XDECREF(msg);
        Py_XDECREF(pp);
        Py_XDECREF(ln);
        Py_DECREF(exc);
        return NULL;
    }
    case TB_EFORMAT:
        PyErr_Format(st->LexiconError, "%s", e->message);
        return NULL;
    case TB_ERULE: {
        const char *p = path ? path : "<metric rules>";
        PyObject *exc = PyObject_CallFunction(st->RuleError, "s", "");
        if (exc == NULL) return NULL;
        PyObject *msg = PyUnicode_FromFormat("%s:%zu: %s", p, e->offset, e->message);
        PyObject *ln = PyLong_FromSize_t(e->offset);
        if (msg && ln) {
            PyObject *args = PyTuple_Pack(1, msg);
            if (args) {
                PyObject_SetAttrString(exc, "args", args);
                Py_DECREF(args);
            }
            PyObject_SetAttrString(exc, "line", ln);
            PyErr_SetObject(st->RuleError, exc);
        }
        Py_XDECREF(msg);
        Py_XDECREF(ln);
        Py_DECREF(exc);
        return NULL;
    }
    case TB_EICU:
        PyErr_Format(st->IcuError, "%s", e->message);
        return NULL;
    case TB_EINVAL:
    case TB_ETOOBIG:
    default:
        PyErr_Format(st->InputError, "%s", e->message[0] ? e->message : tb_status_name(e->status));
        return NULL;
    }
}

/* ---- text access ------------------------------------------------------ */

/* UTF-8 view of a str; lone surrogates pass as 3-byte sequences. On return
 * *owner holds a reference keeping the buffer alive (the str or a bytes). */
static int text_utf8(PyObject *text, const char **buf, Py_ssize_t *len, PyObject **owner) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "text must be str or bytes, not %.100s", Py_TYPE(text)->tp_name);
        return -1;
    }
    *buf = PyUnicode_AsUTF8AndSize(text, len);
    if (*buf) {
        *owner = Py_NewRef(text);
        return 0;
    }
    if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) return -1;
    PyErr_Clear();
    PyObject *b = PyUnicode_AsEncodedString(text, "utf-8", "surrogatepass");
    if (b == NULL) return -1;
    *buf = PyBytes_AS_STRING(b);
    *len = PyBytes_GET_SIZE(b);
    *owner = b;
    return 0;
}

/* A str's own code point storage (kind 1, 2 or 4 bytes), for the engine
 * to read with the GIL released. The caller holds a reference to `text`
 * for as long as the view is used. */
static int str_view(PyObject *text, const void **data, size_t *n, int *width) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "text must be str, not %.100s", Py_TYPE(text)->tp_name);
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) return -1;
#endif
    *data = PyUnicode_DATA(text);
    *n = (size_t)PyUnicode_GET_LENGTH(text);
    *width = PyUnicode_KIND(text);
    return 0;
}

/* ---- Segmenter -------------------------------------------------------- */

typedef struct {
    PyObject_HEAD
    tb_lexicon *lex;
    tb_folder *folder;         /* folding cache over the lexicon's tables */
    tb_segmenter seg;
    int ready;
    PyObject *tag_cache;       /* dict: tag id -> str */
    PyObject **word_cache;     /* one str per base lexicon node seen, reused across calls */
    PyObject **char_cache;     /* one str per BMP character seen as a one-character token */
    PyObject **span_cache;     /* recent short tokens without a lexicon node, by content hash */
    module_state *st;
} Segmenter;

enum { OUT_WORDS = 0, OUT_SPANS = 1, OUT_TABLE = 2 };

/* Tokens without a lexicon node (numbers, HMM words, parts of split words)
 * recur across calls (日期, 1998年): a direct-mapped cache of their str by
 * content, for tokens of up to SPAN_CACHE_MAX_LEN code points. */
#define SPAN_CACHE_SIZE 4096u
#define SPAN_CACHE_MAX_LEN 8

static int Segmenter_init(Segmenter *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"lexicon", "style", NULL};
    PyObject *path_obj = NULL;
    int style = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|i", kwlist, PyUnicode_FSConverter, &path_obj, &style))
        return -1;
    if (self->ready) {
        Py_DECREF(path_obj);
        PyErr_SetString(PyExc_RuntimeError, "Segmenter already initialised");
        return -1;
    }
    if (style != TB_STYLE_DEFAULT && style != TB_STYLE_PKU && style != TB_STYLE_JIEBA) {
        Py_DECREF(path_obj);
        PyErr_Format(PyExc_ValueError, "unknown style %d", style);
        return -1;
    }
    self->st = PyType_GetModuleState(Py_TYPE(self));
    tb_error e = {0};
    tb_status s;
    const char *path = PyBytes_AS_STRING(path_obj);
    Py_BEGIN_ALLOW_THREADS
    s = tb_lexicon_open(path, &self->lex, &e);
    Py_END_ALLOW_THREADS
    Py_DECREF(path_obj);
    if (s != TB_OK) {
        raise_error(self->st, &e, NULL);
        return -1;
    }
    if (tb_folder_new(self->lex->t2s, self->lex->n_t2s, &self->folder, &e) != TB_OK ||
        tb_segmenter_init(&self->seg, self->lex, self->folder, (tb_style)style, &e) != TB_OK) {
        tb_folder_free(self->folder);
        self->folder = NULL;
        tb_lexicon_close(self->lex);
        self->lex = NULL;
        raise_error(self->st, &e, NULL);
        return -1;
    }
    self->tag_cache = PyDict_New();
    if (self->tag_cache == NULL) return -1;
    self->ready = 1;
    return 0;
}

static int Segmenter_traverse(Segmenter *self, visitproc visit, void *arg) {
    Py_VISIT(Py_TYPE(self));
    Py_VISIT(self->tag_cache);
    return 0;
}

static int Segmenter_clear(Segmenter *self) {
    Py_CLEAR(self->tag_cache);
    return 0;
}

static void Segmenter_dealloc(Segmenter *self) {
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Segmenter_clear(self);
    if (self->word_cache) {
        for (uint32_t i = 0; i < self->lex->n_nodes; i++) Py_XDECREF(self->word_cache[i]);
        PyMem_Free(self->word_cache);
    }
    if (self->char_cache) {
        for (uint32_t i = 0; i < 0x10000; i++) Py_XDECREF(self->char_cache[i]);
        PyMem_Free(self->char_cache);
    }
    if (self->span_cache) {
        for (uint32_t i = 0; i < SPAN_CACHE_SIZE; i++) Py_XDECREF(self->span_cache[i]);
        PyMem_Free(self->span_cache);
    }
    if (self->ready) tb_segmenter_destroy(&self->seg);
    tb_folder_free(self->folder);
    tb_lexicon_close(self->lex);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static int check_ready(Segmenter *self) {
    if (!self->ready) {
        PyErr_SetString(PyExc_RuntimeError, "Segmenter not initialised");
        return -1;
    }
    return 0;
}

/* The tag of a token as a str, or None. Borrowed-safe: returns a new reference. */
static PyObject *token_tag(Segmenter *self, const tb_token *t) {
    const char *s;
    switch (t->kind) {
    case TB_K_NUMBER: s = "m"; break;
    case TB_K_ALNUM: s = "eng"; break;
    case TB_K_SPACE:
    case TB_K_PUNCT: s = "x"; break;
    default: s = t->tag ? tb_segmenter_tag(&self->seg, t->tag) : ""; break;
    }
    if (!*s) Py_RETURN_NONE;
    PyObject *key = PyLong_FromLong((long)t->tag | ((long)t->kind << 16));
    if (key == NULL) return NULL;
    PyObject *v = PyDict_GetItemWithError(self->tag_cache, key);
    if (v) {
        Py_DECREF(key);
        return Py_NewRef(v);
    }
    if (PyErr_Occurred()) {
        Py_DECREF(key);
        return NULL;
    }
    v = PyUnicode_InternFromString(s);
    if (v && PyDict_SetItem(self->tag_cache, key, v) < 0) Py_CLEAR(v);
    Py_DECREF(key);
    return v;
}

/* The text being tokenized, read directly (kind and data looked up once). */
typedef struct {
    PyObject *text;
    int kind;
    const void *data;
} text_view;

/* Does str `c` hold exactly the n code points of the view at `start`? */
static inline int same_text(PyObject *c, const text_view *v, size_t start, Py_ssize_t n) {
    if (PyUnicode_GET_LENGTH(c) != n || PyUnicode_KIND(c) != v->kind) return 0;
    const void *a = PyUnicode_DATA(c);
    if (v->kind == PyUnicode_2BYTE_KIND) {   /* the common case: compare in place */
        const Py_UCS2 *x = a, *y = (const Py_UCS2 *)v->data + start;
        for (Py_ssize_t i = 0; i < n; i++)
            if (x[i] != y[i]) return 0;
        return 1;
    }
    return memcmp(a, (const char *)v->data + start * (size_t)v->kind, (size_t)n * (size_t)v->kind) == 0;
}

/* The token's text as a str. Dictionary words reuse one cached str per
 * lexicon node when the text matches it exactly (it may not: folding maps
 * 鄭州 and 郑州 to the same node). Called with the GIL held. */
static inline PyObject *token_str(Segmenter *self, const text_view *v, const tb_token *t) {
    Py_ssize_t n = (Py_ssize_t)(t->end - t->start);
    if (n == 1) {
        /* One character (punctuation, single Han characters): one str per
         * BMP code point. CPython already shares the Latin-1 ones. */
        Py_UCS4 ch = PyUnicode_READ(v->kind, v->data, t->start);
        if (ch < 0x100 || ch >= 0x10000) return PyUnicode_FromOrdinal((int)ch);
        if (self->char_cache == NULL) {
            self->char_cache = PyMem_Calloc(0x10000, sizeof(PyObject *));
            if (self->char_cache == NULL) return PyErr_NoMemory();
        }
        PyObject *c = self->char_cache[ch];
        if (c == NULL) {
            c = PyUnicode_FromOrdinal((int)ch);
            if (c == NULL) return NULL;
            self->char_cache[ch] = c;
        }
        return Py_NewRef(c);
    }
    PyObject **slot;
    if (t->node != TB_LEX_NONE && t->node < self->lex->n_nodes) {
        if (self->word_cache == NULL) {
            self->word_cache = PyMem_Calloc(self->lex->n_nodes, sizeof(PyObject *));
            if (self->word_cache == NULL) return PyErr_NoMemory();
        }
        slot = &self->word_cache[t->node];
        if (*slot && same_text(*slot, v, t->start, n)) return Py_NewRef(*slot);
        if (*slot) return PyUnicode_Substring(v->text, t->start, t->end);   /* another surface form */
    } else if (n <= SPAN_CACHE_MAX_LEN) {
        if (self->span_cache == NULL) {
            self->span_cache = PyMem_Calloc(SPAN_CACHE_SIZE, sizeof(PyObject *));
            if (self->span_cache == NULL) return PyErr_NoMemory();
        }
        uint32_t h = 2166136261u;   /* FNV-1a over the code points */
        for (Py_ssize_t i = 0; i < n; i++) h = (h ^ PyUnicode_READ(v->kind, v->data, t->start + i)) * 16777619u;
        slot = &self->span_cache[h & (SPAN_CACHE_SIZE - 1)];
        if (*slot && same_text(*slot, v, t->start, n)) return Py_NewRef(*slot);
        Py_CLEAR(*slot);   /* direct-mapped: the newer token takes the slot */
    } else {
        return PyUnicode_Substring(v->text, t->start, t->end);
    }
    PyObject *w = PyUnicode_Substring(v->text, t->start, t->end);
    if (w) *slot = Py_NewRef(w);
    return w;
}

static PyObject *build_output(Segmenter *self, PyObject *text, const tb_tokens *toks, int what) {
    Py_ssize_t n = (Py_ssize_t)toks->n;
    text_view view = {text, PyUnicode_KIND(text), PyUnicode_DATA(text)};
    if (what == OUT_WORDS || what == OUT_SPANS) {
        PyObject *list = PyList_New(n);
        if (list == NULL) return NULL;
        for (Py_ssize_t i = 0; i < n; i++) {
            const tb_token *t = &toks->v[i];
            PyObject *w = token_str(self, &view, t);
            if (w == NULL) goto fail_list;
            if (what == OUT_SPANS) {
                PyObject *tup = Py_BuildValue("(NII)", w, (unsigned)t->start, (unsigned)t->end);
                if (tup == NULL) goto fail_list;
                w = tup;
            }
            PyList_SET_ITEM(list, i, w);
        }
        return list;
    fail_list:
        Py_DECREF(list);
        return NULL;
    }
    PyObject *words = PyList_New(n), *starts = PyList_New(n), *ends = PyList_New(n), *tags = PyList_New(n);
    if (!words || !starts || !ends || !tags) goto fail_table;
    for (Py_ssize_t i = 0; i < n; i++) {
        const tb_token *t = &toks->v[i];
        PyObject *w = token_str(self, &view, t);
        if (w == NULL) goto fail_table;
        PyList_SET_ITEM(words, i, w);
        PyObject *a = PyLong_FromUnsignedLong(t->start), *b = PyLong_FromUnsignedLong(t->end);
        if (a == NULL || b == NULL) {
            Py_XDECREF(a);
            Py_XDECREF(b);
            goto fail_table;
        }
        PyList_SET_ITEM(starts, i, a);
        PyList_SET_ITEM(ends, i, b);
        PyObject *tg = token_tag(self, t);
        if (tg == NULL) goto fail_table;
        PyList_SET_ITEM(tags, i, tg);
    }
    return Py_BuildValue("(NNNN)", words, starts, ends, tags);
fail_table:
    Py_XDECREF(words);
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(tags);
    return NULL;
}

/* An int argument as the "i" format converts it (-1 with an exception on error). */
static int int_arg(PyObject *o) {
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) return -1;
    if (v < INT_MIN || v > INT_MAX) {
        PyErr_SetString(PyExc_OverflowError, "signed integer is greater than maximum");
        return -1;
    }
    return (int)v;
}

/* segment(text, mode=0, hmm=True, output=0): mode 0 accurate, 1 all, 2 search,
 * 3 icu; output 0 list of str, 1 list of (word, start, end), 2 table columns.
 * Vectorcall: positional calls (the per-line case) parse without a tuple. */
static PyObject *Segmenter_segment(Segmenter *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames) {
    PyObject *text;
    int mode = 0, hmm = 1, what = OUT_WORDS;
    if (kwnames == NULL && nargs >= 1 && nargs <= 4) {
        text = args[0];
        if (nargs > 1 && (mode = int_arg(args[1])) == -1 && PyErr_Occurred()) return NULL;
        if (nargs > 2 && (hmm = PyObject_IsTrue(args[2])) < 0) return NULL;
        if (nargs > 3 && (what = int_arg(args[3])) == -1 && PyErr_Occurred()) return NULL;
    } else {
        /* keywords: the general parser over a tuple and a dict */
        static char *kwlist[] = {"text", "mode", "hmm", "output", NULL};
        PyObject *tuple = PyTuple_New(nargs), *kw = kwnames ? PyDict_New() : NULL;
        int ok = tuple != NULL && (kwnames == NULL || kw != NULL);
        for (Py_ssize_t i = 0; ok && i < nargs; i++) PyTuple_SET_ITEM(tuple, i, Py_NewRef(args[i]));
        for (Py_ssize_t i = 0; ok && kwnames && i < PyTuple_GET_SIZE(kwnames); i++)
            ok = PyDict_SetItem(kw, PyTuple_GET_ITEM(kwnames, i), args[nargs + i]) == 0;
        ok = ok && PyArg_ParseTupleAndKeywords(tuple, kw, "O|ipi", kwlist, &text, &mode, &hmm, &what);
        Py_XDECREF(tuple);   /* text stays alive: the caller holds args */
        Py_XDECREF(kw);
        if (!ok) return NULL;
    }
    if (check_ready(self) < 0) return NULL;
    if (mode < 0 || mode > 3 || what < 0 || what > 2) {
        PyErr_SetString(PyExc_ValueError, "bad mode or output");
        return NULL;
    }
    module_state *st = self->st;
    tb_tokens toks = {0};
    tb_error e = {0};
    tb_status s;
    if (mode != 3) {
        /* The engine reads the str's own code point array (immutable, kept
         * alive by the caller's reference): no UTF-8 copy, no decoding. */
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "text must be str or bytes, not %.100s", Py_TYPE(text)->tp_name);
            return NULL;
        }
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(text) < 0) return NULL;   /* a legacy str: build its canonical form */
#endif
        const void *data = PyUnicode_DATA(text);
        size_t n = (size_t)PyUnicode_GET_LENGTH(text);
        int width = PyUnicode_KIND(text);
        Py_INCREF(text);   /* our own reference while the GIL is released */
        Py_BEGIN_ALLOW_THREADS
        s = tb_segment_cps(&self->seg, data, n, width, (tb_mode)mode, hmm ? TB_OPT_HMM : 0, &toks, &e);
        Py_END_ALLOW_THREADS
        Py_DECREF(text);
    } else {
        const char *buf;
        Py_ssize_t len;
        PyObject *owner;
        if (text_utf8(text, &buf, &len, &owner) < 0) return NULL;
        if (st->icubreak == NULL && tb_icubreak_new(&st->icubreak, &e) != TB_OK) {
            Py_DECREF(owner);
            return raise_error(st, &e, NULL);
        }
        Py_BEGIN_ALLOW_THREADS
        s = tb_icubreak_segment(st->icubreak, self->folder, (const uint8_t *)buf, (size_t)len, &toks, &e);
        Py_END_ALLOW_THREADS
        Py_DECREF(owner);
    }
    PyObject *res = s == TB_OK ? build_output(self, text, &toks, what) : raise_error(st, &e, NULL);
    free(toks.v);
    return res;
}

static PyObject *Segmenter_set_word(Segmenter *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"word", "freq", "tag", NULL};
    PyObject *word;
    long long freq;
    const char *tag = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "UL|z", kwlist, &word, &freq, &tag)) return NULL;
    if (check_ready(self) < 0) return NULL;
    if (freq < 0) {
        PyErr_SetString(self->st->InputError, "frequency must be >= 0");
        return NULL;
    }
    const char *buf;
    Py_ssize_t len;
    PyObject *owner;
    if (text_utf8(word, &buf, &len, &owner) < 0) return NULL;
    tb_error e = {0};
    tb_status s;
    Py_BEGIN_ALLOW_THREADS   /* the write lock may wait for readers running without the GIL */
    s = tb_segmenter_set_word(&self->seg, (const uint8_t *)buf, (size_t)len, freq, tag, &e);
    Py_END_ALLOW_THREADS
    Py_DECREF(owner);
    if (s != TB_OK) return raise_error(self->st, &e, NULL);
    Py_RETURN_NONE;
}

static PyObject *Segmenter_word_freq(Segmenter *self, PyObject *word) {
    if (check_ready(self) < 0) return NULL;
    const char *buf;
    Py_ssize_t len;
    PyObject *owner;
    if (text_utf8(word, &buf, &len, &owner) < 0) return NULL;
    int64_t f = 0;
    int found = tb_segmenter_word_freq(&self->seg, (const uint8_t *)buf, (size_t)len, &f);
    Py_DECREF(owner);
    if (!found) Py_RETURN_NONE;
    return PyLong_FromLongLong(f);
}

static PyObject *Segmenter_get_total(Segmenter *self, void *closure) {
    (void)closure;
    if (check_ready(self) < 0) return NULL;
    return PyFloat_FromDouble(tb_segmenter_total(&self->seg));
}

static PyObject *Segmenter_get_source(Segmenter *self, void *closure) {
    (void)closure;
    if (check_ready(self) < 0) return NULL;
    return PyUnicode_FromString(self->lex->source);
}

static PyObject *Segmenter_get_n_words(Segmenter *self, void *closure) {
    (void)closure;
    if (check_ready(self) < 0) return NULL;
    return PyLong_FromUnsignedLong(self->lex->n_words);
}

/* ---- quantities --------------------------------------------------------- */

static const char *const APPROX_NAMES[] = {NULL, "over", "under", "about"};
static const char *const QUANTITY_KINDS[] = {"number", "percent", "percent_point", "fraction"};

/* ---- dates ------------------------------------------------------------- */

/* The dates table as a dict of equal-length lists (start, end, value,
 * granularity, part_of_day, relative, range_role, direction, ambiguous), the keys of
 * SCHEMAS["dates"] except `text`, which Python slices. Kept apart from the
 * scan so a fused analyze call can reuse it. */
static PyObject *dates_columns(const tb_dates *d) {
    static const char *names[] = {"start", "end", "value", "granularity", "part_of_day", "relative",
                                  "range_role", "direction", "ambiguous"};
    enum { NCOL = 9 };
    PyObject *cols = PyDict_New();
    PyObject *lists[NCOL] = {NULL};
    if (cols == NULL) return NULL;
    for (int c = 0; c < NCOL; c++) {
        lists[c] = PyList_New((Py_ssize_t)d->n);
        if (lists[c] == NULL || PyDict_SetItemString(cols, names[c], lists[c]) < 0) goto fail;
    }
    for (size_t i = 0; i < d->n; i++) {
        const tb_date *x = &d->v[i];
        const char *pod = tb_date_pod_name(x->part_of_day);
        const char *role = x->range_role == TB_RANGE_START ? "start" : x->range_role == TB_RANGE_END ? "end" : NULL;
        const char *dir = tb_date_dir_name(x->direction);
        PyObject *v[NCOL] = {
            PyLong_FromUnsignedLong(x->start),
            PyLong_FromUnsignedLong(x->end),
            x->value[0] ? PyUnicode_FromString(x->value) : Py_NewRef(Py_None),
            PyUnicode_FromString(tb_date_gran_name(x->granularity)),
            pod ? PyUnicode_FromString(pod) : Py_NewRef(Py_None),
            PyBool_FromLong(x->relative),
            role ? PyUnicode_FromString(role) : Py_NewRef(Py_None),
            dir ? PyUnicode_FromString(dir) : Py_NewRef(Py_None),
            PyBool_FromLong(x->ambiguous),
        };
        for (int c = 0; c < NCOL; c++) {
            if (v[c] == NULL) {
                for (int k = 0; k < NCOL; k++) Py_XDECREF(v[k]);
                goto fail;
            }
        }
        for (int c = 0; c < NCOL; c++) PyList_SET_ITEM(lists[c], (Py_ssize_t)i, v[c]);
    }
    for (int c = 0; c < NCOL; c++) Py_DECREF(lists[c]);
    return cols;
fail:
    for (int c = 0; c < NCOL; c++) Py_XDECREF(lists[c]);
    Py_DECREF(cols);
    return NULL;
}

/* A reference date from None or a (year, month, day, hour, minute) tuple.
 * Returns 0 for None, 1 for a date, -1 with an exception set. */
static int dateref_from(module_state *st, PyObject *o, tb_dateref *ref) {
    if (o == Py_None) return 0;
    if (!PyTuple_Check(o) || PyTuple_GET_SIZE(o) != 5) {
        PyErr_SetString(PyExc_TypeError, "ref must be None or a (year, month, day, hour, minute) tuple");
        return -1;
    }
    int f[5];
    for (int k = 0; k < 5; k++) {
        int overflow = 0;
        long v = PyLong_AsLongAndOverflow(PyTuple_GET_ITEM(o, k), &overflow);
        if (v == -1 && PyErr_Occurred()) return -1;
        if (overflow || v < -1 || v > 99999) {
            PyErr_SetString(st->InputError, "ref date field out of range");
            return -1;
        }
        f[k] = (int)v;
    }
    ref->year = f[0];
    ref->month = f[1];
    ref->day = f[2];
    ref->hour = f[3];
    ref->minute = f[4];
    return 1;
}

/* scan_dates(text, ref) -> (columns, found_ref or None); see tb_date.h.
 * found_ref is (year, month, day, hour, minute, source), source the
 * evidence that gave it (tb_docdate_source_name: "dateline", "title", …). */
static PyObject *Segmenter_scan_dates(Segmenter *self, PyObject *args) {
    PyObject *text, *refobj = Py_None;
    if (!PyArg_ParseTuple(args, "O|O", &text, &refobj)) return NULL;
    if (check_ready(self) < 0) return NULL;
    module_state *st = self->st;
    tb_dateref ref;
    int has_ref = dateref_from(st, refobj, &ref);
    if (has_ref < 0) return NULL;
    const void *data;
    size_t n;
    int width;
    if (str_view(text, &data, &n, &width) < 0) return NULL;
    Py_INCREF(text);   /* our own reference while the GIL is released */
    tb_text t = {0};
    tb_dates d = {0};
    tb_dateref found;
    int has_found = 0;
    tb_error e = {0};
    tb_status s;
    Py_BEGIN_ALLOW_THREADS
    s = tb_text_build_cps(self->folder, data, n, width, &t, &e);
    if (s == TB_OK) s = tb_dates_scan(&t, has_ref ? &ref : NULL, &d, &found, &has_found, &e);
    tb_text_free(&t);
    Py_END_ALLOW_THREADS
    Py_DECREF(text);
    if (s != TB_OK) {
        tb_dates_free(&d);
        return raise_error(st, &e, NULL);
    }
    PyObject *cols = dates_columns(&d);
    const char *source = tb_docdate_source_name(d.doc_source);
    tb_dates_free(&d);
    if (cols == NULL) return NULL;
    if (!has_found) return Py_BuildValue("(NO)", cols, Py_None);
    return Py_BuildValue("(N(iiiiis))", cols, found.year, found.month, found.day, found.hour, found.minute, source);
}

/* ---- end dates --------------------------------------------------------- */

/* ---- entities ---------------------------------------------------------- */

/* EntityMatcher(lexicon): persons, places and organisations (tb_entity.h).
 * It opens the compiled lexicon for its folding table (traditional input)
 * and its word list (the name filter), and holds the gazetteer plus the
 * user's entries. Scans run with the GIL released. */
typedef struct {
    PyObject_HEAD
    tb_lexicon *lex;
    tb_folder *folder;
    tb_gazetteer *gz;
    module_state *st;
    PyObject *owner;    /* a Segmenter whose lexicon and folder we share, or NULL (we own ours) */
} EntityMatcher;

static int EntityMatcher_init(EntityMatcher *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"lexicon", NULL};
    PyObject *arg;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O", kwlist, &arg)) return -1;
    if (self->gz) {
        PyErr_SetString(PyExc_RuntimeError, "EntityMatcher already initialised");
        return -1;
    }
    self->st = PyType_GetModuleState(Py_TYPE(self));
    tb_error e = {0};
    tb_status s = TB_OK;
    if (PyObject_TypeCheck(arg, self->st->SegmenterType)) {
        /* Share the segmenter's lexicon and folder: one copy of the lexicon's
         * tables in the caches when analyze() runs both passes. */
        Segmenter *seg = (Segmenter *)arg;
        if (check_ready(seg) < 0) return -1;
        self->owner = Py_NewRef(arg);
        self->lex = seg->lex;
        self->folder = seg->folder;
        Py_BEGIN_ALLOW_THREADS
        s = tb_gazetteer_new(self->folder, self->lex, &self->gz, &e);
        Py_END_ALLOW_THREADS
    } else {
        PyObject *path_obj;
        if (!PyUnicode_FSConverter(arg, &path_obj)) return -1;
        const char *path = PyBytes_AS_STRING(path_obj);
        Py_BEGIN_ALLOW_THREADS
        s = tb_lexicon_open(path, &self->lex, &e);
        if (s == TB_OK) s = tb_folder_new(self->lex->t2s, self->lex->n_t2s, &self->folder, &e);
        if (s == TB_OK) s = tb_gazetteer_new(self->folder, self->lex, &self->gz, &e);
        Py_END_ALLOW_THREADS
        Py_DECREF(path_obj);
    }
    if (s != TB_OK) {
        if (self->owner == NULL) {
            tb_folder_free(self->folder);
            tb_lexicon_close(self->lex);
        }
        self->folder = NULL;
        self->lex = NULL;
        Py_CLEAR(self->owner);
        raise_error(self->st, &e, NULL);
        return -1;
    }
    return 0;
}

static void EntityMatcher_dealloc(EntityMatcher *self) {
    PyTypeObject *tp = Py_TYPE(self);
    tb_gazetteer_free(self->gz);
    if (self->owner == NULL) {
        tb_folder_free(self->folder);
        tb_lexicon_close(self->lex);
    }
    Py_CLEAR(self->owner);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static int entity_ready(EntityMatcher *self) {
    if (self->gz == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "EntityMatcher not initialised");
        return -1;
    }
    return 0;
}

/* Per-call memos for the column values that repeat (the same division
 * mentioned again, the few level names): direct-mapped, so a miss only
 * costs the string it would have built anyway. They live on the caller's
 * stack; no state outlives a call. */
#define ENT_MEMO 64
typedef struct { uint32_t code; PyObject *obj; } code_memo;
typedef struct { const char *key; PyObject *obj; } str_memo;

/* A division code as its six digits ("410100"); None for 0. */
static PyObject *code_str(code_memo *m, uint32_t code) {
    if (code == 0) return Py_NewRef(Py_None);
    code_memo *slot = &m[(code ^ (code >> 6)) % ENT_MEMO];
    if (slot->obj && slot->code == code) return Py_NewRef(slot->obj);
    if (code > 999999) return PyUnicode_FromFormat("%06u", (unsigned)code);   /* not a division code */
    PyObject *o = PyUnicode_New(6, 127);
    if (o == NULL) return NULL;
    Py_UCS1 *d = PyUnicode_1BYTE_DATA(o);
    for (uint32_t k = 6, v = code; k-- > 0; v /= 10) d[k] = (Py_UCS1)('0' + v % 10);
    Py_XSETREF(slot->obj, Py_NewRef(o));
    slot->code = code;
    return o;
}

/* A gazetteer string (level, canonical name; never freed before the
 * gazetteer, so its address identifies it); None for NULL. */
static PyObject *opt_str(str_memo *m, const char *s) {
    if (s == NULL) return Py_NewRef(Py_None);
    str_memo *slot = &m[((uintptr_t)s >> 3) % ENT_MEMO];
    if (slot->obj && slot->key == s) return Py_NewRef(slot->obj);
    PyObject *o = PyUnicode_FromString(s);
    if (o == NULL) return NULL;
    Py_XSETREF(slot->obj, Py_NewRef(o));
    slot->key = s;
    return o;
}

/* The entity table's columns (start, end, label, code, parent_code, level,
 * name) as a dict of equal-length lists; a separate function so a fused
 * analyze() can call it on its own scan. */
static PyObject *entity_columns_from(const tb_entities *ents) {
    static const char *keys[] = {"start", "end", "label", "code", "parent_code", "level", "name"};
    static const char *labels[] = {"person", "place", "org"};
    PyObject *cols[7] = {NULL}, *lab[3] = {NULL}, *dict = NULL;
    code_memo codes[ENT_MEMO] = {{0, NULL}};
    str_memo strs[ENT_MEMO] = {{NULL, NULL}};
    for (int k = 0; k < 7; k++)
        if ((cols[k] = PyList_New((Py_ssize_t)ents->n)) == NULL) goto done;
    for (int k = 0; k < 3; k++)
        if ((lab[k] = PyUnicode_InternFromString(labels[k])) == NULL) goto done;
    for (size_t i = 0; i < ents->n; i++) {
        const tb_entity *x = &ents->v[i];
        PyObject *v[7] = {PyLong_FromUnsignedLong(x->start), PyLong_FromUnsignedLong(x->end),
                          Py_NewRef(lab[x->label <= 2 ? x->label : 0]), code_str(codes, x->code),
                          code_str(codes, x->parent), opt_str(strs, x->level), opt_str(strs, x->name)};
        int bad = 0;
        for (int k = 0; k < 7; k++) {
            if (v[k] == NULL) bad = 1;
            else PyList_SET_ITEM(cols[k], (Py_ssize_t)i, v[k]);
        }
        if (bad) {   /* fill the rest so the lists can be freed */
            for (int k = 0; k < 7; k++)
                if (v[k] == NULL) PyList_SET_ITEM(cols[k], (Py_ssize_t)i, Py_NewRef(Py_None));
            for (size_t j = i + 1; j < ents->n; j++)
                for (int k = 0; k < 7; k++) PyList_SET_ITEM(cols[k], (Py_ssize_t)j, Py_NewRef(Py_None));
            goto done;
        }
    }
    if ((dict = PyDict_New()) == NULL) goto done;
    for (int k = 0; k < 7; k++)
        if (PyDict_SetItemString(dict, keys[k], cols[k]) < 0) {
            Py_CLEAR(dict);
            goto done;
        }
done:
    for (int k = 0; k < 7; k++) Py_XDECREF(cols[k]);
    for (int k = 0; k < 3; k++) Py_XDECREF(lab[k]);
    for (int k = 0; k < ENT_MEMO; k++) {
        Py_XDECREF(codes[k].obj);
        Py_XDECREF(strs[k].obj);
    }
    return dict;
}

static PyObject *EntityMatcher_columns(EntityMatcher *self, PyObject *text) {
    if (entity_ready(self) < 0) return NULL;
    const void *data;
    size_t n;
    int width;
    if (str_view(text, &data, &n, &width) < 0) return NULL;
    Py_INCREF(text);   /* our own reference while the GIL is released */
    tb_text t = {0};
    tb_entities ents = {0};
    tb_error e = {0};
    tb_status s;
    Py_BEGIN_ALLOW_THREADS
    s = tb_text_build_cps(self->folder, data, n, width, &t, &e);
    if (s == TB_OK) s = tb_entity_scan(self->gz, &t, &ents, &e);
    Py_END_ALLOW_THREADS
    Py_DECREF(text);
    tb_text_free(&t);
    if (s != TB_OK) {
        tb_entities_free(&ents);
        return raise_error(self->st, &e, NULL);
    }
    PyObject *out = entity_columns_from(&ents);
    tb_entities_free(&ents);
    return out;
}

static PyObject *EntityMatcher_add(EntityMatcher *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"text", "label", "code", "parent_code", "level", NULL};
    PyObject *text;
    int label;
    unsigned long code = 0, parent = 0;
    const char *level = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "Ui|kkz", kwlist, &text, &label, &code, &parent, &level))
        return NULL;
    if (entity_ready(self) < 0) return NULL;
    if (label < 0 || label > 2 || code > 999999 || parent > 999999) {
        PyErr_SetString(self->st->InputError, "bad entity label or code");
        return NULL;
    }
    Py_ssize_t len;
    const char *buf = PyUnicode_AsUTF8AndSize(text, &len);
    if (buf == NULL) return NULL;
    tb_error e = {0};
    tb_status s;
    Py_BEGIN_ALLOW_THREADS
    s = tb_gazetteer_add(self->gz, (const uint8_t *)buf, (size_t)len, (tb_ent_label)label,
                         (uint32_t)code, (uint32_t)parent, level, &e);
    Py_END_ALLOW_THREADS
    if (s != TB_OK) return raise_error(self->st, &e, NULL);
    Py_RETURN_NONE;
}

static PyObject *EntityMatcher_get_data_version(EntityMatcher *self, void *closure) {
    (void)self;
    (void)closure;
    return PyUnicode_FromString(tb_gazetteer_data_version());
}

static PyMethodDef EntityMatcher_methods[] = {
    {"columns", (PyCFunction)EntityMatcher_columns, METH_O,
     "columns(text)\n--\n\nEntities of text: a dict of equal-length lists start, end, label, "
     "code, parent_code, level, name."},
    {"add", (PyCFunction)(void (*)(void))EntityMatcher_add, METH_VARARGS | METH_KEYWORDS,
     "add(text, label, code=0, parent_code=0, level=None)\n--\n\nAdd an entry (label 0 person, "
     "1 place, 2 org); it takes effect for the next scan."},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef EntityMatcher_getset[] = {
    {"data_version", (getter)EntityMatcher_get_data_version, NULL,
     "The division data compiled in.", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyType_Slot EntityMatcher_slots[] = {
    {Py_tp_doc, "EntityMatcher(lexicon)\n--\n\nPersons, places (with division codes) and "
                "organisations; `lexicon` is a compiled lexicon file or a Segmenter whose lexicon "
                "and folding tables are shared."},
    {Py_tp_init, EntityMatcher_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_dealloc, EntityMatcher_dealloc},
    {Py_tp_methods, EntityMatcher_methods},
    {Py_tp_getset, EntityMatcher_getset},
    {0, NULL}};

static PyType_Spec EntityMatcher_spec = {
    .name = "tongbao._core.EntityMatcher",
    .basicsize = sizeof(EntityMatcher),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = EntityMatcher_slots,
};

/* ---- metric rules ------------------------------------------------------- */

/* MetricRules(source=None, name=None): the metric rule table compiled with
 * PCRE2 (tb_metric_rules.h); the shipped one when `source` is None. Read-only
 * once built, so one object serves every thread; it also holds the names
 * of its metrics, scopes, origins and rules as interned str objects, so a
 * result table is built without a str per row. */
typedef struct {
    PyObject_HEAD
    tb_metric_rules *rules;
    PyObject *metrics, *scopes, *origins, *rule_names;   /* tuples of str */
    PyObject *version;
    module_state *st;
} MetricRules;

static PyObject *names_tuple(size_t n, const char *(*name)(const tb_metric_rules *, size_t), const tb_metric_rules *r) {
    PyObject *t = PyTuple_New((Py_ssize_t)n);
    for (size_t k = 0; t && k < n; k++) {
        PyObject *o = PyUnicode_InternFromString(name(r, k));
        if (o == NULL) Py_CLEAR(t);
        else PyTuple_SET_ITEM(t, (Py_ssize_t)k, o);
    }
    return t;
}

static const char *metric_name_at(const tb_metric_rules *r, size_t k) { return r->metrics[k].name; }
static const char *scope_name_at(const tb_metric_rules *r, size_t k) { return r->scopes[k]; }
static const char *origin_name_at(const tb_metric_rules *r, size_t k) { return r->origins[k]; }

static int MetricRules_init(MetricRules *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"source", "name", NULL};
    PyObject *src = Py_None;
    const char *name = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|Oz", kwlist, &src, &name)) return -1;
    if (self->rules) {
        PyErr_SetString(PyExc_RuntimeError, "MetricRules already initialised");
        return -1;
    }
    self->st = PyType_GetModuleState(Py_TYPE(self));
    const char *text;
    Py_ssize_t len;
    size_t dlen;
    if (src == Py_None) {
        text = tb_metric_rules_default_source(&dlen);
        len = (Py_ssize_t)dlen;
    } else if (PyUnicode_Check(src)) {
        text = PyUnicode_AsUTF8AndSize(src, &len);
        if (text == NULL) return -1;
    } else {
        PyErr_Format(PyExc_TypeError, "source must be a str or None, not %.100s", Py_TYPE(src)->tp_name);
        return -1;
    }
    tb_error e = {0};
    tb_metric_rules *r = NULL;
    tb_status s;
    Py_BEGIN_ALLOW_THREADS
    s = tb_metric_rules_new(text, (size_t)len, &r, &e);
    Py_END_ALLOW_THREADS
    if (s != TB_OK) {
        raise_error(self->st, &e, name ? name : src == Py_None ? "lexicon/metrics.rules" : NULL);
        return -1;
    }
    self->rules = r;
    self->metrics = names_tuple(r->n_metrics, metric_name_at, r);
    self->scopes = names_tuple(r->n_scopes, scope_name_at, r);
    self->origins = names_tuple(r->n_origins, origin_name_at, r);
    self->rule_names = names_tuple(r->n_rules + r->n_items, tb_metric_rules_rule_name, r);
    self->version = PyUnicode_FromString(r->version);
    if (!self->metrics || !self->scopes || !self->origins || !self->rule_names || !self->version) return -1;
    return 0;
}

static void MetricRules_dealloc(MetricRules *self) {
    PyTypeObject *tp = Py_TYPE(self);
    tb_metric_rules_free(self->rules);
    Py_XDECREF(self->metrics);
    Py_XDECREF(self->scopes);
    Py_XDECREF(self->origins);
    Py_XDECREF(self->rule_names);
    Py_XDECREF(self->version);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyMemberDef MetricRules_members[] = {
    {"metrics", T_OBJECT_EX, offsetof(MetricRules, metrics), READONLY, "The metric names, in table order."},
    {"scopes", T_OBJECT_EX, offsetof(MetricRules, scopes), READONLY, "The scope names."},
    {"origins", T_OBJECT_EX, offsetof(MetricRules, origins), READONLY, "The origin names."},
    {"rules", T_OBJECT_EX, offsetof(MetricRules, rule_names), READONLY, "The rule and item names."},
    {"version", T_OBJECT_EX, offsetof(MetricRules, version), READONLY, "Where the table came from."},
    {NULL, 0, 0, 0, NULL}};

static PyType_Slot MetricRules_slots[] = {
    {Py_tp_doc, "MetricRules(source=None, name=None)\n--\n\nA metric rule table compiled with PCRE2; the "
                "shipped lexicon/metrics.rules when source is None. `name` names the source in errors."},
    {Py_tp_init, MetricRules_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_dealloc, MetricRules_dealloc},
    {Py_tp_members, MetricRules_members},
    {0, NULL}};

static PyType_Spec MetricRules_spec = {
    .name = "tongbao._core.MetricRules",
    .basicsize = sizeof(MetricRules),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = MetricRules_slots,
};

/* unpack_tokens(text, packed) -> (words, starts, ends, tags): the token
 * table of an extract_batch() result, built when first asked for. Tokens
 * come back packed (tb_token records in a bytes object) so that a caller
 * who never looks at the token table never pays for one str per token. */
static PyObject *Segmenter_unpack_tokens(Segmenter *self, PyObject *args) {
    PyObject *text;
    Py_buffer packed;
    if (!PyArg_ParseTuple(args, "Uy*", &text, &packed)) return NULL;
    if (check_ready(self) < 0) {
        PyBuffer_Release(&packed);
        return NULL;
    }
    if (packed.len % (Py_ssize_t)sizeof(tb_token) != 0) {
        PyBuffer_Release(&packed);
        PyErr_SetString(PyExc_ValueError, "packed tokens have the wrong size");
        return NULL;
    }
    tb_tokens toks = {(tb_token *)packed.buf, (size_t)packed.len / sizeof(tb_token), 0};
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (size_t k = 0; k < toks.n; k++) {
        if (toks.v[k].end > (uint64_t)n || toks.v[k].start > toks.v[k].end ||
            (toks.v[k].node != TB_LEX_NONE && toks.v[k].node >= self->lex->n_nodes)) {
            PyBuffer_Release(&packed);
            PyErr_SetString(PyExc_ValueError, "packed tokens do not belong to this text");
            return NULL;
        }
    }
    PyObject *res = build_output(self, text, &toks, OUT_TABLE);
    PyBuffer_Release(&packed);
    return res;
}

/* ---- extract_batch: many documents, columns per table ------------------ */

/* A column of a batch's table: numbers in a bytes object (int64, float64,
 * or int8 booleans with -1 for missing) that numpy reads without a copy,
 * strings in a list. One pass over the C results per column, no object per
 * number. */
typedef enum { COL_I64, COL_F64, COL_BOOL, COL_OBJ } col_kind;

typedef struct {
    const char *name;
    col_kind kind;
    PyObject *obj;
    char *p;   /* the bytes' storage */
} batch_col;

static int cols_new(batch_col *c, int ncol, Py_ssize_t n) {
    static const Py_ssize_t size[] = {8, 8, 1, 0};
    for (int k = 0; k < ncol; k++) {
        c[k].obj = c[k].kind == COL_OBJ ? PyList_New(n) : PyBytes_FromStringAndSize(NULL, n * size[c[k].kind]);
        if (c[k].obj == NULL) return -1;
        if (c[k].kind == COL_OBJ) {   /* filled before any exit, so the list can be freed */
            for (Py_ssize_t i = 0; i < n; i++) PyList_SET_ITEM(c[k].obj, i, Py_NewRef(Py_None));
        } else {
            c[k].p = PyBytes_AS_STRING(c[k].obj);
        }
    }
    return 0;
}

static inline void put_i64(batch_col *c, Py_ssize_t i, int64_t v) { memcpy(c->p + 8 * i, &v, 8); }
static inline void put_f64(batch_col *c, Py_ssize_t i, double v) { memcpy(c->p + 8 * i, &v, 8); }
static inline void put_bool(batch_col *c, Py_ssize_t i, int v) { c->p[i] = (char)(v < 0 ? -1 : v != 0); }
/* Steals `v`; NULL (a failed allocation, its exception set) leaves the
 * slot's None, and the loops stop at the next row (PyErr_Occurred). */
static inline void put_obj(batch_col *c, Py_ssize_t i, PyObject *v) {
    if (v != NULL) Py_SETREF(PyList_GET_ITEM(c->obj, i), v);   /* (the slot held None) */
}

/* The columns as a dict name -> column object; frees them. NULL on error. */
static PyObject *cols_dict(batch_col *c, int ncol) {
    PyObject *d = PyErr_Occurred() ? NULL : PyDict_New();
    for (int k = 0; k < ncol && d != NULL; k++)
        if (PyDict_SetItemString(d, c[k].name, c[k].obj) < 0) Py_CLEAR(d);
    for (int k = 0; k < ncol; k++) Py_CLEAR(c[k].obj);
    return d;
}

/* A str or the missing-value object for NULL/None. */
static inline PyObject *or_na(PyObject *v, PyObject *na) {
    if (v == Py_None) {
        Py_DECREF(v);
        return Py_NewRef(na);
    }
    return v;
}

typedef struct {
    PyObject *text;        /* the document's str (offsets are its code points) */
    tb_extract_doc d;
    int failed;
    tb_error err;          /* why, when failed */
    int fingerprint;       /* hash it, without the lines in drop */
    size_t *drop, n_drop;
} batch_doc;

/* A document's entry of extract_batch's drops: None (no fingerprint here)
 * or a sequence of ascending line numbers. -1 with an exception set. */
static int drop_lines(PyObject *o, batch_doc *b) {
    if (o == Py_None) return 0;
    PyObject *seq = PySequence_Fast(o, "drops[i] must be None or a sequence of line numbers");
    if (seq == NULL) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    b->drop = PyMem_Malloc((n ? (size_t)n : 1) * sizeof *b->drop);
    if (b->drop == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        size_t v = PyLong_AsSize_t(PySequence_Fast_GET_ITEM(seq, k));
        if (v == (size_t)-1 && PyErr_Occurred()) {
            Py_DECREF(seq);
            return -1;
        }
        if (k > 0 && v <= b->drop[k - 1]) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError, "drops[i] must be ascending line numbers");
            return -1;
        }
        b->drop[k] = v;
    }
    Py_DECREF(seq);
    b->n_drop = (size_t)n;
    b->fingerprint = 1;
    return 0;
}

/* What a table's row filler has at hand: the missing-value object, the
 * memos of the strings that repeat, and (metrics) the rule table's names. */
typedef struct {
    PyObject *na;
    PyObject *pct;   /* "%" */
    const MetricRules *mr;
    code_memo codes[ENT_MEMO];
    str_memo strs[ENT_MEMO];
} row_ctx;

/* One table: its columns (names and kinds, in SCHEMAS order), its rows in
 * an analysis, and how row i of document b fills row r of the columns. */
typedef struct {
    const char *name;
    const batch_col *cols;
    int ncol;
    size_t (*count)(const tb_analysis *a);
    void (*fill)(batch_col *c, Py_ssize_t r, const batch_doc *b, size_t i, row_ctx *x);
} table_spec;

static void quantity_row(batch_col *c, Py_ssize_t r, const batch_doc *b, size_t i, row_ctx *x) {
    const tb_quantity *q = &b->d.a.quantities.v[i];
    put_obj(&c[0], r, PyUnicode_Substring(b->text, q->start, q->end));
    put_i64(&c[1], r, q->start);
    put_i64(&c[2], r, q->end);
    put_f64(&c[3], r, q->value);
    if (q->kind == TB_QK_PERCENT || q->kind == TB_QK_PERCENT_POINT) put_obj(&c[4], r, Py_NewRef(x->pct));
    else if (q->unit_end > q->unit_start)   /* the unit as the folded view has it */
        put_obj(&c[4], r, PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, b->d.a.text.cp + q->unit_start,
                                                    (Py_ssize_t)(q->unit_end - q->unit_start)));
    else put_obj(&c[4], r, Py_NewRef(x->na));
    put_obj(&c[5], r, or_na(opt_str(x->strs, APPROX_NAMES[q->approx <= 3 ? q->approx : 0]), x->na));
    put_bool(&c[6], r, q->ordinal);
    put_f64(&c[7], r, q->low);
    put_f64(&c[8], r, q->high);
    put_obj(&c[9], r, opt_str(x->strs, QUANTITY_KINDS[q->kind <= 3 ? q->kind : 0]));
}

static void date_row(batch_col *c, Py_ssize_t r, const batch_doc *b, size_t i, row_ctx *x) {
    const tb_date *d = &b->d.a.dates.v[i];
    const char *role = d->range_role == TB_RANGE_START ? "start" : d->range_role == TB_RANGE_END ? "end" : NULL;
    put_obj(&c[0], r, PyUnicode_Substring(b->text, d->start, d->end));
    put_i64(&c[1], r, d->start);
    put_i64(&c[2], r, d->end);
    put_obj(&c[3], r, d->value[0] ? PyUnicode_FromString(d->value) : Py_NewRef(x->na));
    put_obj(&c[4], r, opt_str(x->strs, tb_date_gran_name(d->granularity)));
    put_obj(&c[5], r, or_na(opt_str(x->strs, tb_date_pod_name(d->part_of_day)), x->na));
    put_bool(&c[6], r, d->relative);
    put_obj(&c[7], r, or_na(opt_str(x->strs, role), x->na));
    put_obj(&c[8], r, or_na(opt_str(x->strs, tb_date_dir_name(d->direction)), x->na));
    put_bool(&c[9], r, d->ambiguous);
}

static void entity_row(batch_col *c, Py_ssize_t r, const batch_doc *b, size_t i, row_ctx *x) {
    static const char *labels[] = {"person", "place", "org"};
    const tb_entity *e = &b->d.a.entities.v[i];
    put_obj(&c[0], r, PyUnicode_Substring(b->text, e->start, e->end));
    put_i64(&c[1], r, e->start);
    put_i64(&c[2], r, e->end);
    put_obj(&c[3], r, opt_str(x->strs, labels[e->label <= 2 ? e->label : 0]));
    put_obj(&c[4], r, or_na(code_str(x->codes, e->code), x->na));
    put_obj(&c[5], r, or_na(code_str(x->codes, e->parent), x->na));
    put_obj(&c[6], r, or_na(opt_str(x->strs, e->level), x->na));
    put_obj(&c[7], r, or_na(opt_str(x->strs, e->name), x->na));
}

/* region: the place as written (金水區 stays traditional) or, for 全省/全市
 * and the document's own area, the division's name; date: the as-of date
 * only when wholly known, with what is known in date_text (XXXX-06-12);
 * text: the evidence. */
static void metric_row(batch_col *c, Py_ssize_t r, const batch_doc *b, size_t i, row_ctx *x) {
    const tb_metric *m = &b->d.a.metrics.v[i];
    const MetricRules *mr = x->mr;
    PyObject *na = x->na;
    put_obj(&c[0], r, Py_NewRef(PyTuple_GET_ITEM(mr->metrics, m->metric)));
    put_obj(&c[1], r, Py_NewRef(m->scope ? PyTuple_GET_ITEM(mr->scopes, m->scope - 1) : na));
    put_obj(&c[2], r, Py_NewRef(m->origin ? PyTuple_GET_ITEM(mr->origins, m->origin - 1) : na));
    put_obj(&c[3], r, m->region_end > m->region_start ? PyUnicode_Substring(b->text, m->region_start, m->region_end)
                                                      : or_na(opt_str(x->strs, m->region_name), na));
    put_obj(&c[4], r, or_na(code_str(x->codes, m->code), na));
    PyObject *date = m->date[0] ? PyUnicode_FromString(m->date) : Py_NewRef(na);
    int whole = date != NULL && date != na && strchr(m->date, 'X') == NULL;
    put_obj(&c[5], r, Py_NewRef(whole ? date : na));
    put_obj(&c[6], r, date);
    put_f64(&c[7], r, m->value);
    put_obj(&c[8], r, or_na(opt_str(x->strs, APPROX_NAMES[m->approx <= 3 ? m->approx : 0]), na));
    put_obj(&c[9], r, PyUnicode_Substring(b->text, m->start, m->end));
    put_i64(&c[10], r, m->start);
    put_i64(&c[11], r, m->end);
    put_obj(&c[12], r, Py_NewRef(PyTuple_GET_ITEM(mr->rule_names, m->rule)));
    put_bool(&c[13], r, m->consistent);
    put_bool(&c[14], r, m->part);
}

static size_t n_quantities(const tb_analysis *a) { return a->quantities.n; }
static size_t n_dates(const tb_analysis *a) { return a->dates.n; }
static size_t n_entities(const tb_analysis *a) { return a->entities.n; }
static size_t n_metrics(const tb_analysis *a) { return a->metrics.n; }

static const batch_col QUANTITY_COLS[] = {
    {"text", COL_OBJ}, {"start", COL_I64}, {"end", COL_I64}, {"value", COL_F64}, {"unit", COL_OBJ},
    {"approx", COL_OBJ}, {"ordinal", COL_BOOL}, {"low", COL_F64}, {"high", COL_F64}, {"kind", COL_OBJ}};
static const batch_col DATE_COLS[] = {
    {"text", COL_OBJ}, {"start", COL_I64}, {"end", COL_I64}, {"value", COL_OBJ}, {"granularity", COL_OBJ},
    {"part_of_day", COL_OBJ}, {"relative", COL_BOOL}, {"range_role", COL_OBJ}, {"direction", COL_OBJ},
    {"ambiguous", COL_BOOL}};
static const batch_col ENTITY_COLS[] = {
    {"text", COL_OBJ}, {"start", COL_I64}, {"end", COL_I64}, {"label", COL_OBJ}, {"code", COL_OBJ},
    {"parent_code", COL_OBJ}, {"level", COL_OBJ}, {"name", COL_OBJ}};
static const batch_col METRIC_COLS[] = {
    {"metric", COL_OBJ}, {"scope", COL_OBJ}, {"origin", COL_OBJ}, {"region", COL_OBJ}, {"code", COL_OBJ},
    {"date", COL_OBJ}, {"date_text", COL_OBJ}, {"value", COL_F64}, {"approx", COL_OBJ}, {"text", COL_OBJ},
    {"start", COL_I64}, {"end", COL_I64}, {"rule", COL_OBJ}, {"consistent", COL_BOOL}, {"part", COL_BOOL}};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))
enum { MAX_COLS = 15 };

static const table_spec TABLES[] = {
    {"quantities", QUANTITY_COLS, NCOLS(QUANTITY_COLS), n_quantities, quantity_row},
    {"dates", DATE_COLS, NCOLS(DATE_COLS), n_dates, date_row},
    {"entities", ENTITY_COLS, NCOLS(ENTITY_COLS), n_entities, entity_row},
    {"metrics", METRIC_COLS, NCOLS(METRIC_COLS), n_metrics, metric_row},
};

/* Table `t`'s columns over every document of the batch, as a dict. */
static PyObject *batch_table(const table_spec *t, batch_doc *docs, Py_ssize_t nd, row_ctx *x) {
    batch_col c[MAX_COLS];
    memcpy(c, t->cols, (size_t)t->ncol * sizeof *c);
    Py_ssize_t rows = 0;
    for (Py_ssize_t k = 0; k < nd; k++) rows += (Py_ssize_t)t->count(&docs[k].d.a);
    if (cols_new(c, t->ncol, rows) == 0) {
        Py_ssize_t r = 0;
        for (Py_ssize_t k = 0; k < nd && !PyErr_Occurred(); k++) {
            size_t n = t->count(&docs[k].d.a);
            for (size_t i = 0; i < n && !PyErr_Occurred(); i++, r++) t->fill(c, r, &docs[k], i, x);
        }
    }
    return cols_dict(c, t->ncol);
}

/* What one document gives beside its rows: (state, found, counts, fp, packed).
 * state 0 analysed, 1 binary (not analysed), 2 failed (found is then the
 * exception, a tongbao.Error or MemoryError, for the caller to raise or
 * report); found the text's own date as
 * (year, month, day, hour, minute, source) or None; counts (quantities,
 * dates, entities, metrics); fp the fingerprint (32 hex digits) or None
 * (not asked for, or the text is not simple: the caller computes it);
 * packed the tokens
 * (as analyze() packs them) when asked for, else None. */
static PyObject *batch_doc_info(module_state *st, const batch_doc *b, int want_tokens) {
    const tb_extract_doc *d = &b->d;
    if (b->failed) {   /* the exception raise_error would raise, as an object */
        raise_error(st, &b->err, NULL);
        PyObject *type, *value, *tb;
        PyErr_Fetch(&type, &value, &tb);
        PyErr_NormalizeException(&type, &value, &tb);
        Py_XDECREF(type);
        Py_XDECREF(tb);
        if (value == NULL) return NULL;
        return Py_BuildValue("(iNOOO)", 2, value, Py_None, Py_None, Py_None);
    }
    if (d->binary) return Py_BuildValue("(iOOOO)", 1, Py_None, Py_None, Py_None, Py_None);
    PyObject *found = d->has_found ? Py_BuildValue("(iiiiis)", d->found.year, d->found.month, d->found.day,
                                                   d->found.hour, d->found.minute,
                                                   tb_docdate_source_name(d->found_source))
                                   : Py_NewRef(Py_None);
    PyObject *counts = Py_BuildValue("(nnnn)", (Py_ssize_t)d->a.quantities.n, (Py_ssize_t)d->a.dates.n,
                                     (Py_ssize_t)d->a.entities.n, (Py_ssize_t)d->a.metrics.n);
    PyObject *fp = NULL;
    if (d->fp_simple) {   /* the digest as hashlib's hexdigest() writes it */
        char hex[2 * TB_EXTRACT_DIGEST];
        for (size_t k = 0; k < TB_EXTRACT_DIGEST; k++) {
            hex[2 * k] = "0123456789abcdef"[d->fp_digest[k] >> 4];
            hex[2 * k + 1] = "0123456789abcdef"[d->fp_digest[k] & 15];
        }
        fp = PyUnicode_FromStringAndSize(hex, sizeof hex);
    } else {
        fp = Py_NewRef(Py_None);
    }
    PyObject *packed = want_tokens ? PyBytes_FromStringAndSize((const char *)d->a.tokens.v,
                                                               (Py_ssize_t)(d->a.tokens.n * sizeof(tb_token)))
                                   : Py_NewRef(Py_None);
    if (found && counts && fp && packed) return Py_BuildValue("(iNNNN)", 0, found, counts, fp, packed);
    Py_XDECREF(found);
    Py_XDECREF(counts);
    Py_XDECREF(fp);
    Py_XDECREF(packed);
    return NULL;
}

/* extract_batch(texts, refs, fallbacks, entities=None, metrics=None, fp_table=None, drops=None,
 *               na=None, tokens=False, binary_check=True) -> (docs, tables)
 *
 * tongbao.extract's documents through tb_extract_run (core/tb_extract.h),
 * all of them with the GIL released, then each table's columns over the
 * whole batch: `docs` a list of batch_doc_info tuples, `tables` a dict
 * (quantities, dates, entities, metrics: as far as asked for) of dicts
 * column -> bytes (int64, float64, int8 booleans -1 missing) or list (str,
 * `na` for missing), rows in document order. refs[i] and fallbacks[i] are
 * None or (year, month, day, hour, minute); drops[i] (with fp_table) None or
 * the chrome lines of text i (fingerprint_scan's candidates that Python's
 * rules kept as chrome), ascending. */
static PyObject *Segmenter_extract_batch(Segmenter *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"texts", "refs", "fallbacks", "entities", "metrics", "fp_table", "drops", "na",
                             "tokens", "binary_check", NULL};
    PyObject *texts, *refs, *fallbacks, *matcher = Py_None, *rulesobj = Py_None, *tableobj = Py_None, *na = Py_None;
    PyObject *dropsobj = Py_None;
    int want_tokens = 0, binary_check = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O!O!O!|OOOOOpp", kwlist, &PyList_Type, &texts, &PyList_Type, &refs,
                                     &PyList_Type, &fallbacks, &matcher, &rulesobj, &tableobj, &dropsobj, &na,
                                     &want_tokens, &binary_check))
        return NULL;
    if (check_ready(self) < 0) return NULL;
    Py_ssize_t nd = PyList_GET_SIZE(texts);
    if (PyList_GET_SIZE(refs) != nd || PyList_GET_SIZE(fallbacks) != nd ||
        (dropsobj != Py_None && (!PyList_Check(dropsobj) || PyList_GET_SIZE(dropsobj) != nd))) {
        PyErr_SetString(PyExc_ValueError, "texts, refs, fallbacks (and drops) must be lists of the same length");
        return NULL;
    }
    tb_extract_opts o = {&self->seg, NULL, NULL, NULL, !binary_check};
    if (matcher != Py_None) {
        if (!PyObject_TypeCheck(matcher, self->st->EntityMatcherType)) {
            PyErr_SetString(PyExc_TypeError, "entities must be an EntityMatcher or None");
            return NULL;
        }
        if (entity_ready((EntityMatcher *)matcher) < 0) return NULL;
        o.gz = ((EntityMatcher *)matcher)->gz;
    }
    if (rulesobj != Py_None) {
        if (!PyObject_TypeCheck(rulesobj, self->st->MetricRulesType) || ((MetricRules *)rulesobj)->rules == NULL) {
            PyErr_SetString(PyExc_TypeError, "metrics must be an initialised MetricRules or None");
            return NULL;
        }
        if (o.gz == NULL) {
            PyErr_SetString(PyExc_ValueError, "metrics need entities (the places they are for)");
            return NULL;
        }
        o.rules = ((MetricRules *)rulesobj)->rules;
    }
    Py_buffer table = {0};
    if (tableobj != Py_None) {
        if (PyObject_GetBuffer(tableobj, &table, PyBUF_SIMPLE) < 0) return NULL;
        if (table.len != 65536) {
            PyBuffer_Release(&table);
            PyErr_SetString(PyExc_ValueError, "fp_table must have 65536 bytes");
            return NULL;
        }
        o.fp_table = table.buf;
    }
    if (tableobj != Py_None && dropsobj == Py_None) {
        PyBuffer_Release(&table);
        PyErr_SetString(PyExc_ValueError, "fp_table needs drops (the chrome lines of each text, or None)");
        return NULL;
    }
    batch_doc *docs = PyMem_Calloc(nd ? (size_t)nd : 1, sizeof *docs);
    tb_dateref *dr = PyMem_Calloc(nd ? 2 * (size_t)nd : 1, sizeof *dr);   /* refs, then fallbacks */
    signed char *has = PyMem_Calloc(nd ? 2 * (size_t)nd : 1, 1);
    const void **data = PyMem_Calloc(nd ? (size_t)nd : 1, sizeof *data);
    size_t *len = PyMem_Calloc(nd ? (size_t)nd : 1, sizeof *len);
    int *width = PyMem_Calloc(nd ? (size_t)nd : 1, sizeof *width);
    PyObject *res = NULL;
    Py_ssize_t got = 0;   /* documents whose text reference is held */
    if (!docs || !dr || !has || !data || !len || !width) {
        PyErr_NoMemory();
        goto done;
    }
    while (got < nd) {
        PyObject *t = PyList_GET_ITEM(texts, got);
        for (int w = 0; w < 2; w++) {
            int h = dateref_from(self->st, PyList_GET_ITEM(w ? fallbacks : refs, got), &dr[w * nd + got]);
            if (h < 0) goto done;
            has[w * nd + got] = (signed char)h;
        }
        if (str_view(t, &data[got], &len[got], &width[got]) < 0) goto done;
        if (o.fp_table && drop_lines(PyList_GET_ITEM(dropsobj, got), &docs[got]) < 0) goto done;
        docs[got++].text = Py_NewRef(t);   /* ours while the GIL is released, whatever the caller does */
    }
    Py_INCREF(matcher);
    Py_INCREF(rulesobj);
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < nd; k++) {
        tb_status s = tb_extract_run(&o, data[k], len[k], width[k], has[k] ? &dr[k] : NULL,
                                     has[nd + k] ? &dr[nd + k] : NULL, docs[k].fingerprint ? docs[k].drop : NULL,
                                     docs[k].n_drop, &docs[k].d, &docs[k].err);
        if (s != TB_OK) {   /* no rows of it; its error goes back as an exception object */
            docs[k].failed = 1;
            tb_extract_doc_free(&docs[k].d);
            memset(&docs[k].d, 0, sizeof docs[k].d);
        }
    }
    Py_END_ALLOW_THREADS
    Py_DECREF(matcher);
    {
        PyObject *info = PyList_New(nd);
        for (Py_ssize_t k = 0; info != NULL && k < nd; k++) {
            PyObject *di = batch_doc_info(self->st, &docs[k], want_tokens);
            if (di == NULL) Py_CLEAR(info);
            else PyList_SET_ITEM(info, k, di);
        }
        PyObject *tables = info ? PyDict_New() : NULL;
        row_ctx x = {na, PyUnicode_InternFromString("%"), (const MetricRules *)rulesobj, {{0, NULL}}, {{NULL, NULL}}};
        /* quantities and dates always; entities with a gazetteer, metrics with rules */
        int ntables = o.rules ? 4 : o.gz ? 3 : 2;
        for (int t = 0; tables != NULL && x.pct != NULL && t < ntables; t++) {
            PyObject *cols = batch_table(&TABLES[t], docs, nd, &x);
            if (cols == NULL || PyDict_SetItemString(tables, TABLES[t].name, cols) < 0) Py_CLEAR(tables);
            Py_XDECREF(cols);
        }
        Py_XDECREF(x.pct);
        for (int k = 0; k < ENT_MEMO; k++) {
            Py_XDECREF(x.codes[k].obj);
            Py_XDECREF(x.strs[k].obj);
        }
        if (tables != NULL && x.pct != NULL) res = PyTuple_Pack(2, info, tables);
        Py_XDECREF(info);
        Py_XDECREF(tables);
    }
    Py_DECREF(rulesobj);
done:
    for (Py_ssize_t k = 0; docs != NULL && k < nd; k++) {
        if (k < got) {
            tb_extract_doc_free(&docs[k].d);
            Py_DECREF(docs[k].text);
        }
        PyMem_Free(docs[k].drop);
    }
    PyMem_Free(docs);
    PyMem_Free(dr);
    PyMem_Free(has);
    PyMem_Free(data);
    PyMem_Free(len);
    PyMem_Free(width);
    if (tableobj != Py_None) PyBuffer_Release(&table);
    return res;
}

static PyMethodDef Segmenter_methods[] = {
    {"segment", (PyCFunction)(void (*)(void))Segmenter_segment, METH_FASTCALL | METH_KEYWORDS,
     "segment(text, mode=0, hmm=True, output=0)\n--\n\nSegment a str. mode: 0 accurate, 1 full, "
     "2 search, 3 ICU BreakIterator. output: 0 words, 1 (word, start, end), 2 table columns."},
    {"set_word", (PyCFunction)(void (*)(void))Segmenter_set_word, METH_VARARGS | METH_KEYWORDS,
     "set_word(word, freq, tag=None)\n--\n\nAdd or re-weight a user word; freq 0 deletes it."},
    {"scan_dates", (PyCFunction)Segmenter_scan_dates, METH_VARARGS,
     "scan_dates(text, ref=None)\n--\n\nDates in text: (columns, found_ref); ref and found_ref are "
     "(year, month, day, hour, minute) with -1 for an unknown hour or minute."},
    {"word_freq", (PyCFunction)Segmenter_word_freq, METH_O,
     "word_freq(word)\n--\n\nThe word's frequency, or None if it is not in the dictionary."},
    {"extract_batch", (PyCFunction)(void (*)(void))Segmenter_extract_batch, METH_VARARGS | METH_KEYWORDS,
     "extract_batch(texts, refs, fallbacks, entities=None, metrics=None, fp_table=None, drops=None, na=None, "
     "tokens=False, binary_check=True) -> (docs, tables): tongbao.extract's documents (tongbao.analyze's with "
     "binary_check=False), columns per table over the batch."},
    {"unpack_tokens", (PyCFunction)Segmenter_unpack_tokens, METH_VARARGS,
     "unpack_tokens(text, packed)\n--\n\nToken table columns from analyze()'s packed tokens."},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef Segmenter_getset[] = {
    {"total", (getter)Segmenter_get_total, NULL, "Sum of word frequencies (jieba's total).", NULL},
    {"source", (getter)Segmenter_get_source, NULL, "Where the compiled lexicon came from.", NULL},
    {"n_words", (getter)Segmenter_get_n_words, NULL, "Number of words in the base lexicon.", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyType_Slot Segmenter_slots[] = {
    {Py_tp_doc, "Segmenter(lexicon, style=0)\n--\n\nThe C segmenter over a compiled lexicon file."},
    {Py_tp_init, Segmenter_init},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_dealloc, Segmenter_dealloc},
    {Py_tp_traverse, Segmenter_traverse},
    {Py_tp_clear, Segmenter_clear},
    {Py_tp_methods, Segmenter_methods},
    {Py_tp_getset, Segmenter_getset},
    {0, NULL}};

static PyType_Spec Segmenter_spec = {
    .name = "tongbao._core.Segmenter",
    .basicsize = sizeof(Segmenter),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_IMMUTABLETYPE,
    .slots = Segmenter_slots,
};

/* ---- module functions -------------------------------------------------- */

static PyObject *mod_decode(PyObject *module, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"data", "encoding", NULL};
    Py_buffer view;
    const char *encoding = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "y*|z", kwlist, &view, &encoding)) return NULL;
    uint8_t *out = NULL;
    size_t out_len = 0;
    char name[TB_ENCODING_NAME_MAX] = {0};
    tb_error e = {0};
    tb_status s;
    Py_BEGIN_ALLOW_THREADS
    s = tb_decode_bytes(view.buf, (size_t)view.len, encoding, &out, &out_len, name, &e);
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    if (s != TB_OK) return raise_error(get_state(module), &e, NULL);
    PyObject *text = PyUnicode_DecodeUTF8((const char *)out, (Py_ssize_t)out_len, "strict");
    free(out);
    if (text == NULL) return NULL;
    return Py_BuildValue("(Ns)", text, name);
}

typedef struct {
    PyObject *list;
} parse_ctx;

static tb_status collect_entry(void *vctx, const uint8_t *word, size_t wlen, int64_t freq,
                               const char *tag, size_t tlen) {
    parse_ctx *c = vctx;
    PyObject *fobj = freq < 0 ? Py_NewRef(Py_None) : PyLong_FromLongLong(freq);
    if (fobj == NULL) return TB_ENOMEM;
    PyObject *item = Py_BuildValue("(s#Nz#)", (const char *)word, (Py_ssize_t)wlen, fobj, tag,
                                   (Py_ssize_t)(tag ? tlen : 0));
    if (item == NULL || PyList_Append(c->list, item) < 0) {
        Py_XDECREF(item);
        return TB_ENOMEM;
    }
    Py_DECREF(item);
    return TB_OK;
}

static PyObject *mod_parse_userdict(PyObject *module, PyObject *args) {
    Py_buffer view;
    const char *name;
    if (!PyArg_ParseTuple(args, "y*s", &view, &name)) return NULL;
    parse_ctx c = {PyList_New(0)};
    if (c.list == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    tb_error e = {0};
    tb_status s = tb_udict_parse(view.buf, (size_t)view.len, collect_entry, &c, &e);
    PyBuffer_Release(&view);
    if (s != TB_OK) {
        Py_DECREF(c.list);
        if (s == TB_ENOMEM && PyErr_Occurred()) return NULL;
        return raise_error(get_state(module), &e, name);
    }
    return c.list;
}

/* default_metric_rules() -> str: the shipped rule table's text. */
static PyObject *mod_default_metric_rules(PyObject *module, PyObject *unused) {
    (void)module;
    (void)unused;
    size_t len;
    const char *src = tb_metric_rules_default_source(&len);
    return PyUnicode_DecodeUTF8(src, (Py_ssize_t)len, "strict");
}

typedef struct {
    size_t *v; /* (line, start, end) triples */
    size_t n, cap;
} fp_spans;

static int fp_collect(void *ctx, size_t line, size_t start, size_t end) {
    fp_spans *sp = ctx;
    if (sp->n + 3 > sp->cap) {
        size_t cap = sp->cap ? 2 * sp->cap : 96;
        size_t *v = realloc(sp->v, cap * sizeof *v);
        if (v == NULL) return -1;
        sp->v = v;
        sp->cap = cap;
    }
    sp->v[sp->n++] = line;
    sp->v[sp->n++] = start;
    sp->v[sp->n++] = end;
    return 0;
}

/* fingerprint_scan(texts, table, short_line) -> list: for each text, None
 * when it is not simple, else a tuple of the (line, start, end) lines that
 * may be page chrome (tb_fp_scan); all of them with the GIL released. */
static PyObject *mod_fingerprint_scan(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *texts;
    Py_buffer table;
    Py_ssize_t short_line;
    if (!PyArg_ParseTuple(args, "O!y*n", &PyList_Type, &texts, &table, &short_line)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(texts);
    tb_fp_text *ts = PyMem_Calloc(n ? (size_t)n : 1, sizeof *ts);
    size_t **cand = PyMem_Calloc(n ? (size_t)n : 1, sizeof *cand);
    size_t *ncand = PyMem_Calloc(n ? (size_t)n : 1, sizeof *ncand);
    int *rc = PyMem_Calloc(n ? (size_t)n : 1, sizeof *rc);
    PyObject *res = NULL;
    if (ts == NULL || cand == NULL || ncand == NULL || rc == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (table.len != 65536 || short_line < 0) {
        PyErr_SetString(PyExc_ValueError, "the table must have 65536 bytes");
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        const void *data;
        size_t len;
        int width;
        if (str_view(PyList_GET_ITEM(texts, k), &data, &len, &width) < 0) goto done;
        ts[k] = (tb_fp_text){data, width, len};
    }
    Py_INCREF(texts);   /* (its items, too, stay while the GIL is released: the list is ours) */
    PyObject *hold = PyList_GetSlice(texts, 0, n);
    Py_DECREF(texts);
    if (hold == NULL) goto done;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t k = 0; k < n; k++) rc[k] = tb_fp_scan(ts[k], table.buf, (size_t)short_line, &cand[k], &ncand[k]);
    Py_END_ALLOW_THREADS
    Py_DECREF(hold);
    res = PyList_New(n);
    for (Py_ssize_t k = 0; res != NULL && k < n; k++) {
        PyObject *v;
        if (rc[k] < 0) v = PyErr_NoMemory();
        else if (rc[k] == 0) v = Py_NewRef(Py_None);
        else {
            v = PyTuple_New((Py_ssize_t)ncand[k]);
            for (size_t j = 0; v != NULL && j < ncand[k]; j++) {
                PyObject *t = Py_BuildValue("(nnn)", (Py_ssize_t)cand[k][3 * j], (Py_ssize_t)cand[k][3 * j + 1],
                                            (Py_ssize_t)cand[k][3 * j + 2]);
                if (t == NULL) Py_CLEAR(v);
                else PyTuple_SET_ITEM(v, (Py_ssize_t)j, t);
            }
        }
        if (v == NULL) Py_CLEAR(res);
        else PyList_SET_ITEM(res, k, v);
    }
done:
    for (Py_ssize_t k = 0; cand != NULL && k < n; k++) free(cand[k]);
    PyMem_Free(ts);
    PyMem_Free(cand);
    PyMem_Free(ncand);
    PyMem_Free(rc);
    PyBuffer_Release(&table);
    return res;
}

/* fingerprint_candidates(text, table, short_line) -> (n_lines, [(line, start, end), ...]) or None:
 * the lines that may be page chrome (core/tb_fingerprint.h), None when the text is not simple. */
static PyObject *mod_fingerprint_candidates(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *text;
    Py_buffer table;
    Py_ssize_t short_line;
    if (!PyArg_ParseTuple(args, "Uy*n", &text, &table, &short_line)) return NULL;
    PyObject *res = NULL;
    if (table.len != 65536 || short_line < 0) {
        PyErr_SetString(PyExc_ValueError, "the table must have 65536 bytes");
        PyBuffer_Release(&table);
        return NULL;
    }
    tb_fp_text t = {PyUnicode_DATA(text), PyUnicode_KIND(text), (size_t)PyUnicode_GET_LENGTH(text)};
    int simple, rc = 0;
    size_t lines = 0;
    fp_spans sp = {0};
    Py_BEGIN_ALLOW_THREADS
    simple = tb_fp_simple(t, table.buf);
    if (simple) {
        lines = tb_fp_count_lines(t);
        rc = tb_fp_candidates(t, table.buf, (size_t)short_line, fp_collect, &sp);
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&table);
    if (!simple) return Py_NewRef(Py_None);
    if (rc != 0) {
        free(sp.v);
        return PyErr_NoMemory();
    }
    PyObject *list = PyList_New((Py_ssize_t)(sp.n / 3));
    if (list != NULL) {
        for (size_t k = 0; k < sp.n; k += 3) {
            PyObject *item = Py_BuildValue("(nnn)", (Py_ssize_t)sp.v[k], (Py_ssize_t)sp.v[k + 1],
                                           (Py_ssize_t)sp.v[k + 2]);
            if (item == NULL) {
                Py_CLEAR(list);
                break;
            }
            PyList_SET_ITEM(list, (Py_ssize_t)(k / 3), item);
        }
    }
    free(sp.v);
    if (list != NULL) res = Py_BuildValue("(nN)", (Py_ssize_t)lines, list);
    return res;
}

/* fingerprint_normalize(text, table, drop) -> bytes or None: the
 * fingerprint's normalised text as UTF-8 (see core/tb_fingerprint.h), None
 * when the text holds a code point the table does not make simple. */
static PyObject *mod_fingerprint_normalize(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *text;
    Py_buffer table, drop;
    if (!PyArg_ParseTuple(args, "Uy*y*", &text, &table, &drop)) return NULL;
    PyObject *res = NULL;
    if (table.len != 65536) {
        PyErr_SetString(PyExc_ValueError, "the table must have 65536 bytes");
        goto done;
    }
    tb_fp_text t = {PyUnicode_DATA(text), PyUnicode_KIND(text), (size_t)PyUnicode_GET_LENGTH(text)};
    int simple;
    Py_BEGIN_ALLOW_THREADS
    simple = tb_fp_simple(t, table.buf);
    Py_END_ALLOW_THREADS
    if (!simple) {
        res = Py_NewRef(Py_None);
        goto done;
    }
    uint8_t *out = malloc(3 * t.n + 1);
    if (out == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    long long len;
    Py_BEGIN_ALLOW_THREADS
    len = tb_fp_normalize(t, table.buf, drop.buf, (size_t)drop.len, out);
    Py_END_ALLOW_THREADS
    if (len < 0)
        PyErr_SetString(PyExc_ValueError, "drop flags do not match the text's lines (or out of memory)");
    else
        res = PyBytes_FromStringAndSize((const char *)out, (Py_ssize_t)len);
    free(out);
done:
    PyBuffer_Release(&table);
    PyBuffer_Release(&drop);
    return res;
}

/* One file of read_files: its bytes, its str when the core decoded it
 * (tb_utf8_to_units), or (errno, why). */
static PyObject *file_result(const tb_file_bytes *f, const tb_utf8_units *u) {
    static const char *const why[] = {"", "errno", "directory", "not regular"};
    if (f->status != TB_RF_OK) return Py_BuildValue("(is)", f->sys_errno, why[f->status]);
    if (u->units == NULL) return PyBytes_FromStringAndSize((const char *)f->data, (Py_ssize_t)f->len);
    PyObject *text = PyUnicode_New((Py_ssize_t)u->n, (Py_UCS4)u->max);   /* the kind u->width is for */
    if (text == NULL) return NULL;
    memcpy(PyUnicode_DATA(text), u->units, u->n * (size_t)u->width);
    return Py_BuildValue("(Nn)", text, (Py_ssize_t)f->len);
}

/* read_files(paths, budget=0, utf8=False) -> list: each file's bytes, or (errno, why)
 * for one that cannot be read, why "errno" (errno says), "directory" or
 * "not regular" (core/tb_readfile.h), read with the GIL released. With a
 * budget (bytes), reading stops after the file that reaches it: the list
 * may be shorter than paths (never empty when paths is not), so a caller
 * holds about that much whatever the files' sizes. With utf8, a file of
 * strict UTF-8 (no BOM) comes as (str, bytes read), decoded without the GIL. */
static PyObject *mod_read_files(PyObject *module, PyObject *args, PyObject *kw) {
    (void)module;
    static char *kwlist[] = {"paths", "budget", "utf8", NULL};
    PyObject *paths;
    Py_ssize_t budget = 0;
    int utf8 = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O!|np", kwlist, &PyList_Type, &paths, &budget, &utf8)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(paths);
    PyObject **names = PyMem_Calloc(n ? (size_t)n : 1, sizeof *names);   /* file system encoded */
    tb_file_bytes *files = PyMem_Calloc(n ? (size_t)n : 1, sizeof *files);
    tb_utf8_units *units = PyMem_Calloc(n ? (size_t)n : 1, sizeof *units);
    PyObject *res = NULL;
    Py_ssize_t got = 0;
    if (names == NULL || files == NULL || units == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (; got < n; got++) {
        PyObject *b = NULL;
        if (!PyUnicode_FSConverter(PyList_GET_ITEM(paths, got), &b)) goto done;
        names[got] = b;
    }
    Py_ssize_t read = 0;
    Py_BEGIN_ALLOW_THREADS
    size_t total = 0;
    while (read < n && (budget <= 0 || read == 0 || total < (size_t)budget)) {
        tb_read_file(PyBytes_AS_STRING(names[read]), &files[read]);
        total += files[read].len;
        if (utf8 && files[read].status == TB_RF_OK && tb_utf8_to_units(files[read].data, files[read].len, &units[read])) {
            free(files[read].data);   /* (the str is made of the units) */
            files[read].data = NULL;
        }
        read++;
    }
    Py_END_ALLOW_THREADS
    res = PyList_New(read);
    for (Py_ssize_t k = 0; res != NULL && k < read; k++) {
        PyObject *v = file_result(&files[k], &units[k]);
        if (v == NULL) Py_CLEAR(res);
        else PyList_SET_ITEM(res, k, v);
    }
done:
    for (Py_ssize_t k = 0; k < got; k++) {
        Py_DECREF(names[k]);
        free(files[k].data);
        free(units[k].units);
    }
    PyMem_Free(names);
    PyMem_Free(files);
    PyMem_Free(units);
    return res;
}

static PyMethodDef module_methods[] = {
    {"fingerprint_scan", mod_fingerprint_scan, METH_VARARGS,
     "fingerprint_scan(texts, table, short_line) -> list of None (not simple) or tuples of (line, start, end): "
     "the lines of each text that may be page chrome."},
    {"read_files", (PyCFunction)(void (*)(void))mod_read_files, METH_VARARGS | METH_KEYWORDS,
     "read_files(paths, budget=0, utf8=False) -> list of bytes, or (errno, why) for a file that cannot be "
     "read; with utf8, (str, bytes read) for a file of strict UTF-8 without a BOM, decoded without the GIL; "
     "with a budget, only the first files up to that many bytes."},
    {"fingerprint_candidates", mod_fingerprint_candidates, METH_VARARGS,
     "fingerprint_candidates(text, table, short_line)\n--\n\n(lines, [(line, start, end), ...]): the "
     "lines that may be page chrome; None when the text is not made of the table's simple code points."},
    {"fingerprint_normalize", mod_fingerprint_normalize, METH_VARARGS,
     "fingerprint_normalize(text, table, drop)\n--\n\nThe fingerprint's normalised text (UTF-8) of a text "
     "made of the table's simple code points, None otherwise; drop: one flag byte per line."},
    {"default_metric_rules", mod_default_metric_rules, METH_NOARGS,
     "default_metric_rules()\n--\n\nThe text of the metric rule table compiled in (lexicon/metrics.rules)."},
    {"decode", (PyCFunction)(void (*)(void))mod_decode, METH_VARARGS | METH_KEYWORDS,
     "decode(data, encoding=None)\n--\n\nDecode bytes (encoding detected when None); "
     "returns (text, encoding)."},
    {"parse_userdict", mod_parse_userdict, METH_VARARGS,
     "parse_userdict(data, name)\n--\n\nParse a jieba-format user dictionary: "
     "a list of (word, freq or None, tag or None)."},
    {NULL, NULL, 0, NULL}};

/* ---- module lifecycle -------------------------------------------------- */

static PyObject *new_exception(PyObject *module, const char *name, const char *doc, PyObject *bases) {
    PyObject *exc = PyErr_NewExceptionWithDoc(name, doc, bases, NULL);
    if (exc && PyModule_AddObjectRef(module, strrchr(name, '.') + 1, exc) < 0) Py_CLEAR(exc);
    return exc;
}

static int module_exec(PyObject *module) {
    module_state *st = get_state(module);
    st->Error = new_exception(module, "tongbao.Error", "Base class of tongbao's errors.", NULL);
    if (st->Error == NULL) return -1;
#define SUB(field, name, doc, base)                                                  \
    do {                                                                             \
        PyObject *b = PyTuple_Pack(2, st->Error, base);                              \
        if (b == NULL) return -1;                                                    \
        st->field = new_exception(module, name, doc, b);                             \
        Py_DECREF(b);                                                                \
        if (st->field == NULL) return -1;                                            \
    } while (0)
    SUB(InputError, "tongbao.InputError", "Input tongbao cannot process (a ValueError).", PyExc_ValueError);
    SUB(DecodeError, "tongbao.DecodeError", "Bytes that cannot be decoded (a UnicodeError); "
        "`offset` is the byte offset.", PyExc_UnicodeError);
    SUB(DictionaryError, "tongbao.DictionaryError", "A bad user dictionary entry (a ValueError); "
        "`path` and `line` locate it.", PyExc_ValueError);
    SUB(LexiconError, "tongbao.LexiconError", "A missing or corrupt compiled lexicon (an OSError).",
        PyExc_OSError);
    SUB(IcuError, "tongbao.IcuError", "An ICU call failed (a RuntimeError).", PyExc_RuntimeError);
    SUB(RuleError, "tongbao.RuleError", "A bad line in a metric rule table (a ValueError); `line` "
        "locates it.", PyExc_ValueError);
#undef SUB
    st->SegmenterType = (PyTypeObject *)PyType_FromModuleAndSpec(module, &Segmenter_spec, NULL);
    if (st->SegmenterType == NULL) return -1;
    if (PyModule_AddObjectRef(module, "Segmenter", (PyObject *)st->SegmenterType) < 0) return -1;
    st->EntityMatcherType = (PyTypeObject *)PyType_FromModuleAndSpec(module, &EntityMatcher_spec, NULL);
    if (st->EntityMatcherType == NULL ||
        PyModule_AddObjectRef(module, "EntityMatcher", (PyObject *)st->EntityMatcherType) < 0)
        return -1;
    st->MetricRulesType = (PyTypeObject *)PyType_FromModuleAndSpec(module, &MetricRules_spec, NULL);
    if (st->MetricRulesType == NULL ||
        PyModule_AddObjectRef(module, "MetricRules", (PyObject *)st->MetricRulesType) < 0)
        return -1;
    if (PyModule_AddIntConstant(module, "STYLE_DEFAULT", TB_STYLE_DEFAULT) < 0 ||
        PyModule_AddIntConstant(module, "STYLE_PKU", TB_STYLE_PKU) < 0 ||
        PyModule_AddIntConstant(module, "STYLE_JIEBA", TB_STYLE_JIEBA) < 0 ||
        PyModule_AddStringConstant(module, "ICU_VERSION", U_ICU_VERSION) < 0)
        return -1;
    return 0;
}

static int module_traverse(PyObject *module, visitproc visit, void *arg) {
    module_state *st = get_state(module);
    Py_VISIT(st->Error);
    Py_VISIT(st->InputError);
    Py_VISIT(st->DecodeError);
    Py_VISIT(st->DictionaryError);
    Py_VISIT(st->LexiconError);
    Py_VISIT(st->IcuError);
    Py_VISIT(st->RuleError);
    Py_VISIT(st->SegmenterType);
    Py_VISIT(st->EntityMatcherType);
    Py_VISIT(st->MetricRulesType);
    return 0;
}

static int module_clear(PyObject *module) {
    module_state *st = get_state(module);
    Py_CLEAR(st->Error);
    Py_CLEAR(st->InputError);
    Py_CLEAR(st->DecodeError);
    Py_CLEAR(st->DictionaryError);
    Py_CLEAR(st->LexiconError);
    Py_CLEAR(st->IcuError);
    Py_CLEAR(st->RuleError);
    Py_CLEAR(st->SegmenterType);
    Py_CLEAR(st->EntityMatcherType);
    Py_CLEAR(st->MetricRulesType);
    return 0;
}

static void module_free(void *module) {
    module_clear(module);
    module_state *st = get_state(module);
    tb_icubreak_free(st->icubreak);
    st->icubreak = NULL;
}

static PyModuleDef_Slot module_slots[] = {{Py_mod_exec, module_exec}, {0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "tongbao._core",
    .m_doc = "The C core of tongbao: segmentation, lexicon, encodings.",
    .m_size = sizeof(module_state),
    .m_methods = module_methods,
    .m_slots = module_slots,
    .m_traverse = module_traverse,
    .m_clear = module_clear,
    .m_free = module_free,
};

PyMODINIT_FUNC PyInit__core(void) { return PyModuleDef_Init(&module_def); }
