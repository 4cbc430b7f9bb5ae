"""Reading input files: path expansion, encoding detection, ``.jsonl`` records.

Every problem with an input becomes an :class:`~kg.errors.InputError` whose
message names the file and says how to fix it; :func:`iter_documents` turns those
into one warning line per bad file unless ``strict`` is set.
"""

from __future__ import annotations

import dataclasses
import glob
import json
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from kg.errors import InputError, shown
from kg.model import Document

SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".jsonl"})
# where a JSON Lines record keeps its article text: "text", else a common alias
TEXT_FIELDS: tuple[str, ...] = ("text", "content", "body")
DEFAULT_MAX_BYTES = 200 * 2**20

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (BOM, codec that decodes the rest, name reported in Document.encoding)
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)

_GLOB_CHARS = frozenset("*?[")


class InputWarning(UserWarning):
    """A bad input file was skipped (non-strict mode)."""


# ---------------------------------------------------------------------------
# paths


def _wanted(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES and not path.name.startswith(".")


def _walk(directory: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root, f) for f in files if _wanted(Path(f)))
    return found


def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Expand files, directories (recursively) and glob patterns into input files.

    Directories and patterns contribute only ``.txt``, ``.md`` and ``.jsonl``
    files (hidden ones are skipped); a file named explicitly is always kept.
    The result is sorted and free of duplicates.  Entries that are not regular
    files (named pipes...) are kept too, for :func:`iter_documents` to skip with
    a warning.

    Raises
    ------
    InputError
        When a path neither exists nor matches anything, when a named path is
        not a regular file or a directory, or when no paths are given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.txt", "a.md", "c.pdf"):
    ...     _ = (d / name).write_text("x", encoding="utf-8")
    >>> [p.name for p in expand_paths([d, d / "*.txt"])]
    ['a.md', 'b.txt']
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if not paths:
        raise InputError("no input paths were given", hint="name files, directories or globs")
    found: dict[str, Path] = {}
    for raw in paths:
        text = os.fspath(raw)
        path = Path(text).expanduser()
        matches: list[Path]
        if path.is_dir():
            matches = _walk(path)
            if not matches:
                raise InputError(
                    f"directory {shown(text)} holds no .txt, .md or .jsonl file",
                    hint="point at a folder of news pages, or name the files themselves",
                )
        elif path.is_file():
            matches = [path]
        elif path.exists():  # a named pipe, socket or device: reading it could block
            raise InputError(
                f"input path {shown(text)} is not a regular file ({_kind(path.stat().st_mode)})",
                hint="name text files or directories of them; kg reads nothing else",
            )
        elif _GLOB_CHARS & set(text):
            matches = []
            for hit in glob.glob(os.path.expanduser(text), recursive=True):
                p = Path(hit)
                if p.is_dir():
                    matches.extend(_walk(p))
                elif p.exists() and _wanted(p):  # not a regular file: skipped with a warning
                    matches.append(p)
            if not matches:
                raise InputError(
                    f"the pattern {shown(text)} matches no .txt, .md or .jsonl file",
                    hint="check the pattern; quote it so the shell does not expand it first",
                )
        else:
            raise InputError(
                f"input path {shown(text)} does not exist",
                hint="check the spelling, or pass a directory or a glob such as 'pages/*.txt'",
            )
        for m in matches:
            key = os.path.normcase(os.path.abspath(m))
            found.setdefault(key, m)
    return sorted(found.values(), key=lambda p: os.path.abspath(p))


# ---------------------------------------------------------------------------
# decoding


# control characters other than \t \n \v \f \r (U+0009-U+000D)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return len(_CONTROL.findall(sample)) / len(sample)


def decode_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode file contents, returning ``(text, encoding)``.

    Order: a byte-order mark (UTF-8/16/32), then strict UTF-8, then GB18030,
    then ``charset-normalizer`` as a last resort.  The BOM is not part of the
    text.  NUL bytes or mostly control characters mean a binary file.

    Raises
    ------
    InputError
        For binary, empty (or whitespace-only) and undecodable contents.

    Examples
    --------
    >>> decode_bytes("工会".encode("gb18030"))
    ('工会', 'gb18030')
    >>> decode_bytes(b"\\xef\\xbb\\xbf" + "工会".encode())
    ('工会', 'utf-8-sig')
    """
    text: str | None = None
    encoding = ""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name} starts with a {label} byte-order mark but is not valid {label}",
                    hint=f"re-save the file as UTF-8 ({exc.reason} at byte {exc.start})",
                ) from exc
            encoding = label
            break
    if text is None:
        if b"\x00" in data:
            raise InputError(
                f"{name} looks binary (it contains NUL bytes)",
                hint="pass text files (.txt, .md, .jsonl); convert PDFs or Word files first",
            )
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding = _decode_chinese(data, name)
    if "\x00" in text or _control_ratio(text) > 0.1:
        raise InputError(
            f"{name} looks binary (mostly control characters)",
            hint="pass text files (.txt, .md, .jsonl); convert PDFs or Word files to text first",
        )
    if not text.strip():
        raise InputError(f"{name} is empty", hint="remove it or fill it with the page's text")
    return text, encoding


# A GB18030 multi-byte character: four bytes, or two.
_GB_CHAR = re.compile(rb"[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]|[\x81-\xfe][\x40-\xfe]")
_BIG5_FAMILY = ("big5", "big5hkscs", "cp950")
# Codecs charset-normalizer may propose that can hold Chinese news text.
_CHINESE_CODECS = frozenset({*_BIG5_FAMILY, "gb18030", "gbk", "gb2312", "hz", "cp936"})


def _mostly_gb2312(data: bytes, sample: int = 1 << 18) -> bool:
    """Whether the multi-byte characters are (almost) all in GB2312.

    Simplified-Chinese text in GBK/GB18030 is; Big5 bytes read as GBK are not
    (Big5 trail bytes 0x40-0x7E fall outside GB2312), nor is traditional text
    in GBK -- for those charset-normalizer decides between GB18030 and Big5.
    """
    chars = _GB_CHAR.findall(data[:sample])
    if not chars:
        return True
    outside = sum(1 for c in chars if len(c) == 4 or c[0] < 0xA1 or c[1] < 0xA1)
    return outside <= 0.05 * len(chars)


def _decode_chinese(data: bytes, name: str) -> tuple[str, str]:
    """Decode non-UTF-8 bytes: GB18030 unless the bytes read better as Big5."""
    try:
        gb_text: str | None = data.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None and _mostly_gb2312(data):
        return gb_text, "gb18030"
    from charset_normalizer import from_bytes

    isolation = ["gb18030", *_BIG5_FAMILY] if gb_text is not None else None
    best = from_bytes(data, cp_isolation=isolation).best()
    enc = str(best.encoding).lower() if best is not None and best.encoding else ""
    if enc in _CHINESE_CODECS:
        try:
            return data.decode(enc), enc
        except (UnicodeDecodeError, LookupError):
            pass
    if gb_text is not None:
        return gb_text, "gb18030"
    raise InputError(
        f"{name} could not be decoded as Chinese text (not UTF-8, UTF-16/32 with a BOM, "
        "GB18030 or Big5)",
        hint="re-save the file as UTF-8",
    )


# ---------------------------------------------------------------------------
# files


def _kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "an unusual kind of file"


def _not_regular(name: str, mode: int) -> InputError:
    if stat.S_ISDIR(mode):
        return InputError(f"{name} is a directory", hint="pass files or use a glob")
    return InputError(
        f"{name} is not a regular file ({_kind(mode)})",
        hint="kg reads only regular text files; move it out of the input folder",
    )


# Opening a named pipe for reading blocks until a writer comes; O_NONBLOCK makes
# the open return at once (the mode is checked again on the open file).
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The contents of a regular file; anything else is refused before it is opened."""
    name = shown(path)
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror}", hint="check the path") from exc
    if not stat.S_ISREG(mode):
        raise _not_regular(name, mode)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise InputError(
            f"cannot read {name}: {exc.strerror}", hint="check that the file exists and is readable"
        ) from exc
    with open(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # replaced between the check and the open
            raise _not_regular(name, info.st_mode)
        if info.st_size > max_bytes:
            raise InputError(
                f"{name} is too large ({info.st_size} bytes; the limit is {max_bytes})",
                hint="split it into smaller files or raise the size limit",
            )
        try:
            return fh.read()
        except OSError as exc:
            raise InputError(
                f"cannot read {name}: {exc.strerror}",
                hint="check that the file exists and is readable",
            ) from exc


_SURROGATE = re.compile(r"[\ud800-\udfff]")  # (escapes read by re)


def _clean(text: str) -> str:
    """JSON may escape lone surrogates (``"\\ud800"``); they become U+FFFD (same length)."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _str_field(record: dict[str, object], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return _clean(value if isinstance(value, str) else str(value))


def _jsonl_records(
    path: Path, text: str, encoding: str, on_bad_line: Callable[[InputError], None] | None
) -> list[Document]:
    docs: list[Document] = []
    seen: set[str] = set()
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"{shown(path)}:{lineno}: malformed JSON ({exc.msg} at column {exc.colno})",
                    hint='each line must be one JSON object such as {"id": "1", "text": "..."}',
                ) from exc
            if not isinstance(record, dict):
                raise InputError(
                    f"{shown(path)}:{lineno}: expected a JSON object, "
                    f"found {type(record).__name__}",
                    hint='each line must be one JSON object such as {"id": "1", "text": "..."}',
                )
            body = next((record[k] for k in TEXT_FIELDS if isinstance(record.get(k), str)), None)
            if not isinstance(body, str) or not body.strip():
                raise InputError(
                    f"{shown(path)}:{lineno}: the record has no non-empty string field 'text'",
                    hint="give every record the article's text in a 'text' field",
                )
        except InputError as err:
            if on_bad_line is None:
                raise
            on_bad_line(err)
            continue
        rid = _str_field(record, "id") or str(lineno)
        doc_id = f"{shown(path.name)}#{rid}"
        if doc_id in seen:
            doc_id = f"{shown(path.name)}#{rid}@{lineno}"
        seen.add(doc_id)
        docs.append(
            Document(
                doc_id=doc_id,
                path=shown(path),
                text=_clean(body),
                encoding=encoding,
                title=_str_field(record, "title"),
                date=_str_field(record, "date"),
                url=_str_field(record, "url"),
            )
        )
    if not docs and on_bad_line is None:
        raise InputError(f"{shown(path)} holds no records", hint="write one JSON object per line")
    return docs


def _read(
    path: Path, max_bytes: int, on_bad_line: Callable[[InputError], None] | None
) -> list[Document]:
    path = Path(path)
    data = _read_bytes(path, max_bytes)
    text, encoding = decode_bytes(data, shown(path))
    if path.suffix.lower() == ".jsonl":
        return _jsonl_records(path, text, encoding, on_bad_line)
    return [Document(doc_id=shown(path.name), path=shown(path), text=text, encoding=encoding)]


def read_documents(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document]:
    """Read one input file into documents.

    A ``.txt`` or ``.md`` file is one :class:`Document` whose ``doc_id`` is the
    file name; a ``.jsonl`` file gives one document per record
    (``{"id", "title", "date", "url", "text"}``; ``content`` or ``body`` are
    accepted for ``text``) with ``doc_id`` ``"<file name>#<id>"`` (the line
    number when a record has no id).  A file name is given as
    :func:`kg.errors.shown` shows it: control characters and bytes that are not
    UTF-8 are escaped (``bad\\xff.txt``), so every id is printable UTF-8.

    Raises
    ------
    InputError
        For binary, empty, undecodable or too large files, for anything that is
        not a regular file (never opened: a named pipe would block), and for a
        malformed JSON Lines record (the message names the file and line).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "page.txt"
    >>> _ = p.write_bytes("工会".encode("gb18030"))
    >>> [(d.doc_id, d.text, d.encoding) for d in read_documents(p)]
    [('page.txt', '工会', 'gb18030')]
    """
    return _read(Path(path), max_bytes, None)


def _undecodable(name: str) -> bool:
    """Whether a file name holds bytes that are not UTF-8 (kept as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def iter_documents(
    paths: Sequence[str | os.PathLike[str]],
    *,
    strict: bool = False,
    on_warning: Callable[[str], None] | None = None,
) -> Iterator[Document]:
    """Expand ``paths`` and yield every document read from them.

    In non-strict mode a bad file (or a bad ``.jsonl`` line) gives one warning
    line naming it -- passed to ``on_warning``, or issued as an
    :class:`InputWarning` -- and reading goes on; ``strict`` re-raises.  When
    two inputs in different folders share a file name, the later one's
    ``doc_id`` is qualified by its folder (``2025/page.txt``), with a warning.
    A file whose name is not valid UTF-8 is read, with a warning naming the
    (escaped) id it gets.

    Raises
    ------
    InputError
        When a path matches nothing, when ``strict`` and a file is bad, or when
        no document at all could be read.
    """
    files = expand_paths(paths)

    def warn(message: str) -> None:
        if on_warning is not None:
            on_warning(message)
        else:
            warnings.warn(message, InputWarning, stacklevel=3)

    count = 0
    seen: set[str] = set()
    for path in files:
        name = shown(path)
        bad: list[InputError] = []
        try:
            docs = _read(path, DEFAULT_MAX_BYTES, None if strict else bad.append)
        except InputError as err:
            if strict:
                raise
            warn(f"skipped {name}: {err}" if name not in str(err) else f"skipped {err}")
            continue
        if bad:  # one warning line per file, however many records were bad
            more = f" (and {len(bad) - 1} more bad line(s))" if len(bad) > 1 else ""
            what = "no record could be read" if not docs else "skipped a record"
            warn(f"{name}: {what}: {bad[0]}{more}")
        if docs and _undecodable(path.name):
            warn(
                f"{name}: the file name is not valid UTF-8; "
                f"its documents are called {docs[0].doc_id.partition('#')[0]} in the outputs"
            )
        for doc in docs:
            if doc.doc_id in seen:  # two inputs share a file name: qualify the later one
                new_id = f"{shown(path.parent.name)}/{doc.doc_id}"
                k = 2
                while new_id in seen:
                    new_id = f"{shown(path.parent.name)}/{doc.doc_id}@{k}"
                    k += 1
                warn(f"{name}: another input is also called {doc.doc_id}; using id {new_id}")
                doc = dataclasses.replace(doc, doc_id=new_id)
            seen.add(doc.doc_id)
            count += 1
            yield doc
    if count == 0:
        raise InputError(
            f"no document could be read from {len(files)} input file(s)",
            hint="check the warnings above; inputs must be UTF-8, GB18030 or UTF-16 text",
        )
