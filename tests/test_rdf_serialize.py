"""The deterministic TriG/Turtle writer: any literal or IRI round-trips through rdflib."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

from kg.rdf.iri import KG, encode_segment
from kg.rdf.serialize import write_trig, write_turtle

texts = st.text(max_size=30)
iris = st.text(min_size=1, max_size=20).map(
    lambda t: URIRef("https://example.org/" + encode_segment(t))
)
vocab = st.sampled_from([KG.runs, KG.level, RDFS.label, URIRef("https://example.org/p-1")])
literals = st.one_of(
    texts.map(Literal),
    st.tuples(texts, st.sampled_from(["zh", "en", "zh-Hans"])).map(
        lambda t: Literal(t[0], lang=t[1])
    ),
    st.integers(-(10**12), 10**12).map(lambda i: Literal(str(i), datatype=XSD.integer)),
    texts.map(lambda t: Literal(t, datatype=URIRef("https://example.org/dt#x"))),
)
triples = st.lists(st.tuples(iris, vocab, st.one_of(iris, literals)), max_size=25)


@settings(max_examples=60, deadline=None)
@given(triples)
def test_turtle_round_trip(ts: list[tuple[URIRef, URIRef, object]]) -> None:
    g = Graph()
    g.parse(data=write_turtle(ts), format="turtle")  # type: ignore[arg-type]
    assert set(g) == set(ts)


@settings(max_examples=40, deadline=None)
@given(triples, st.lists(iris, min_size=1, max_size=3))
def test_trig_round_trip_and_order_independence(
    ts: list[tuple[URIRef, URIRef, object]], graphs: list[URIRef]
) -> None:
    quads = [(s, p, o, graphs[i % len(graphs)]) for i, (s, p, o) in enumerate(ts)]
    text = write_trig(quads)  # type: ignore[arg-type]
    assert write_trig(list(reversed(quads))) == text  # type: ignore[arg-type]
    ds = Dataset()
    ds.parse(data=text, format="trig")
    got = {
        (s, p, o, getattr(g, "identifier", g)) for s, p, o, g in ds.quads((None, None, None, None))
    }
    assert got == set(quads)


def test_escapes() -> None:
    tricky = Literal('a "quoted"\\ line\nnext\ttab \x00 \u2028 end')
    g = Graph()
    g.parse(
        data=write_turtle([(URIRef("https://example.org/s"), RDFS.label, tricky)]), format="turtle"
    )
    assert set(g.objects()) == {tricky}
