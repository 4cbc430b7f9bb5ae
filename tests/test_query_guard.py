"""The query guard: updates and SERVICE are refused before any engine sees the text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import QueryError
from kg.rdf.guard import UPDATE_KEYWORDS, check_query, keywords


@pytest.mark.parametrize(
    "query",
    [
        "DROP ALL",
        "CLEAR DEFAULT",
        "LOAD <http://example.org/x.ttl>",
        "INSERT DATA { <a:b> <a:c> <a:d> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX kg: <https://x/> delete where { ?s kg:p ?o }",
        "WITH <g:x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "create graph <g:x>",
    ],
)
def test_updates_are_refused(query: str) -> None:
    with pytest.raises(QueryError, match="updates are not supported") as info:
        check_query(query)
    assert info.value.exit_code == 4


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://203.0.113.1/> { ?s ?p ?o } }",
        "SELECT * { ?x ?y ?z . SERVICE ?endpoint { ?s ?p ?o } }",
    ],
)
def test_service_is_refused_unless_allowed(query: str) -> None:
    with pytest.raises(QueryError, match="do not leave this machine"):
        check_query(query)
    check_query(query, allow_service=True)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?s WHERE { ?s ?p "SERVICE DROP ALL" }',
        "SELECT ?s WHERE { ?s <http://example.org/service/drop> ?o }",
        "# DROP ALL\nSELECT ?s WHERE { ?s ?p ?o }",
        "PREFIX insert: <http://x/> SELECT ?s WHERE { ?s insert:delete ?o }",
        "SELECT ?service WHERE { ?service ?p ?o }",
        "ASK { ?s ?p '''LOAD <x:y>''' }",
    ],
)
def test_keywords_inside_literals_iris_comments_and_names_are_not_refused(query: str) -> None:
    check_query(query)


@given(st.text(alphabet=st.characters(blacklist_characters='"\\\n'), max_size=40))
def test_any_literal_text_is_inert(inner: str) -> None:
    check_query(f'SELECT ?s WHERE {{ ?s ?p "{inner}" }}')


@given(st.sampled_from(sorted(UPDATE_KEYWORDS - {"WITH"})))
def test_every_update_keyword_is_a_keyword(word: str) -> None:
    assert keywords(f"{word.lower()} x")[0][0] == word
