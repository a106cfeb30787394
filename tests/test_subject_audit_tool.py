"""tools/subject_audit.py --fresh-files: a new audit sample never reuses a judged file."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import subject_audit  # noqa: E402


def test_judged_files_reads_every_seed_but_its_own():
    own = subject_audit.verdicts_path(17)
    first = set(name for name, _, _ in subject_audit.load_verdicts(own))
    everyone = subject_audit.judged_files()
    others = subject_audit.judged_files(own=own)
    assert first <= everyone
    assert others < everyone  # some of seed 17's files no other seed judged


def test_draw_leaves_out_the_named_files(tmp_path):
    sentences = {"a.txt": "全县共发放慰问金27万元，慰问困难党员122名。",
                 "b.txt": "累计服务群众2.4万余人次，减少了40%。",
                 "c.txt": "共有6600余名干部职工参加，每人1000元。"}
    for name, text in sentences.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    drawn = subject_audit.draw(tmp_path, seed=5, n_files=3, n=20, leave_out={"b.txt"})
    names = {name for name, _, _ in drawn}
    assert names == {"a.txt", "c.txt"}
    assert {name for name, _, _ in subject_audit.draw(tmp_path, 5, 3, 20)} == set(sentences)
