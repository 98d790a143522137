"""Pages of the violations app, one module per noun (docs/architecture.md, "The shape of an
app"): ``incident_search`` (list, map, timeline on the one query path), ``incidents``,
``violations``, ``persons``, ``sources``, ``links``, ``relations``, ``units``, ``lookups``,
``cards``; ``facets`` and ``_common`` hold what several of them share.

Every read starts from ``policy.visible`` or ``policy.get_or_404``; every write calls
``violations.actions``. The page sizes and limits below are the package's own: the modules
read them here at call time, so one setting (or a test) changes them everywhere.
"""

#: Incidents per page of the list (keyset pagination: ``?after=<pk>``).
PAGE_SIZE = 50
#: Up to this many matches the list fetches their ids once and counts over them
#: (``queries.match``).
MATERIALISE_LIMIT = 5000
#: Values shown per facet.
FACET_LIMIT = 15
#: Incidents whose places the map shows (the newest).
MAP_LIMIT = 2000
#: Incidents on the timeline (the latest by date).
TIMELINE_LIMIT = 200
#: Acts per page of an incident's page.
VIOLATIONS_PAGE = 50
#: Rows of a summary (persons, units, roles, relations) on a detail page.
SUMMARY_LIMIT = 200
#: Options a look-up answers with.
LOOKUP_LIMIT = 20
#: Acts offered as the target of a new source.
TARGET_LIMIT = 200
#: Sources per page of the source list.
SOURCE_PAGE = 100
#: Units per page of the unit list.
UNIT_PAGE = 100
