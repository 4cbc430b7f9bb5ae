"""Importing kg.text does no work: no warnings, no heavy libraries, no data loaded."""

from __future__ import annotations

import subprocess
import sys


def test_import_is_clean_and_lazy() -> None:
    code = (
        "import sys, kg.text\n"
        "heavy = [m for m in ('opencc', 'jieba', 'charset_normalizer') if m in sys.modules]\n"
        "from kg.text.layout import cues\n"
        "print(heavy, cues.cache_info().currsize)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-Werror", "-c", code], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[] 0"
