"""The profile-guided build (etl/extraction/build.py): when its training or its compile
fails, the plain build is installed, never an instrumented or half-trained one; and the
manifest's build kind leaves the staleness rules of native.py as they were.

The C compiler is replaced by a stand-in that writes placeholder binaries and records
the flags it was given (a real build takes minutes; `make test` makes one)."""
from __future__ import annotations

import importlib.machinery
import json
import shutil
from pathlib import Path

import pytest

from etl.extraction import build, native

SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]
ALL = (*native.MODULES, "native__mypyc")


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A package directory with copies of the sources, and the build's scratch dirs, in tmp."""
    here = tmp_path / "pkg"
    here.mkdir()
    for m in native.MODULES:
        shutil.copy(native.HERE / f"{m}.py", here / f"{m}.py")
    monkeypatch.setattr(native, "HERE", here)
    monkeypatch.setattr(native, "MANIFEST", here / native.MANIFEST.name)
    monkeypatch.setattr(build, "BUILD_DIR", tmp_path / "build")
    monkeypatch.setattr(build, "PROFILE_DIR", tmp_path / "build" / "profile")
    monkeypatch.setattr(build, "TRAIN_DIR", tmp_path / "build" / "train")
    monkeypatch.setattr(build, "_generate_c", lambda: ["the extensions"])
    monkeypatch.setattr(build, "uses_gcc", lambda: True)
    monkeypatch.delenv(build.FAIL_ENV, raising=False)
    monkeypatch.delenv(native.PURE_ENV, raising=False)
    return here


class FakeCompiler:
    """Writes one placeholder binary per module; fails the compiles listed in `fail`."""

    def __init__(self, fail: tuple[int, ...] = ()):
        self.calls: list[list[str]] = []
        self.fail = fail

    def __call__(self, ext, lib: Path, cflags: list[str], ldflags: list[str]) -> Path:
        self.calls.append([*cflags, *ldflags])
        if len(self.calls) - 1 in self.fail:
            raise SystemExit("error: command 'gcc' failed with exit code 1")   # as setup() does
        out = lib / "etl" / "extraction"
        out.mkdir(parents=True, exist_ok=True)
        for m in ALL:
            (out / f"{m}{SUFFIX}").write_bytes(f"{lib.name}: {' '.join(cflags)}".encode())
        return out


def _profile_flags(flags: list[str]) -> list[str]:
    return [f for f in flags if f.startswith("-fprofile")]


def _installed(here: Path) -> tuple[dict, set[str]]:
    manifest = json.loads((here / native.MANIFEST.name).read_text(encoding="utf-8"))
    return manifest, {(here / f"{m}{SUFFIX}").read_text() for m in ALL}


def test_a_failing_training_installs_the_plain_build(tree, monkeypatch):
    """The real training subprocess, forced to fail: the plain build goes in."""
    cc = FakeCompiler()
    monkeypatch.setattr(build, "_compile", cc)
    monkeypatch.setenv(build.FAIL_ENV, "train")
    assert build.build() == "plain"
    assert len(cc.calls) == 2
    assert _profile_flags(cc.calls[0])[0].startswith("-fprofile-generate=")
    assert _profile_flags(cc.calls[1]) == []
    manifest, binaries = _installed(tree)
    assert manifest["build"] == "plain" and _profile_flags(manifest["flags"]) == []
    assert "training exited 1" in manifest["note"]
    assert binaries == {f"lib: {' '.join(build.COMMON_FLAGS)}"}      # none instrumented
    assert native.compiled_status() == (True, "")
    assert native.build_kind() == "plain"
    assert not build.TRAIN_DIR.exists()


def test_a_training_that_cannot_load_the_build_installs_the_plain_build(tree, monkeypatch):
    """Unforced: the placeholder binaries do not import, so the training fails by itself."""
    cc = FakeCompiler()
    monkeypatch.setattr(build, "_compile", cc)
    assert build.build() == "plain"
    manifest, _ = _installed(tree)
    assert manifest["build"] == "plain" and "TrainingFailed" in manifest["note"]


def test_a_failing_profile_guided_compile_installs_the_plain_build(tree, monkeypatch):
    cc = FakeCompiler(fail=(1,))       # the instrumented compile works, the one with the profile not

    def trained(instrumented, manifest):
        (build.PROFILE_DIR / "x").mkdir(parents=True)
        (build.PROFILE_DIR / "x" / "native.gcda").write_bytes(b"counts")
    monkeypatch.setattr(build, "_compile", cc)
    monkeypatch.setattr(build, "_run_training", trained)
    assert build.build() == "plain"
    assert [bool(_profile_flags(c)) for c in cc.calls] == [True, True, False]
    manifest, _ = _installed(tree)
    assert manifest["build"] == "plain" and "SystemExit" in manifest["note"]


def test_a_trained_build_is_compiled_with_its_profile(tree, monkeypatch):
    cc = FakeCompiler()

    def trained(instrumented, manifest):
        assert json.loads(manifest)["build"] == "pgo-training"
        (build.PROFILE_DIR / "x").mkdir(parents=True)
        (build.PROFILE_DIR / "x" / "native.gcda").write_bytes(b"counts")
    monkeypatch.setattr(build, "_compile", cc)
    monkeypatch.setattr(build, "_run_training", trained)
    assert build.build() == "pgo"
    assert _profile_flags(cc.calls[1])[0] == f"-fprofile-use={build.PROFILE_DIR}"
    manifest, binaries = _installed(tree)
    assert manifest["build"] == "pgo" and manifest["flags"] == cc.calls[1]
    assert len(binaries) == 1 and "-fprofile-use" in binaries.pop()
    assert native.build_kind() == "pgo" and native.compiled_status() == (True, "")


def test_without_gcc_the_plain_build_is_made_without_training(tree, monkeypatch):
    cc = FakeCompiler()
    monkeypatch.setattr(build, "_compile", cc)
    monkeypatch.setattr(build, "uses_gcc", lambda: False)
    assert build.build() == "plain"
    assert len(cc.calls) == 1 and _profile_flags(cc.calls[0]) == []


def test_when_no_build_can_be_made_nothing_is_left(tree, monkeypatch, capsys):
    monkeypatch.setattr(build, "_compile", FakeCompiler(fail=(0, 1)))
    for m in ALL:       # an older build in place
        (tree / f"{m}{SUFFIX}").write_bytes(b"old")
    (tree / native.MANIFEST.name).write_text("{}", encoding="utf-8")
    assert build.main(["--force"]) == 1
    assert not any(tree.glob(f"*{SUFFIX}")) and not native.MANIFEST.exists()
    assert "the Python source will run" in capsys.readouterr().err
    assert native.compiled_status() == (False, "not built (make builds it)")


def test_a_profile_guided_build_goes_stale_like_any_other(tree, monkeypatch):
    monkeypatch.setattr(build, "_compile", FakeCompiler())
    monkeypatch.setattr(build, "_run_training", lambda instrumented, manifest: (
        build.PROFILE_DIR.mkdir(parents=True), (build.PROFILE_DIR / "a.gcda").write_bytes(b"c")))
    build.build()
    assert native.compiled_status() == (True, "") and native.build_kind() == "pgo"
    with open(tree / "subjects.py", "a", encoding="utf-8") as f:
        f.write("\n# an edit after the build\n")
    ok, why = native.compiled_status()
    assert not ok and why.startswith("sources changed since the build (subjects)")
    (tree / f"scanner{SUFFIX}").unlink()
    assert native.compiled_status()[1].startswith("compiled files missing (scanner")


def test_a_manifest_from_before_build_kinds_still_counts_as_plain(tree):
    for m in ALL:
        (tree / f"{m}{SUFFIX}").write_bytes(b"bin")
    native.MANIFEST.write_text(json.dumps({"abi": native.abi_tag(), "sources": native.source_digests()}),
                               encoding="utf-8")
    assert native.compiled_status() == (True, "") and native.build_kind() == "plain"
    native.MANIFEST.write_text("[1, 2]", encoding="utf-8")
    assert native.build_kind() == ""
    assert native.compiled_status() == (False, "unreadable build manifest (not a JSON object)")


def test_the_training_texts_are_the_bundled_reports_and_golden_sentences():
    texts = build.training_texts()
    corpus = sorted((build.ROOT / "data" / "corpus").glob("*.txt"))
    assert len(corpus) >= 5 and len(texts) > len(corpus) + 300
    assert texts[0] == corpus[0].read_text(encoding="utf-8")
    assert sum(map(len, texts)) < 500_000       # the training stays short
