"""The package imports cleanly and without side effects."""

import subprocess
import sys


def test_import_is_warning_free() -> None:
    proc = subprocess.run(
        [sys.executable, "-Werror", "-c", "import kg, kg.model, kg.errors, kg.output"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
