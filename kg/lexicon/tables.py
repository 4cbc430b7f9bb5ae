"""Read the shipped TSV word lists of ``ontology/lexicon/``.

Every list has ``#`` comment lines, one header row and tab-separated columns.
A malformed file is a :class:`~kg.errors.DataError` naming the file and line.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import DataError

__all__ = ["read_tsv"]


def read_tsv(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """Rows of the TSV file ``path`` as dicts keyed by ``columns``.

    The header row must equal ``columns``; trailing empty columns may be left
    out of a row.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.tsv"
    >>> _ = p.write_text("# comment\\nkind\\tword\\nverb\\t开展\\n", encoding="utf-8")
    >>> read_tsv(p, ("kind", "word"))
    [{'kind': 'verb', 'word': '开展'}]
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(
            f"cannot read the word list {path}: {exc}",
            hint="restore the file from the repository (ontology/lexicon/)",
        ) from exc
    rows: list[dict[str, str]] = []
    header = False
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if not header:
            if tuple(cols) != columns:
                raise DataError(
                    f"{path}:{lineno}: expected the header {' | '.join(columns)}, "
                    f"found {' | '.join(cols)}",
                    hint="fix the header row (tab-separated)",
                )
            header = True
            continue
        if len(cols) > len(columns) or not cols[0].strip():
            raise DataError(
                f"{path}:{lineno}: expected at most {len(columns)} tab-separated columns "
                f"with a non-empty first one, found {len(cols)}",
                hint="separate columns with one tab each",
            )
        cols += [""] * (len(columns) - len(cols))
        rows.append({c: v.strip() for c, v in zip(columns, cols, strict=True)})
    if not header:
        raise DataError(f"{path}: the word list has no header row", hint="restore the file")
    return rows
