"""The speed structures of the recogniser give the same answers as the plain ones.

* The scanner finds surfaces with ahocorasick_rs (the Rust aho-corasick crate),
  sorted into the order of a classic Aho-Corasick scan.  These tests check that it
  reports exactly the hits, in the same order, of a pyahocorasick automaton over
  the same surfaces (what the scanner used before), on random text made of lexicon
  surfaces and other characters.
* ``OrgLexicon.expand`` looks short enterprise names up by length; it must agree
  with the longest-first scan over all short names that it replaced.

No timing is asserted: speed is measured by ``benchmarks/`` and the commit messages.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import mentions
from kg.lexicon.orgs import OrgLexicon, org_lexicon


def _reference_automaton() -> Any:
    import ahocorasick

    sc = mentions.scanner()
    a = ahocorasick.Automaton()
    for surface, entry in zip(sc.surfaces, sc.entries, strict=True):
        a.add_word(surface, entry)
    a.make_automaton()
    return a


_REFERENCE: list[Any] = []


def _reference() -> Any:
    if not _REFERENCE:
        _REFERENCE.append(_reference_automaton())
    return _REFERENCE[0]


_pieces = st.one_of(
    st.sampled_from(list(mentions.scanner().surfaces)),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x9FFF), max_size=4),
    st.sampled_from(list("。,、“”()的和与在工会省市区")),
)


def _hits(text: str) -> list[tuple[int, Any]]:
    """The scanner's matches as pyahocorasick reports them: (last index, value)."""
    sc = mentions.scanner()
    out = []
    for index, start, end in sc.matches(text):
        assert text[start:end] == sc.surfaces[index] and end - start == sc.entries[index][0]
        out.append((end - 1, sc.entries[index]))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=12).map("".join))
def test_the_scan_finds_what_a_classic_automaton_finds_in_its_order(text: str) -> None:
    assert _hits(text) == list(_reference().iter(text))


def test_nested_and_overlapping_surfaces_come_longest_first_at_each_end() -> None:
    text = "广东省深圳市南山区总工会与区人社局"
    found = _hits(text)
    assert found == list(_reference().iter(text))
    ends = [end for end, _ in found]
    assert ends == sorted(ends) and len(found) > len(set(ends))  # (some end twice)


def test_scan_reads_the_same_kinds_as_the_payload() -> None:
    hits = mentions._scan("广东省深圳市南山区总工会与区人社局携手开展职工服务驿站建设")
    orgs = {hits.text[s:e] for s, e, _c, _d in hits.orgs}
    assert {"总工会", "人社局"} <= orgs
    assert 0 in hits.regions_start and hits.regions_start[0][0][1] == "广东省"
    assert hits.heads, "驿站 is a program head word"


def _expand_reference(lex: OrgLexicon, name: str) -> str:
    for short in sorted(lex.abbreviations, key=len, reverse=True):
        if name.startswith(short):
            full = lex.abbreviations[short]
            return name if name.startswith(full) else full + name[len(short) :]
    return name


def test_expand_prefers_the_longest_short_name() -> None:
    lex = OrgLexicon({}, {}, {}, {"工行": "中国工商银行", "工行广东": "中国工商银行广东省"})
    assert lex.expand("工行广东分行") == "中国工商银行广东省分行"
    assert lex.expand("工行深圳分行") == "中国工商银行深圳分行"
    assert lex.expand("工") == "工"
    assert lex.expand("中国工商银行分行") == "中国工商银行分行"


_short = st.sampled_from(sorted(org_lexicon().abbreviations) or ["工行"])


@settings(max_examples=200, deadline=None)
@given(st.tuples(st.one_of(_short, st.just("")), st.text(max_size=6)).map("".join))
def test_expand_agrees_with_the_longest_first_scan(name: str) -> None:
    lex = org_lexicon()
    assert lex.expand(name) == _expand_reference(lex, name)
