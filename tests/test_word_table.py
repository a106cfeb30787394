"""The segmenter's dictionary as one flat table (etl/extraction/word_table.py), which the
compiled build walks: it must answer every look-up as the per-character dicts do (the
Python source's path), for every word and prefix of the dictionary and ours, and every
cut on the bundled reports must come out the same through either."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from etl import rules
from etl.extraction import segmenter, word_table

ROOT = Path(__file__).resolve().parents[1]

# characters that follow a prefix in a probe: common, rare, ASCII, beyond the CJK block
_PROBES = "的人中国一个会大学有限公司业务了在。x1Ａ\u3400𠀀"


def _dicts() -> dict[str, tuple[dict[str, int], dict[str, str]]]:
    """Every first character's two dicts, as the Python source builds them."""
    segmenter.warm_up()
    if not segmenter._TAG_NAMES:
        segmenter._load_tables()
    chars = set(segmenter._PACKED) | {ch for ch in segmenter._own_words() if ch}
    return {ch: (segmenter._shard(ord(ch)), segmenter._tag_shard(ord(ch))) for ch in chars}


def test_every_word_and_prefix_reads_as_in_the_dicts():
    t = segmenter._table()
    size = segmenter._TABLE_SIZE[0]
    names = segmenter._TABLE_TAGS
    checked = 0
    step = 1 if segmenter._TABLE_WALK else 5     # interpreted, the walk is slow: a fifth
    for freq, tags in _dicts().values():
        for k, (w, c) in enumerate(freq.items()):
            if k % step:
                continue
            node = word_table.node_of(t, size, w, 0, len(w))
            assert node >= 0, w
            assert word_table.count(t, size, node) == c, w
            assert word_table.is_word(t, node) == (c > 0), w
            assert names[word_table.tag_index(t, size, node)] == tags.get(w, ""), w
            for x in _PROBES[k % 7::7]:        # a longer string: a prefix, or absent
                got = word_table.child(t, size, node, ord(x))
                assert (got >= 0) == (w + x in freq), w + x
            checked += 1
    assert checked > (490_000 if step == 1 else 90_000)
    # strings whose first character starts no word at all
    for x in "\x00\u3400𠀀~":
        assert word_table.node_of(t, size, x + "中", 0, 2) == -1


def test_our_words_are_in_the_table():
    count, ours = rules.segmenter_words()
    t, size = segmenter._table(), segmenter._TABLE_SIZE[0]
    for w, tag in ours.items():
        node = word_table.node_of(t, size, w, 0, len(w))
        assert node >= 0 and word_table.count(t, size, node) >= count, w
        assert segmenter._TABLE_TAGS[word_table.tag_index(t, size, node)] == tag, w


def test_the_table_is_built_again_when_our_words_change(monkeypatch):
    """The cache entry is keyed by our word list too: an edited list needs no rebuild by hand."""
    key = segmenter._table_key()
    count, ours = rules.segmenter_words()
    monkeypatch.setattr(rules, "segmenter_words", lambda: (count, {**ours, "某某新词": "n"}))
    assert segmenter._table_key() != key
    monkeypatch.setattr(rules, "segmenter_words", lambda: (count + 1, ours))
    assert segmenter._table_key() != key


def test_the_hash_slots_are_reachable_for_large_code_points():
    size, t = word_table.build([("𠀀", 3, 1), ("𠀀中", 0, 0), ("𠀀中国", 5, 2), ("a", 1, 0)])
    a = word_table.node_of(t, size, "𠀀中国", 0, 3)
    assert a >= 0 and word_table.count(t, size, a) == 5 and word_table.tag_index(t, size, a) == 2
    assert not word_table.is_word(t, word_table.node_of(t, size, "𠀀中", 0, 2))
    assert word_table.node_of(t, size, "𠀀国", 0, 2) == -1
    assert word_table.word_lengths(t, size, "𠀀中国人", 0, 4, 6) == 1 << 3


def test_word_lengths_reach_past_bit_31():
    """Words of 31 and 33 characters: their bits must land there (the compiled build once
    shifted a 32-bit 1, so bit 31 came out negative and bit 33 as bit 1)."""
    long = "中" * 40
    entries = [(long[:k], 1 if k in (31, 33) else 0, 0) for k in range(1, 41)]
    size, t = word_table.build(entries)
    assert word_table.word_lengths(t, size, long, 0, 40, 40) == (1 << 31) | (1 << 33)
    assert word_table.word_lengths(t, size, long, 0, 40, 32) == 1 << 31


_CUTS = r"""
import json, sys
from pathlib import Path
from etl.extraction import segmenter as s
if sys.argv[1] == "table":
    s._TABLE_WALK = True        # the source walking the compiled build's table
texts = [p.read_text(encoding="utf-8") for p in sorted(Path("data/corpus").glob("*.txt"))]
windows = [t[lo:lo + 6 + lo % 25] for t in texts for lo in range(0, len(t) - 6, int(sys.argv[2]))]
out = []
for w in windows:
    noted = [-1] * len(w)
    fwd = s.cut_forward(w, 6, noted)
    out.append([fwd, noted, s.cut_forward(w, 4), s.cut_backward(w), s.cut_anchored(w, True),
                s.cut_anchored(w, False), s.doubtful(fwd), s.likeliest_cut(w[:12]),
                [s.crosses_word(w, k, k + 1) for k in range(len(w))],
                [s.tag(x) for x in fwd], [s.is_word(x) for x in fwd],
                [s.opens_word(w[k:k + 2]) for k in range(len(w))], s._count(w[:2])])
print(json.dumps(out, ensure_ascii=False))
"""


def _cuts(walk: str, every: int, pure: bool) -> list:
    env = dict(os.environ)
    if pure:
        env["REPORT_FIGURES_PURE"] = "1"
    done = subprocess.run([sys.executable, "-c", _CUTS, walk, str(every)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def test_the_cuts_of_the_reports_are_the_dicts_cuts():
    """Every cut, tag and look-up of the segmenter on windows of the bundled reports: the
    Python source through the dicts, the source walking the table, and the build in
    place (compiled: the table) agree."""
    dicts = _cuts("dicts", 5, pure=True)
    assert len(dicts) > 3_000
    assert _cuts("table", 5, pure=True) == dicts
    assert _cuts("as-built", 5, pure=False) == dicts
