"""jieba's word dictionary without jieba's tokenizer: frequencies, tags, segmentation.

The text layer (:mod:`kg.text.layout`, a word cut by a column break) and the
recogniser (:mod:`kg.extract.mentions.scan`: common words, word starts, the
verbal part-of-speech tags) read jieba's general dictionary (``jieba/dict.txt``,
349k words with frequencies and tags).  Initialising jieba itself to read it
costs about 0.75 s per process (importing jieba and ``pkg_resources``, then
unmarshalling a 498k-entry table of words and their prefixes from a file); this
module reads the same table from a cache file in parts, on demand:

* one part per first character: jieba's prefix dictionary of the words that
  start with it (word -> frequency, and each word's proper prefixes -> 0, exactly
  jieba's ``FREQ`` restricted to that character), loaded the first time a look-up
  starts with that character (the seeds touch 543 first characters, 37% of the
  table);
* ``total``: the sum of all the dictionary's frequencies (jieba's ``total``);
* ``chars``: the one-character words and their frequencies;
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
_FORMAT = 4

# jieba's block patterns (jieba/__init__.py: re_han_default, re_skip_default, re_eng)
_RE_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_RE_SKIP = re.compile("(\r\n|\\s)")
_RE_ENG = re.compile("[a-zA-Z0-9]")


_EMPTY: dict[str, int] = {}

_MAGIC = b"KGWT"


class WordTable:
    """The dictionary as extraction reads it (see the module docstring)."""

    __slots__ = ("_blob", "_index", "_shards", "chars", "logtotal", "tags", "total")

    def __init__(
        self,
        total: int,
        chars: dict[str, int],
        tags: dict[str, str],
        shards: dict[str, dict[str, int]] | None = None,
        blob: memoryview | None = None,
        index: dict[str, tuple[int, int]] | None = None,
    ) -> None:
        self.total = total
        self.logtotal = log(total) if total > 0 else 0.0
        self.chars = chars
        self.tags = tags
        self._shards: dict[str, dict[str, int]] = dict(shards or {})
        self._blob = blob  # the cache file's parts, unmarshalled on demand
        self._index = index  # first character -> (offset, length) in ``_blob``

    def shard(self, ch: str) -> dict[str, int]:
        """jieba's prefix dictionary restricted to the words that start with ``ch``."""
        got = self._shards.get(ch)
        return got if got is not None else self._load(ch)

    def _load(self, ch: str) -> dict[str, int]:
        place = self._index.get(ch) if self._index is not None else None
        if place is None or self._blob is None:
            got = _EMPTY
        else:
            off, length = place
            try:
                got = marshal.loads(self._blob[off : off + length])
            except (EOFError, ValueError, TypeError):  # a damaged cache: read the dictionary
                self._rebuild()
                return self.shard(ch)
        self._shards[ch] = got
        return got

    def _rebuild(self) -> None:
        total, chars, tags, shards = _parse(dictionary_path().read_bytes())
        self.total, self.chars, self.tags, self._shards = total, chars, tags, shards
        self._blob = self._index = None

    def freq_of(self, word: str) -> int:
        """The frequency of ``word`` (0 when it is no word of the dictionary)."""
        return self.shard(word[0]).get(word, 0) if word else 0

    def _route(self, text: str) -> tuple[list[float], list[int]]:
        """jieba's ``get_DAG`` + ``calc``: for each ``i``, the best log-probability of
        ``text[i:]`` and the end index of its first word, by the same float operations
        (``log(f) - log(total) + rest``; of equal sums the longer word, as jieba's
        ``max`` over ``(sum, end)`` pairs)."""
        shards, load, logtotal = self._shards, self._load, self.logtotal
        n = len(text)
        probs = [0.0] * (n + 1)
        ends = [0] * (n + 1)
        alone = log(1) - logtotal  # a character that starts no word: frequency 1
        for idx in range(n - 1, -1, -1):
            ch = text[idx]
            words = shards.get(ch)
            if words is None:
                words = load(ch)
            best = alone + probs[idx + 1]
            best_x = idx
            found = False
            x = idx
            f = words.get(ch)
            while f is not None:  # a word or the prefix of one: read on (jieba's get_DAG)
                if f:
                    p = log(f) - logtotal + probs[x + 1]
                    if not found or p >= best:
                        best, best_x, found = p, x, True
                x += 1
                if x >= n:
                    break
                f = words.get(text[idx : x + 1])  # one look-up per fragment, not two
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
) -> tuple[int, dict[str, int], dict[str, str], dict[str, dict[str, int]]]:
    """``(total, chars, tags, shards)`` from the dictionary's bytes, as jieba's
    ``gen_pfdict`` reads them: a repeated word keeps its last frequency, a word's
    proper prefixes that are no word get 0, ``total`` counts every line."""
    lfreq: dict[str, int] = {}
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
        lfreq[word] = f
        total += f
        for k in range(1, len(word)):
            lfreq.setdefault(word[:k], 0)
    shards: dict[str, dict[str, int]] = {}
    for w, f in lfreq.items():
        shards.setdefault(w[0], {})[w] = f
    chars = {w: f for w, f in lfreq.items() if len(w) == 1 and f > 0}
    # the tags, exactly as the recogniser read them before: "word freq tag" lines
    pattern = re.compile(rf"^(\S+) \d+ ({'|'.join(VERBAL_TAGS)})\r?$", re.M)
    tags = dict(pattern.findall(raw.decode("utf-8")))
    return total, chars, tags, shards


def _pack(
    total: int, chars: dict[str, int], tags: dict[str, str], shards: dict[str, dict[str, int]]
) -> bytes:
    """The cache file: magic, header length, header, then one marshalled part per first
    character (the header holds their offsets)."""
    parts: list[bytes] = []
    index: dict[str, tuple[int, int]] = {}
    pos = 0
    for ch, words in shards.items():
        blob = marshal.dumps(words)
        index[ch] = (pos, len(blob))
        parts.append(blob)
        pos += len(blob)
    header = marshal.dumps((_FORMAT, total, chars, tags, index, pos))
    return b"".join([_MAGIC, len(header).to_bytes(8, "little"), header, *parts])


def _cache_file(dict_path: Path) -> Path:
    st = dict_path.stat()
    key = f"{dict_path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{_FORMAT}|{VERBAL_TAGS}"
    key += f"|{sys.version_info[:2]}|{marshal.version}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    return cache_dir() / f"jieba-words-{digest}.marshal"


def _read_cache(path: Path) -> WordTable | None:
    try:
        data = path.read_bytes()
        if data[:4] != _MAGIC:
            return None
        size = int.from_bytes(data[4:12], "little")
        fmt, total, chars, tags, index, body = marshal.loads(data[12 : 12 + size])
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if fmt != _FORMAT or len(data) != 12 + size + body or not isinstance(index, dict):
        return None  # another format, or a file cut short
    return WordTable(total, chars, tags, blob=memoryview(data)[12 + size :], index=index)


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
    total, chars, tags, shards = _parse(dict_path.read_bytes())
    if cache_file is not None:
        _write_cache(cache_file, _pack(total, chars, tags, shards))
    return WordTable(total, chars, tags, shards=shards)
