"""Reading inputs: encodings, bad files, JSON Lines, globs and directories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.model import Article
from kg.text import InputWarning, expand_paths, iter_documents, read_documents, split_articles

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_20dd1265d34bf7f5.txt"
DATA = Path(__file__).parent / "data" / "text"
TRAD = (DATA / "traditional.txt").read_text(encoding="utf-8")


def _shape(arts: list[Article]) -> list[tuple[object, ...]]:
    return [
        (a.kind, a.title, a.start, a.end, [(s.start, s.end, s.text) for s in a.sentences])
        for a in arts
    ]


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("codec", "label"),
    [("gb18030", "gb18030"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig")],
)
def test_seed_copy_in_other_encoding_gives_same_articles(
    tmp_path: Path, codec: str, label: str
) -> None:
    [orig] = read_documents(SEED)
    assert orig.encoding == "utf-8"
    copy = tmp_path / SEED.name
    copy.write_bytes(orig.text.encode(codec))
    [doc] = read_documents(copy)
    assert doc.encoding == label
    assert doc.text == orig.text  # no BOM in the text
    assert doc.doc_id == orig.doc_id
    assert _shape(split_articles(doc)) == _shape(split_articles(orig))


@pytest.mark.parametrize("codec", ["big5", "gb18030", "utf-16-be", "utf-16-le"])
def test_traditional_text_in_chinese_encodings(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "trad.txt"
    data = TRAD.encode(codec)
    if codec.startswith("utf-16-"):
        data = ("\ufeff".encode(codec)) + data  # with a byte-order mark
    path.write_bytes(data)
    [doc] = read_documents(path)
    assert doc.text == TRAD
    assert doc.encoding == ("utf-16" if codec.startswith("utf-16") else codec)


def test_gbk_simplified_page(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gbk"))
    [doc] = read_documents(path)
    assert doc.encoding == "gb18030"


# --------------------------------------------------------------------------- bad files

BAD = {
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    "control.txt": bytes(range(1, 9)) * 200,
    "empty.txt": b"",
    "blank.txt": b" \n\t\r\n\xe3\x80\x80\n",
    "undecodable.txt": bytes(range(0x80, 0x100)) * 4,
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_an_input_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(BAD[name])
    with pytest.raises(InputError) as info:
        read_documents(path)
    assert name in str(info.value)
    assert info.value.exit_code == 3
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_warns_once_in_non_strict_mode(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(BAD[name])
    shutil.copy(SEED, tmp_path / SEED.name)
    seen: list[str] = []
    docs = list(iter_documents([tmp_path], on_warning=seen.append))
    assert [d.doc_id for d in docs] == [SEED.name]
    assert len(seen) == 1 and name in seen[0] and "\n" not in seen[0]


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_raises_in_strict_mode(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(BAD[name])
    shutil.copy(SEED, tmp_path / SEED.name)
    with pytest.raises(InputError, match=name.replace(".", r"\.")):
        list(iter_documents([tmp_path], strict=True))


def test_default_warning_is_an_input_warning(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    shutil.copy(SEED, tmp_path / SEED.name)
    with pytest.warns(InputWarning, match=r"empty\.txt"):
        docs = list(iter_documents([tmp_path]))
    assert len(docs) == 1


def test_no_readable_document_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError, match="no document could be read"):
        list(iter_documents([tmp_path], on_warning=lambda _m: None))


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("工会" * 100, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_documents(path, max_bytes=100)


# --------------------------------------------------------------------------- jsonl


def test_jsonl_malformed_line_names_file_and_line() -> None:
    with pytest.raises(InputError, match=r"records\.jsonl:3: malformed JSON"):
        read_documents(DATA / "records.jsonl")


def test_jsonl_records_non_strict_skip_the_bad_line() -> None:
    seen: list[str] = []
    docs = list(iter_documents([DATA / "records.jsonl"], on_warning=seen.append))
    assert [d.doc_id for d in docs] == ["records.jsonl#a1", "records.jsonl#a2", "records.jsonl#a4"]
    assert len(seen) == 1 and "records.jsonl:3" in seen[0]
    first = docs[0]
    assert (first.title, first.date, first.url) == (
        "某市总工会开展送温暖活动",
        "2026-01-20",
        "https://example.org/a1",
    )
    [art] = split_articles(first)
    assert art.title == "某市总工会开展送温暖活动" and art.byline == ["张三"]
    [trad] = split_articles(docs[1])
    assert trad.title == "台湾劳工"  # the record's title, normalised
    assert [s.text for s in trad.sentences] == ["台湾省总工会举办讲座。", "职工踊跃参加。"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('["not", "an", "object"]', "expected a JSON object"),
        ('{"id": "x"}', "no non-empty string field 'text'"),
        ('{"id": "x", "text": "   "}', "no non-empty string field 'text'"),
        ('{"id": "x", "text": 5}', "no non-empty string field 'text'"),
    ],
)
def test_jsonl_bad_records(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "ok", "text": "好。"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"r\.jsonl:2: .*{message}"):
        read_documents(path)


def test_jsonl_ids_default_to_line_numbers_and_stay_unique(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(
        '{"text": "一。"}\n\n{"id": 7, "text": "二。"}\n{"id": "7", "text": "三。"}\n',
        encoding="utf-8",
    )
    ids = [d.doc_id for d in read_documents(path)]
    assert ids == ["r.jsonl#1", "r.jsonl#7", "r.jsonl#7@4"]


# --------------------------------------------------------------------------- paths


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for rel in ("a.txt", "b.md", "c.jsonl", "sub/d.txt", "sub/deeper/e.TXT", "f.pdf", ".g.txt"):
        (tmp_path / rel).write_text("x", encoding="utf-8")
    (tmp_path / ".hidden" / "h.txt").write_text("x", encoding="utf-8")
    return tmp_path


def test_directory_is_walked_recursively(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    got = [p.relative_to(root).as_posix() for p in expand_paths([root])]
    assert got == ["a.txt", "b.md", "c.jsonl", "sub/d.txt", "sub/deeper/e.TXT"]


def test_globs_files_and_duplicates(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    got = expand_paths([root / "**" / "*.txt", root / "a.txt", str(root / "sub"), root / "f.pdf"])
    rel = [p.relative_to(root).as_posix() for p in got]
    # a file named explicitly is kept whatever its suffix; no duplicates; sorted
    assert rel == ["a.txt", "f.pdf", "sub/d.txt", "sub/deeper/e.TXT"]


@pytest.mark.parametrize("pattern", ["missing.txt", "nothing/*.txt", "*.nope"])
def test_path_matching_nothing_is_an_input_error(tmp_path: Path, pattern: str) -> None:
    with pytest.raises(InputError) as info:
        expand_paths([tmp_path / pattern])
    assert info.value.exit_code == 3 and info.value.hint


def test_empty_directory_and_no_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no"):
        expand_paths([tmp_path])
    with pytest.raises(InputError):
        expand_paths([])


def test_same_file_name_in_two_folders_gets_distinct_ids(tmp_path: Path) -> None:
    for year in ("2024", "2025"):
        (tmp_path / year).mkdir()
        shutil.copy(SEED, tmp_path / year / SEED.name)
    seen: list[str] = []
    ids = [d.doc_id for d in iter_documents([tmp_path], on_warning=seen.append)]
    assert ids == [SEED.name, f"2025/{SEED.name}"]
    assert len(seen) == 1 and "2025" in seen[0]


def test_jsonl_text_field_aliases(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(
        '{"id": "1", "content": "一。"}\n{"id": "2", "body": "二。", "text": "三。"}\n',
        encoding="utf-8",
    )
    assert [d.text for d in read_documents(path)] == ["一。", "三。"]


def test_jsonl_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "1", "text": "工会\\ud800臺灣。"}\n', encoding="utf-8")
    [doc] = read_documents(path)
    assert doc.text == "工会\ufffd臺灣。"
    [art] = split_articles(doc)
    assert [s.text for s in art.sentences] == ["工会\ufffd台湾。"]


def test_many_bad_jsonl_lines_give_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"text": "好。"}\n' + "{bad\n" * 5 + "[]\n", encoding="utf-8")
    seen: list[str] = []
    docs = list(iter_documents([path], on_warning=seen.append))
    assert len(docs) == 1
    assert len(seen) == 1 and "r.jsonl:2" in seen[0] and "5 more" in seen[0]
