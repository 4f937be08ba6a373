"""Shared test helpers: where the sample corpus and the shared gold files are."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared beside the repo; tests that need it skip on a clone without it."""
    if not (SHARED / "gold").is_dir():
        pytest.skip("../shared/gold is not beside this checkout (it comes with the project's workplace)")
    return SHARED
