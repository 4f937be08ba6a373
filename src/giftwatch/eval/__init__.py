"""`giftwatch eval`: score extracted records against hand-checked gold (FORMAT.md rules).

The numbers agree exactly with the reference scorer `../shared/tools/score.py`.
"""
from __future__ import annotations

from giftwatch.eval.report import evaluate, format_report, load_gold
from giftwatch.eval.scoring import name_match, score

__all__ = ["evaluate", "format_report", "load_gold", "name_match", "score"]
