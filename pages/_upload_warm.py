"""Imported once, by the upload workers' fork server only (pages/_upload_worker.py):
runs the pipeline once on a one-line report there, so that everything it loads on first
use (the segmenter's dictionary, OpenCC, the rules, Arrow) is already in memory when
each upload's worker is forked, instead of costing every upload seconds."""
import tempfile
from pathlib import Path

from etl.pipeline import process_file

with tempfile.TemporaryDirectory() as _tmp:
    _sample = Path(_tmp) / "warm.txt"
    _sample.write_text("2021年，机关工委向困难职工发放慰问金27万元，走访慰问干部职工1069名。\n",
                       encoding="utf-8")
    process_file(_sample, for_store=True)
