"""Where the shipped knowledge lives: the ``ontology/`` folder.

In a source checkout (and an editable install) it is the repository's top-level
``ontology/``; a wheel carries it as ``kg/ontology``.  ``KG_ONTOLOGY_DIR``
overrides both (for experiments with other lexicons).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from kg.errors import DataError


@cache
def ontology_dir() -> Path:
    env = os.environ.get("KG_ONTOLOGY_DIR")
    here = Path(__file__).resolve().parent
    candidates = [Path(env)] if env else [here / "ontology", here.parent / "ontology"]
    for cand in candidates:
        if (cand / "lexicon").is_dir():
            return cand
    raise DataError(
        f"the ontology folder was not found (looked in {', '.join(map(str, candidates))})",
        hint="reinstall union-kg, or set KG_ONTOLOGY_DIR to the repository's ontology/ folder",
    )


def data_path(*parts: str) -> Path:
    """A file under ``ontology/``; a missing file is a :class:`DataError`."""
    path = ontology_dir().joinpath(*parts)
    if not path.exists():
        raise DataError(
            f"shipped data file {path} is missing",
            hint="reinstall union-kg or restore the file from the repository",
        )
    return path
