"""jieba's tables as the segmenter keeps them: split by a word's first character and
unpacked on first use. Every lookup must answer what jieba's own tables answer (but for
the words of our own, data/rules/segmenter_words.yaml, which join them), and a start must
unpack only the characters its text needs (that is the point of the split)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl import rules
from etl.extraction import segmenter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def jieba_tables():
    """jieba's prefix dictionary and tag table, read by jieba itself."""
    import jieba.posseg
    return segmenter._jieba().dt.FREQ, jieba.posseg.dt.word_tag_tab


def test_every_sampled_word_prefix_and_tag_is_jieba_s(jieba_tables):
    freq, tags = jieba_tables
    words = list(freq)
    # a spread of the dictionary (words and bare prefixes), the words without a CJK
    # first character (AT&T, B超), and words jieba does not know
    sample = words[::97] + [w for w in words if not "\u4e00" <= w[0] <= "\u9fff"]
    sample += ["参学率", "慰问金发放", "ＡＢ", "x", "2021年"]
    ours = rules.segmenter_words()[1]
    for w in sample:
        if any(o.startswith(w) for o in ours):
            continue        # our words and their prefixes: test_our_words_join_the_tables
        assert segmenter._shard(ord(w[0])).get(w) == freq.get(w), w     # None: not even a prefix
        assert segmenter._count(w) == freq.get(w, 0), w
        assert segmenter.is_word(w) == (freq.get(w, 0) > 0), w
        assert segmenter.tag(w) == tags.get(w, ""), w
    assert segmenter.tag("") == "" and segmenter._count("") == 0 and not segmenter.is_word("")


def test_cuts_read_the_split_tables_as_they_read_one_table():
    assert segmenter.cut_anchored("商会赞助人民币", True) == ["商会", "赞助", "人民币"]
    assert segmenter.cut_forward("其人数达") == ["其", "人数", "达"]      # the 其 rule reads two tables
    assert segmenter.crosses_word("一次性补助", 0, 2) == "一次性"
    assert segmenter.crosses_word("AT&T公司", 0, 1) == "AT&T"        # a table outside the CJK block


def test_our_words_join_the_tables():
    """data/rules/segmenter_words.yaml: each word with its tag and the list's count, every
    prefix known as one, so that the cuts find it (在轨 was cut 在|轨, 港珠澳大桥 经港|珠|澳)."""
    count, ours = rules.segmenter_words()
    assert ours
    for w, t in ours.items():
        assert segmenter._count(w) == count and segmenter.tag(w) == t, w
        assert all(segmenter.opens_word(w[:k]) for k in range(1, len(w))), w
    assert segmenter.cut_forward("航天员乘组在轨驻留") == ["航天员", "乘组", "在轨", "驻留"]
    assert segmenter.cut_anchored("经港珠澳大桥珠海出入境人员", True)[:2] == ["经", "港珠澳大桥"]
    assert segmenter.cut_anchored("已建成并网光伏", True)[-2:] == ["并网", "光伏"]
    # the words jieba has keep their counts beside ours
    assert segmenter._count("在") > count and segmenter._count("驻留") == 35


_PROBE = """
import json, sys
from etl.extraction import segmenter
from etl.extraction.extract import extract_text
claims = extract_text("发放慰问金27万元，吸引55个部门的6600余名干部职工。", "t")
built = sum(s is not None for s in segmenter._CJK_FREQ) + len(segmenter._OTHER_FREQ)
lazy = (built, len(segmenter._PACKED))
segmenter.warm_up()
unbuilt = [ch for ch in segmenter._PACKED if segmenter._shard(ord(ch)) is None]
print(json.dumps({"subjects": [c.subject for c in claims if c.is_claim], "lazy": lazy,
                  "after_warm_up": sum(s is not None for s in segmenter._CJK_FREQ) + len(segmenter._OTHER_FREQ),
                  "unbuilt": len(unbuilt)}))
"""


def test_a_start_unpacks_only_the_characters_its_text_needs():
    env = dict(os.environ, REPORT_FIGURES_PURE="1")    # the module's tables, read from Python
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True)
    got = json.loads(out.stdout)
    assert got["subjects"] == ["慰问金", "部门", "干部职工"]
    built, packed = got["lazy"]
    assert packed > 10_000              # jieba's words start with some 11,800 characters
    assert 0 < built < 200              # one sentence needs a few dozen of them
    assert got["after_warm_up"] >= packed and got["unbuilt"] == 0    # warm_up: all of them


def test_likeliest_cut_is_jiebas_own_cut_on_the_bundled_reports():
    """likeliest_cut (phrase18's test of a unit that is not a word of its own) claims
    jieba's criterion over the split tables: the same cut as jieba without its HMM, on
    every run of 4–12 CJK characters of the demo reports; and the dictionary total it
    divides by is jieba's (the constant goes stale if jieba's dictionary changes)."""
    import math
    import re
    jb = segmenter._jieba()
    assert math.isclose(math.exp(segmenter._LOG_TOTAL), jb.dt.total, rel_tol=1e-9)
    runs = [m.group() for p in sorted((ROOT / "data" / "corpus").iterdir())
            for m in re.finditer(r"[\u4e00-\u9fff]{4,12}", p.read_text(encoding="utf-8", errors="ignore"))]
    assert len(runs) > 1000
    ours = rules.segmenter_words()[1]
    runs = [s for s in runs if not any(o in s for o in ours)]      # jieba lacks our words
    for s in runs:
        assert segmenter.likeliest_cut(s, max_len=len(s)) == jb.lcut(s, HMM=False), s


def test_a_first_start_shows_no_warning_from_jieba_s_source(tmp_path):
    # a start that compiles jieba's source (no bytecode yet, as after an install by uv)
    # and builds the tables: jieba's plain-string regexes ("[\.0-9]+") would print
    # seven invalid-escape warnings (SyntaxWarning from Python 3.12; with -W default,
    # 3.11's DeprecationWarning shows the same lines)
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(tmp_path / "pyc"),
               REPORT_FIGURES_CACHE=str(tmp_path / "cache"))
    code = ("from etl.extraction.extract import extract_text\n"
            "print(sum(c.is_claim for c in extract_text('发放慰问金27万元，6600余名干部职工参加。', 'x')))")
    done = subprocess.run([sys.executable, "-W", "default", "-c", code], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2"]
    assert "invalid escape sequence" not in done.stderr, done.stderr[-2000:]
    assert list((tmp_path / "cache").rglob("*")), "the tables were not built in this start"
