"""Forms of the violations pages, one module per noun (``incidents``, ``violations``,
``persons``, ``sources``, ``units``; shared widgets and choices in ``common``).

Forms only validate and shape input; every write goes through ``violations.actions``. Choices
that depend on the user (organisations, persons, units) are passed in by the view from
``policy.visible`` querysets, so a form can never offer a record the user may not see.
"""

from justicework.violations.forms.access import (
    AccessRequestForm,
    DecisionForm,
    GrantSetForm,
    default_expiry,
)
from justicework.violations.forms.common import (
    PICKED,
    DateInput,
    FastSelect,
    country_choices,
    picked_label,
    resolve_person,
    resolve_unit,
    violation_type_choices,
    vocabulary_choices,
)
from justicework.violations.forms.incidents import IncidentFilterForm, IncidentForm, RelationForm
from justicework.violations.forms.persons import GrantForm, PersonForm, RevealForm
from justicework.violations.forms.sources import SourceForm
from justicework.violations.forms.units import (
    CommanderEditForm,
    CommanderForm,
    SubordinationForm,
    UnitForm,
)
from justicework.violations.forms.violations import (
    PerpetrationForm,
    PersonLinkForm,
    ViolationForm,
)

__all__ = [
    "PICKED",
    "AccessRequestForm",
    "CommanderEditForm",
    "CommanderForm",
    "DateInput",
    "DecisionForm",
    "FastSelect",
    "GrantForm",
    "GrantSetForm",
    "IncidentFilterForm",
    "IncidentForm",
    "PerpetrationForm",
    "PersonForm",
    "PersonLinkForm",
    "RelationForm",
    "RevealForm",
    "SourceForm",
    "SubordinationForm",
    "UnitForm",
    "ViolationForm",
    "country_choices",
    "default_expiry",
    "picked_label",
    "resolve_person",
    "resolve_unit",
    "violation_type_choices",
    "vocabulary_choices",
]
