"""The fast paths of extraction give exactly what the slow ones gave.

:mod:`kg.text.words` reads jieba's dictionary without jieba's tokenizer: its
segmentation and log-probabilities must equal jieba's to the last bit, and its
cache must be safe to lose, corrupt or share.
"""

from __future__ import annotations

import marshal
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.text import words

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def tok() -> object:
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(60)
    jieba.dt.check_initialized()
    return jieba.dt


def _samples(n: int, seed: int = 7) -> list[str]:
    """Slices of the seed pages (1-40 characters) and strings of our own that mix
    Han, ASCII letters and digits, punctuation and white space."""
    rnd = random.Random(seed)
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    out = []
    for _ in range(n):
        a = rnd.randrange(len(text))
        out.append(text[a : a + rnd.randint(1, 40)])
    own = [
        "",
        "工会",
        "市总工会联合人社局开展A1计划",
        "abc12工会x9 \r\n职工之家、驿站——100万元",
        "第3届“Q+A”职工#节 与 c++ 班",
        "職工服務站",
        "\u3400\u4e00\uffff工会",
        "  \t多 空 白\n",
    ]
    alphabet = "工会职工服务站法律援助中心市省区的了和与abcXYZ019+#&._%-、，。“”\n "
    own += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 25))) for _ in range(300)]
    return out + own


def test_segment_is_jieba_lcut_without_hmm(tok: object) -> None:
    import jieba

    table = words.word_table()
    for s in _samples(1500):
        assert table.segment(s) == jieba.lcut(s, HMM=False), s


def test_logprob_is_jieba_route_to_the_bit(tok: object) -> None:
    table = words.word_table()
    for s in _samples(1500, seed=8):
        if not s:
            continue
        route: dict[int, tuple[float, int]] = {}
        tok.calc(s, tok.get_DAG(s), route)  # type: ignore[attr-defined]
        assert table.logprob(s) == float(route[0][0]), s


def _same_table(a: words.WordTable, b: words.WordTable, sample: str = "") -> None:
    assert a.total == b.total and a.chars == b.chars and a.tags == b.tags
    for ch in sample or "工会职工的了a1中国人民法院":
        assert a.shard(ch) == b.shard(ch)


def test_table_is_jieba_dictionary(tok: object) -> None:
    table = words.word_table()
    freq = tok.FREQ  # type: ignore[attr-defined]
    assert table.total == tok.total  # type: ignore[attr-defined]
    by_first: dict[str, dict[str, int]] = {}
    for w, f in freq.items():
        by_first.setdefault(w[0], {})[w] = f
    for ch, part in by_first.items():  # each part is jieba's FREQ restricted to ch
        assert table.shard(ch) == part, ch
    assert table.shard("\uffff") == {} and table.freq_of("") == 0
    assert table.chars == {w: f for w, f in freq.items() if len(w) == 1 and f > 0}
    raw = words.dictionary_path().read_text(encoding="utf-8")
    pattern = re.compile(rf"^(\S+) \d+ ({'|'.join(words.VERBAL_TAGS)})\r?$", re.M)
    assert table.tags == dict(pattern.findall(raw))


def _fresh(monkeypatch: pytest.MonkeyPatch, where: Path) -> words.WordTable:
    monkeypatch.setenv("KG_CACHE_DIR", str(where))
    words.word_table.cache_clear()
    try:
        return words.word_table()
    finally:
        words.word_table.cache_clear()


def test_cache_written_once_then_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    built = _fresh(monkeypatch, tmp_path)
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and files[0].suffix == ".marshal"
    first = files[0].read_bytes()
    read = _fresh(monkeypatch, tmp_path)
    _same_table(read, built)
    # deterministic: building again gives the same bytes
    files[0].unlink()
    _fresh(monkeypatch, tmp_path)
    assert files[0].read_bytes() == first


@pytest.mark.parametrize("damage", ["empty", "garbage", "other format", "cut short", "magic only"])
def test_bad_cache_is_rebuilt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, damage: str) -> None:
    good = _fresh(monkeypatch, tmp_path)
    (cached,) = tmp_path.iterdir()
    data = cached.read_bytes()
    header = marshal.dumps((99, 0, {}, {}, {}, 0))
    cached.write_bytes(
        {
            "empty": b"",
            "garbage": b"\x00garbage",
            "other format": words._MAGIC + len(header).to_bytes(8, "little") + header,
            "cut short": data[: len(data) - 1000],
            "magic only": words._MAGIC,
        }[damage]
    )
    again = _fresh(monkeypatch, tmp_path)
    _same_table(again, good)
    assert words._read_cache(cached) is not None  # rewritten whole


def test_damaged_part_falls_back_to_the_dictionary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A part damaged in place (same length) is noticed when it is first read: the table
    is then built from the dictionary and look-ups stay right."""
    good = _fresh(monkeypatch, tmp_path)
    (cached,) = tmp_path.iterdir()
    table = words._read_cache(cached)
    assert table is not None and table._index is not None
    off, length = table._index["工"]
    data = bytearray(cached.read_bytes())
    body = len(data) - len(table._blob)  # type: ignore[arg-type]
    data[body + off : body + off + length] = b"\xff" * length
    cached.write_bytes(bytes(data))
    damaged = words._read_cache(cached)
    assert damaged is not None
    assert damaged.freq_of("工会") == good.freq_of("工会") > 0
    assert damaged.segment("市总工会职工服务站") == good.segment("市总工会职工服务站")


def test_unwritable_cache_dir_still_works(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    table = _fresh(monkeypatch, blocker / "cache")
    assert table.segment("职工服务站") == ["职工", "服务站"]
    assert [p.name for p in tmp_path.iterdir()] == ["file"]  # no stray temporary file


def test_concurrent_first_use(tmp_path: Path) -> None:
    """Processes that build the cache at once all get the same table and leave one file."""
    code = (
        "from kg.text.words import word_table\n"
        "t = word_table()\n"
        "print(t.freq_of('工会'), t.total, len(t.tags), len(t.chars))\n"
    )
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path)}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outs = {p.communicate(timeout=120)[0] for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert len(outs) == 1
    assert [p.suffix for p in tmp_path.iterdir()] == [".marshal"]


def test_text_layer_does_not_load_jieba() -> None:
    """Splitting a page (with a word cut by a line break) reads the dictionary without
    importing jieba (its import and table cost ~0.75 s per process)."""
    code = (
        "import sys\n"
        "from kg.model import Document\n"
        "from kg.text import split_articles\n"
        "text = '标题\\n\\n市总工会召开联\\n席会议，研究职工服务。\\n'\n"
        "split_articles(Document('d.txt', 'd.txt', text))\n"
        "from kg.text.words import word_table\n"
        "assert word_table.cache_info().currsize == 1, 'dictionary not read'\n"
        "print('jieba' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False"


def test_extraction_benchmark_reports_the_facts_share() -> None:
    """Issue 17: the facts extractor's share of extraction time, facts on vs off in
    the same run (no timing asserted: only that it is measured)."""
    from benchmarks.bench_extraction import _docs, _measure
    from benchmarks.common import seed_paths

    res = _measure(_docs(seed_paths()[:1]), repeats=1, kg_ok=True, budget=60)
    assert res["kg_seconds"] > 0 and res["kg_no_facts_seconds"] > 0
    assert -1 < res["facts_share"] < 1


_FIGURE_ALPHABET = (
    "0123456789０１２.,，万亿千百十两一二三四五零余多约近超过"
    "元名人个家次第前年月%～-工会职工的了 \n"
)


def test_quantities_prefilter_changes_nothing() -> None:
    """read_quantities skips texts without a digit or 千/万/亿; on any text it gives what
    the full pattern gives."""
    from kg.extract import quantities as qm

    def full(text: str) -> list[qm.Quantity]:
        out = []
        for m in qm._pattern().finditer(text):
            try:
                q = qm._quantity(text, m)
            except (ArithmeticError, ValueError, IndexError):
                q = None
            if q is not None:
                out.append(q)
        return out

    rnd = random.Random(11)
    texts = _samples(300, seed=12)
    texts += [
        "".join(rnd.choice(_FIGURE_ALPHABET) for _ in range(rnd.randint(1, 30)))
        for _ in range(3000)
    ]
    for text in texts:
        assert qm.read_quantities(text) == full(text), text


def test_extract_prints_nothing_of_jieba(tmp_path: Path) -> None:
    """Whatever still calls jieba during extraction, its dictionary-loading messages never
    reach stderr (they broke the exact-stderr tests of kg's signals and warnings)."""
    src = sorted(SEEDS.glob("*.txt"))[0]
    out = subprocess.run(
        [sys.executable, "-m", "kg.cli", "extract", str(src), "--out", str(tmp_path / "x.jsonl")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert "dict" not in out.stderr and "jieba" not in out.stderr, out.stderr


def test_clause_bounds_by_bisection_equal_the_character_walk() -> None:
    """facts._clause_bounds finds the clause by bisecting the sentence's break positions;
    it equals the walk it replaced (a comma between digits is no break) everywhere."""
    from kg.extract.facts import _BREAKS, _clause_bounds

    def walk(text: str, pos: int) -> tuple[int, int]:
        def is_break(i: int) -> bool:
            inside = 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
            return text[i] in _BREAKS and not (text[i] == "," and inside)

        start, end = pos, pos
        while start > 0 and not is_break(start - 1):
            start -= 1
        while end < len(text) and not is_break(end):
            end += 1
        return start, end

    rnd = random.Random(5)
    alphabet = "12,，;；:：!?。！？、工会0９ "
    for _ in range(5000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 16)))
        for pos in range(len(text) + 1):
            assert _clause_bounds(text, pos) == walk(text, pos), (text, pos)


def test_half_width_by_pattern_equals_the_translation_table() -> None:
    """norm.to_half_width replaces only the characters its table maps (found by one
    pattern scan) and gives exactly ``str.translate`` of that table."""
    from kg.text.norm import _width_table, to_half_width

    table = _width_table()
    rnd = random.Random(9)
    alphabet = [chr(k) for k in table] + list("工会abc，。、“”（）：１２３　\u00a0\u2212-\n")
    texts = ["", "没有全角", *_samples(200, seed=10)]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(3000)]
    for text in texts:
        assert to_half_width(text) == text.translate(table), text


def test_control_ratio_by_pattern_equals_the_character_count() -> None:
    """reading._control_ratio counts control characters (not \\t \\n \\v \\f \\r) with one
    pattern; it equals the per-character count it replaced."""
    from kg.text.reading import _control_ratio

    def count(text: str) -> float:
        sample = text[:20000]
        if not sample:
            return 0.0
        bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
        return bad / len(sample)

    rnd = random.Random(4)
    alphabet = [chr(i) for i in range(40)] + list("工会ab\x7f\x85")
    texts = ["", "工会" * 15000, *_samples(100, seed=6)]
    texts += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 40))) for _ in range(3000)]
    for text in texts:
        assert _control_ratio(text) == count(text), repr(text)
