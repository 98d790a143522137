"""Every write to incidents, violations, persons, units and sources (STYLE 1), one module per noun.

Each action takes the acting user (``None`` is the system: demo data, set-up commands), checks
the policy (``require``; see ``rules.py`` for action names), validates (a ``ValidationError``
naming the field and the reason, nothing written), writes, appends the audit entry in the same
transaction and keeps the search index current. Audit diffs never contain identity plaintext.

Callers use the package (``actions.create_incident(...)``): the names below are its public
face, and a caller that looks a name up here at call time (the importer, ``violations.io``) can
be patched in one place. The modules: ``incidents``, ``relations``, ``violations`` (and person
roles), ``persons``, ``grants``, ``groups``, ``units`` (and commanders), ``subordinations`` (the
dated hierarchy), ``perpetrations``, ``sources``; the bulk forms ``bulk_incidents``,
``bulk_violations``, ``bulk_persons``, ``bulk_perpetrations`` with ``prepared`` (identities
prepared ahead) and ``codes``. The Person identity rules are
:mod:`justicework.violations.identity`.
"""

from justicework.violations.actions._bulk import BulkRowErrors, NewPerson
from justicework.violations.actions._common import (
    COMMANDER_FIELDS,
    GROUP_FIELDS,
    INCIDENT_FIELDS,
    LOCATION_FIELDS,
    SOURCE_FIELDS,
    UNIT_FIELDS,
    VIOLATION_FIELDS,
)
from justicework.violations.actions.access_requests import (
    decide_identity_request,
    request_identity_access,
)
from justicework.violations.actions.bulk_incidents import bulk_create_incidents
from justicework.violations.actions.bulk_perpetrations import bulk_create_perpetrations
from justicework.violations.actions.bulk_persons import bulk_create_persons
from justicework.violations.actions.bulk_units import bulk_create_units
from justicework.violations.actions.bulk_violations import BULK_ROW_FIELDS, bulk_create_violations
from justicework.violations.actions.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    PERSON_CODE_PREFIX,
    draw_codes,
    free_codes,
)
from justicework.violations.actions.grants import (
    grant_creator_need_to_know,
    grant_incident_access,
    grant_need_to_know,
    grant_need_to_know_for_set,
    revoke_grant,
)
from justicework.violations.actions.groups import create_victim_group, update_victim_group
from justicework.violations.actions.import_decisions import (
    DECISION_KEEP_NEW,
    DECISION_ROW_PREFIX,
    decide_import_duplicate,
)
from justicework.violations.actions.incidents import (
    add_location,
    change_incident_status,
    create_incident,
    delete_incident,
    remove_location,
    update_incident,
    update_location,
)
from justicework.violations.actions.perpetrations import add_perpetration, remove_perpetration
from justicework.violations.actions.person_indexes import reindex_persons
from justicework.violations.actions.person_lookup import NameMatches, find_persons_by_name
from justicework.violations.actions.persons import (
    check_duplicates,
    create_person,
    reveal_identity,
    update_person,
)
from justicework.violations.actions.prepared import (
    IdentitySealer,
    PreparedIdentity,
    identity_sealer,
    prepare_identity,
)
from justicework.violations.actions.relations import relate_incidents, unrelate_incidents
from justicework.violations.actions.sources import (
    create_source,
    link_source,
    unlink_source,
    update_source,
)
from justicework.violations.actions.subordinations import (
    SUBORDINATION_FIELDS,
    add_unit_subordination,
    remove_unit_subordination,
    update_unit_subordination,
)
from justicework.violations.actions.units import (
    add_unit_commander,
    create_unit,
    remove_unit_commander,
    update_unit,
    update_unit_commander,
)
from justicework.violations.actions.violations import (
    DATE_FIELDS,
    add_violation,
    link_person,
    remove_violation,
    unlink_person,
    update_violation,
)
from justicework.violations.identity import (
    document_key,
    identity_index_values,
    index_values,
    name_forms,
    person_index_values,
)

__all__ = [
    "BULK_ROW_FIELDS",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "COMMANDER_FIELDS",
    "DATE_FIELDS",
    "DECISION_KEEP_NEW",
    "DECISION_ROW_PREFIX",
    "GROUP_FIELDS",
    "INCIDENT_FIELDS",
    "LOCATION_FIELDS",
    "PERSON_CODE_PREFIX",
    "SOURCE_FIELDS",
    "SUBORDINATION_FIELDS",
    "UNIT_FIELDS",
    "VIOLATION_FIELDS",
    "BulkRowErrors",
    "IdentitySealer",
    "NameMatches",
    "NewPerson",
    "PreparedIdentity",
    "add_location",
    "add_perpetration",
    "add_unit_commander",
    "add_unit_subordination",
    "add_violation",
    "bulk_create_incidents",
    "bulk_create_perpetrations",
    "bulk_create_persons",
    "bulk_create_units",
    "bulk_create_violations",
    "change_incident_status",
    "check_duplicates",
    "create_incident",
    "create_person",
    "create_source",
    "create_unit",
    "create_victim_group",
    "decide_identity_request",
    "decide_import_duplicate",
    "delete_incident",
    "document_key",
    "draw_codes",
    "find_persons_by_name",
    "free_codes",
    "grant_creator_need_to_know",
    "grant_incident_access",
    "grant_need_to_know",
    "grant_need_to_know_for_set",
    "identity_index_values",
    "identity_sealer",
    "index_values",
    "link_person",
    "link_source",
    "name_forms",
    "person_index_values",
    "prepare_identity",
    "reindex_persons",
    "relate_incidents",
    "remove_location",
    "remove_perpetration",
    "remove_unit_commander",
    "remove_unit_subordination",
    "remove_violation",
    "request_identity_access",
    "reveal_identity",
    "revoke_grant",
    "unlink_person",
    "unlink_source",
    "unrelate_incidents",
    "update_incident",
    "update_location",
    "update_person",
    "update_source",
    "update_unit",
    "update_unit_commander",
    "update_unit_subordination",
    "update_victim_group",
    "update_violation",
]
