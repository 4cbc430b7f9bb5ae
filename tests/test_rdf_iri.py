"""IRI minting: deterministic, valid, injective."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.errors import DataError
from kg.model import ENTITY_TYPES
from kg.rdf.iri import BASE, article_iri, encode_segment, entity_iri, evidence_iri, region_iri

# RFC 3987 path characters after percent-encoding: unreserved, '%XX' and '/'
_VALID = re.compile(r"^https://w3id\.org/union-kg/id/[A-Za-z]+/(?:[A-Za-z0-9_~-]|%[0-9A-F]{2})+$")

names = st.text(min_size=1, max_size=40)
types = st.sampled_from(ENTITY_TYPES)


@given(types, names)
def test_deterministic_and_valid(type_: str, name: str) -> None:
    iri = entity_iri(type_, name)
    assert iri == entity_iri(type_, name)
    assert _VALID.match(str(iri)), iri
    assert str(iri).startswith(f"{BASE}{type_}/")


@given(types, names, names)
def test_distinct_names_give_distinct_iris(type_: str, a: str, b: str) -> None:
    if a != b:
        assert entity_iri(type_, a) != entity_iri(type_, b)


@given(names)
def test_types_separate_namespaces(name: str) -> None:
    assert len({entity_iri(t, name) for t in ENTITY_TYPES}) == len(ENTITY_TYPES)


@given(st.text(min_size=1, max_size=30))
def test_segment_round_trips_through_turtle(name: str) -> None:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return  # lone surrogates cannot appear in decoded text
    iri = entity_iri("Program", name)
    g = Graph()
    g.add((iri, RDFS.label, Literal("x")))
    again = Graph()
    again.parse(data=g.serialize(format="turtle"), format="turtle")
    assert set(again.subjects()) == {iri}


def test_dots_cannot_make_relative_paths() -> None:
    assert encode_segment("..") == "%2E%2E"
    assert "/../" not in str(entity_iri("Program", ".."))


def test_known_values() -> None:
    assert str(entity_iri("UnionBody", "江苏省总工会")) == (
        BASE + "UnionBody/%E6%B1%9F%E8%8B%8F%E7%9C%81%E6%80%BB%E5%B7%A5%E4%BC%9A"
    )
    assert str(region_iri("320000")) == BASE + "region/320000"
    assert str(article_iri("a b.txt#3", 2)) == BASE + "article/a%20b%2Etxt%233/2"
    ev = evidence_iri(("d", 0, 1, "s", "runs", "o", 1, 2))
    assert re.fullmatch(re.escape(BASE) + r"evidence/[0-9a-f]{16}", str(ev))
    assert ev != evidence_iri(("d", 0, 1, "s", "runs", "o", 1, 3))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: entity_iri("Company", "x"), "unknown entity type"),
        (lambda: entity_iri("Program", ""), "empty name"),
        (lambda: region_iri("32"), "not 6 digits"),
    ],
)
def test_bad_input_is_data_error(call: object, match: str) -> None:
    with pytest.raises(DataError, match=match):
        call()  # type: ignore[operator]


def test_iris_are_urirefs() -> None:
    assert isinstance(entity_iri("WorkerGroup", "快递员"), URIRef)
