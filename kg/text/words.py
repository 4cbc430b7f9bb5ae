"""jieba's word dictionary without jieba's tokenizer: frequencies, tags, segmentation.

The text layer (:mod:`kg.text.layout`, a word cut by a column break) and the
recogniser (:mod:`kg.extract.mentions.scan`: common words, word starts, the
verbal part-of-speech tags) read jieba's general dictionary (``jieba/dict.txt``,
349k words with frequencies and tags).  Initialising jieba itself to read it
costs about 0.75 s per process (importing jieba and ``pkg_resources``, then
unmarshalling a 498k-entry table of words and their prefixes from a file); this
module keeps only what extraction reads and loads it in about 0.2 s:

* ``freq``: word -> frequency, words of frequency > 0 only (no prefix entries);
* ``total``: the sum of all the dictionary's frequencies (jieba's ``total``);
* ``maxlen``: first character -> length of the longest word it starts;
* ``chars``: the one-character words, in dictionary order;
* ``tags``: word -> part-of-speech tag, for the tags in :data:`VERBAL_TAGS` only.

:meth:`WordTable.logprob` and :meth:`WordTable.segment` reproduce jieba's
``get_DAG`` + ``calc`` and ``lcut(text, HMM=False)`` exactly (same
log-probabilities to the last bit, same words; the tests compare them on
generated text).

The table is derived from the dictionary file of the installed jieba on first
use and cached in ``$KG_CACHE_DIR`` (default ``$XDG_CACHE_HOME/union-kg`` or
``~/.cache/union-kg``) under a name that fixes the dictionary file (path, size,
modification time), the cache format and the Python version; the file is written
to a temporary name and renamed into place, so concurrent processes at worst
both build it.  When the cache cannot be read or written, the table is built in
memory (about 1 s) and extraction goes on.  Nothing is downloaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from functools import cache
from math import log
from pathlib import Path

__all__ = ["VERBAL_TAGS", "WordTable", "cache_dir", "dictionary_path", "word_table"]

# the part-of-speech tags that can open a verb phrase (the recogniser's verb-phrase
# test): verbs, adverbs, adjectives, prepositions, conjunctions, pronouns, particles,
# numerals.  The table keeps the tags of these words only: a look-up that finds
# nothing is a noun or a name.
VERBAL_TAGS = ("v", "vd", "zg", "d", "ad", "a", "p", "c", "r", "u", "ul", "uj", "m")

# bump when the cached content or its layout changes
_FORMAT = 3

# jieba's block patterns (jieba/__init__.py: re_han_default, re_skip_default, re_eng)
_RE_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_RE_SKIP = re.compile("(\r\n|\\s)")
_RE_ENG = re.compile("[a-zA-Z0-9]")


class WordTable:
    """The dictionary as extraction reads it (see the module docstring)."""

    __slots__ = ("chars", "freq", "logtotal", "maxlen", "tags", "total")

    def __init__(
        self,
        freq: dict[str, int],
        total: int,
        maxlen: dict[str, int],
        tags: dict[str, str],
        chars: list[str],
    ) -> None:
        self.freq = freq
        self.total = total
        self.logtotal = log(total) if total > 0 else 0.0
        self.maxlen = maxlen
        self.tags = tags
        self.chars = chars

    def _route(self, text: str) -> tuple[list[float], list[int]]:
        """jieba's ``get_DAG`` + ``calc``: for each ``i``, the best log-probability of
        ``text[i:]`` and the end index of its first word, by the same float operations
        (``log(f) - log(total) + rest``; of equal sums the longer word, as jieba's
        ``max`` over ``(sum, end)`` pairs)."""
        get, maxlen, logtotal = self.freq.get, self.maxlen.get, self.logtotal
        n = len(text)
        probs = [0.0] * (n + 1)
        ends = [0] * (n + 1)
        alone = log(1) - logtotal  # a character that starts no word: frequency 1
        for idx in range(n - 1, -1, -1):
            best = alone + probs[idx + 1]
            best_x = idx
            found = False
            for x in range(idx, min(n, idx + maxlen(text[idx], 0))):
                f = get(text[idx : x + 1])
                if f:
                    p = log(f) - logtotal + probs[x + 1]
                    if not found or p >= best:
                        best, best_x, found = p, x, True
            probs[idx] = best
            ends[idx] = best_x
        return probs, ends

    def logprob(self, text: str) -> float:
        """Log-probability of the best segmentation of ``text`` (jieba's ``route[0][0]``)."""
        return self._route(text)[0][0]

    def segment(self, text: str) -> list[str]:
        """The words of ``text``: exactly ``jieba.lcut(text, HMM=False)``."""
        out: list[str] = []
        for blk in _RE_HAN.split(text):
            if not blk:
                continue
            if _RE_HAN.match(blk):
                out.extend(self._cut_block(blk))
            else:
                for x in _RE_SKIP.split(blk):
                    if _RE_SKIP.match(x):
                        out.append(x)
                    else:
                        out.extend(x)
        return out

    def _cut_block(self, text: str) -> Iterator[str]:
        ends = self._route(text)[1]
        x, n, buf = 0, len(text), ""
        while x < n:
            y = ends[x] + 1
            word = text[x:y]
            if len(word) == 1 and _RE_ENG.match(word):
                buf += word
            else:
                if buf:
                    yield buf
                    buf = ""
                yield word
            x = y
        if buf:
            yield buf


def dictionary_path() -> Path:
    """jieba's dictionary file, found without importing jieba (its import alone
    takes ~0.15 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        from kg.errors import UsageError

        raise UsageError(
            "jieba is not installed: its dictionary is needed to read words",
            hint="pip install 'jieba>=0.42.1' (a dependency of union-kg)",
        )
    return Path(next(iter(spec.submodule_search_locations))) / "dict.txt"


def cache_dir() -> Path:
    """Where derived tables are cached: ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/union-kg``,
    else ``~/.cache/union-kg``."""
    explicit = os.environ.get("KG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "union-kg"


def _parse(
    raw: bytes,
) -> tuple[dict[str, int], int, dict[str, int], dict[str, str], list[str]]:
    """The table from the dictionary's bytes, as jieba's ``gen_pfdict`` reads them
    (a repeated word keeps its last frequency; ``total`` counts every line)."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    lines = raw.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()  # the final newline
    for lineno, line in enumerate(lines, 1):
        text = line.strip().decode("utf-8")
        parts = text.split(" ")
        try:
            word, f = parts[0], int(parts[1])
        except (IndexError, ValueError):
            from kg.errors import UsageError

            raise UsageError(
                f"invalid entry in jieba's dictionary at line {lineno}: {text!r}",
                hint="reinstall jieba (pip install --force-reinstall jieba)",
            ) from None
        freq[word] = f
        total += f
    words = {w: f for w, f in freq.items() if f > 0}
    maxlen: dict[str, int] = {}
    for w in words:
        if len(w) > maxlen.get(w[0], 0):
            maxlen[w[0]] = len(w)
    chars = [w for w in words if len(w) == 1]
    # the tags, exactly as the recogniser read them before: "word freq tag" lines
    pattern = re.compile(rf"^(\S+) \d+ ({'|'.join(VERBAL_TAGS)})\r?$", re.M)
    tags = dict(pattern.findall(raw.decode("utf-8")))
    return words, total, maxlen, tags, chars


def _cache_file(dict_path: Path) -> Path:
    st = dict_path.stat()
    key = f"{dict_path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{_FORMAT}|{VERBAL_TAGS}"
    key += f"|{sys.version_info[:2]}|{marshal.version}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return cache_dir() / f"jieba-words-{digest}.marshal"


def _read_cache(path: Path) -> WordTable | None:
    try:
        data = path.read_bytes()
        fmt, freq, total, maxlen, tags, chars = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if fmt != _FORMAT or not isinstance(freq, dict) or not isinstance(total, int):
        return None
    return WordTable(freq, total, maxlen, tags, chars)


def _write_cache(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` by a rename (readers never see half a file);
    any failure leaves no file and is ignored: the cache is only a speed-up."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with open(fd, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


@cache
def word_table() -> WordTable:
    """The word table (built or read from the cache once per process)."""
    dict_path = dictionary_path()
    try:
        cache_file: Path | None = _cache_file(dict_path)
    except OSError:
        cache_file = None
    if cache_file is not None:
        table = _read_cache(cache_file)
        if table is not None:
            return table
    raw = dict_path.read_bytes()
    freq, total, maxlen, tags, chars = _parse(raw)
    if cache_file is not None:
        _write_cache(cache_file, marshal.dumps((_FORMAT, freq, total, maxlen, tags, chars)))
    return WordTable(freq, total, maxlen, tags, chars)
