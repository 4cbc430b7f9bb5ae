"""Relation extractors: cooperation, runs, participation, serves.

Each extractor is a class with a ``name`` and ``__call__(article) -> Iterator[Triple]``
(:class:`kg.extract.base.Extractor`), registered in :mod:`kg.extract.registry`:

* ``cooperation`` -- :class:`~kg.extract.relations.cooperation.CooperationExtractor`
  (``cooperatesWith``, one per pair)
* ``runs`` -- :class:`~kg.extract.relations.runs.RunsExtractor` (``runs``)
* ``participation`` -- :class:`~kg.extract.relations.participation.ParticipationExtractor`
  (``participatesIn``)
* ``serves`` -- :class:`~kg.extract.relations.serves.ServesExtractor` (``serves``)

They share one clause analysis per article (:mod:`kg.extract.relations._context`:
subjects, joined partners, 由-agents, 双方, carried subjects, anaphors) and read
their cue words from ``ontology/lexicon/triggers_*.tsv``
(:mod:`kg.extract.relations._lexicon`).  Every triple's evidence points at the
original offsets of both ends (an end may be an antecedent in an earlier
sentence) and of the trigger; ``Evidence.trigger`` is the normalised cue word.

Speed: each cue table scans a text once per role (one Aho-Corasick automaton per
role, hits remembered per text); each sentence keeps its masked text, its cue
scans and its spans by start; the clause analysis and the program findings are
computed once per article and shared by the extractors; sentences before an
article's first mention and after its last are not analysed.
"""
