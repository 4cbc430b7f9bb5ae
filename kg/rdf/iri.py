"""Namespaces and deterministic IRI minting.

Every IRI is a pure function of its inputs, so rebuilding or adding documents
never duplicates a node.

>>> entity_iri("UnionBody", "江苏省总工会")
rdflib.term.URIRef('https://w3id.org/union-kg/id/UnionBody/%E6%B1%9F%E8%8B%8F%E7%9C%81%E6%80%BB%E5%B7%A5%E4%BC%9A')
>>> region_iri("320000")
rdflib.term.URIRef('https://w3id.org/union-kg/id/region/320000')
>>> article_iri("000_x.txt", 3)
rdflib.term.URIRef('https://w3id.org/union-kg/id/article/000_x%2Etxt/3')
"""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from rdflib import Namespace, URIRef

from kg.errors import DataError
from kg.model import ENTITY_TYPES
from kg.rdf.prefixes import BASE, PREFIXES
from kg.rdf.prefixes import ONTOLOGY_IRI as ONTOLOGY_IRI  # (re-exported)

KG = Namespace(PREFIXES["kg"])
ORG = Namespace(PREFIXES["org"])
PROV = Namespace(PREFIXES["prov"])
SCHEMA = Namespace(PREFIXES["schema"])
SH = Namespace("http://www.w3.org/ns/shacl#")

BACKGROUND_GRAPH = URIRef(BASE + "graph/background")
INFERRED_GRAPH = URIRef(BASE + "graph/inferred")


_CODE = re.compile(r"\d{6}")


def encode_segment(text: str) -> str:
    """Percent-encode ``text`` as one IRI path segment (injective, ASCII only).

    Everything but ``A-Z a-z 0-9 _ - ~`` is encoded as UTF-8 ``%XX``; the dot is
    encoded too so that a name such as ``..`` can never be read as a relative path.

    >>> encode_segment("a/b c.d")
    'a%2Fb%20c%2Ed'
    """
    return quote(text, safe="", errors="surrogatepass").replace(".", "%2E")


@lru_cache(maxsize=1 << 15)  # an entity is named in many documents and sentences
def entity_iri(type_: str, name: str) -> URIRef:
    """The IRI of the entity ``type_`` / ``name`` (``<base>{Type}/{encoded name}``).

    Raises
    ------
    DataError
        When ``type_`` is not one of :data:`kg.model.ENTITY_TYPES` or ``name`` is empty.
    """
    if type_ not in ENTITY_TYPES:
        raise DataError(
            f"unknown entity type {type_!r}",
            hint=f"use one of {', '.join(ENTITY_TYPES)}",
        )
    if not name:
        raise DataError(f"an entity of type {type_} has an empty name", hint="drop or name it")
    return URIRef(f"{BASE}{type_}/{encode_segment(name)}")


def entity_key_iri(key: str) -> URIRef:
    """The IRI for an ``Entity.key`` (``"Type:name"``)."""
    type_, sep, name = key.partition(":")
    if not sep:
        raise DataError(
            f"malformed entity key {key!r}", hint="keys look like 'UnionBody:江苏省总工会'"
        )
    return entity_iri(type_, name)


def region_iri(code: str) -> URIRef:
    """The IRI of the administrative region with the 6-digit ``code``."""
    if not _CODE.fullmatch(code):
        raise DataError(f"region code {code!r} is not 6 digits", hint="use GB/T 2260 codes")
    return URIRef(f"{BASE}region/{code}")


def article_iri(doc_id: str, index: int) -> URIRef:
    """The IRI (and named-graph name) of article ``index`` of document ``doc_id``."""
    return URIRef(f"{BASE}article/{encode_segment(doc_id)}/{int(index)}")


def fact_iri(
    doc_id: str, article: int, start: int, end: int, kind: str, value: object, unit: str
) -> URIRef:
    """The IRI of a figure (:class:`kg.model.Fact`): 16 hex digits of the SHA-1 of its parts.

    Each part is percent-encoded before joining, so different inputs never share
    a pre-image; ``value`` is written canonically (``5`` and ``Decimal("5.0")`` agree).

    >>> fact_iri("d", 0, 3, 5, "money", 20, "元") == fact_iri("d", 0, 3, 5, "money", 20, "元")
    True
    """
    parts = (
        doc_id,
        str(int(article)),
        str(int(start)),
        str(int(end)),
        kind,
        canonical_number(value),
        unit,
    )
    text = "/".join(encode_segment(p) for p in parts)
    digest = hashlib.sha1(text.encode("ascii")).hexdigest()[:16]
    return URIRef(f"{BASE}fact/{digest}")


def canonical_number(value: object) -> str:
    """The canonical decimal text of an ``int`` or ``Decimal`` (no exponent, no trailing zeros).

    >>> canonical_number(Decimal("2.50")), canonical_number(7), canonical_number(Decimal("1E+3"))
    ('2.5', '7', '1000')
    """
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise DataError(f"figure value {value!r} is not a number", hint="use int or Decimal")
    if isinstance(value, int):
        return str(value)
    if not value.is_finite():
        raise DataError(f"figure value {value!r} is not finite", hint="use a finite number")
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def evidence_iri(parts: tuple[object, ...]) -> URIRef:
    """The IRI of an evidence node: the first 16 hex digits of the SHA-1 of ``parts``.

    >>> evidence_iri(("d", 0, 1)) == evidence_iri(("d", 0, 1))
    True
    """
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return URIRef(f"{BASE}evidence/{digest}")
