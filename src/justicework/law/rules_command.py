"""Policy rules for the per-element art. 28 records (registered in ``LawConfig.ready``).

=====================  =====================  ============================================
object                 action                 needs
=====================  =====================  ============================================
CommandElementRecord   ``view`` / ``change``  the same action on its case file
                                              (``law.rules_cases``: ``record.view`` to read;
                                              ``legal.assess`` or ``org.manage`` to change;
                                              a restricted case: its team or the admins)
=====================  =====================  ============================================

A record whose suspect or linked fact the reader may not see (need-to-know, a restricted
incident, a survivor's consent) is left out of what they read: ``law.command.records`` narrows
the rows by the policy of the records they point to.
"""

from __future__ import annotations

from justicework.core import policy
from justicework.law.models import CommandElementRecord
from justicework.law.rules_cases import CaseRule


def register() -> None:
    policy.register(CommandElementRecord, CaseRule("case"))
