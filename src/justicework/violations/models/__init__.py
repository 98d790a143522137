"""Who did what to whom, when and where (HURIDOCS "events" concepts, DESIGN 5).

* :class:`Incident` — an event with fuzzy dates, locations, a context, a status and a sensitivity.
* :class:`Violation` — one act against one victim (a person) or one group, within an incident.
* :class:`Person` — a pseudonymous code everywhere; identity fields encrypted, blind-indexed in
  :class:`PersonIndex`. Roles (victim, witness, source) are links: :class:`PersonRole`;
  perpetrators are :class:`Perpetration` links.
* :class:`VictimGroup` — a counting unit (a village, a family) with a number of persons.
* :class:`Unit` — state forces, police, armed groups; hierarchy (dated by
  :class:`UnitSubordination`) and :class:`UnitCommander` over time.
* :class:`Source` — testimony, document, media, open-source item, official record, with the
  Admiralty-style reliability (A to F) and credibility (1 to 6).

Every record carries its owning organisation (denormalised on children so the policy and the
encryption key scope need no join). Writes go through ``violations.actions`` only.

One module per noun (``models/incidents.py``, ``models/persons.py``, …); this package re-exports
every model so ``violations.models.Incident`` and the migrations' paths stay as they were.
"""

from justicework.violations.dates import DatePrecision
from justicework.violations.models.access import IdentityAccessRequest
from justicework.violations.models.base import FuzzyDates, validate_country
from justicework.violations.models.groups import VictimGroup
from justicework.violations.models.import_duplicates import ImportDuplicate, ImportDuplicateDecision
from justicework.violations.models.incidents import Incident, IncidentRelation, Location
from justicework.violations.models.perpetrations import Perpetration
from justicework.violations.models.persons import Person, PersonIndex
from justicework.violations.models.sources import Source
from justicework.violations.models.units import Unit, UnitCommander, UnitSubordination
from justicework.violations.models.violations import PersonRole, Violation, ViolationVictim

__all__ = [
    "DatePrecision",
    "FuzzyDates",
    "IdentityAccessRequest",
    "ImportDuplicate",
    "ImportDuplicateDecision",
    "Incident",
    "IncidentRelation",
    "Location",
    "Perpetration",
    "Person",
    "PersonIndex",
    "PersonRole",
    "Source",
    "Unit",
    "UnitCommander",
    "UnitSubordination",
    "VictimGroup",
    "Violation",
    "ViolationVictim",
    "validate_country",
]
