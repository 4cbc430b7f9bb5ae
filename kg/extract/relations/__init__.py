"""Relation extractors: cooperation, runs, participation, serves.

Each extractor is a class with a ``name`` and ``__call__(article) -> Iterator[Triple]``
(:class:`kg.extract.base.Extractor`), registered in :mod:`kg.extract.registry`.
They share one clause analysis per article (:mod:`kg.extract.relations._context`)
and read their cue words from ``ontology/lexicon/triggers_*.tsv``.

===================  ===========================================  =================
registered name      class                                        predicate
===================  ===========================================  =================
``cooperation``      :class:`~.cooperation.CooperationExtractor`  ``cooperatesWith``
``runs``             :class:`~.runs.RunsExtractor`                ``runs``
``participation``    :class:`~.participation.ParticipationExtractor` ``participatesIn``
``serves``           :class:`~.serves.ServesExtractor`            ``serves``
===================  ===========================================  =================
"""
