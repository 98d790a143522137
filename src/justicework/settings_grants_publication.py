"""Settings of the grants app's publication part (the published award list, 360Giving and
IATI), read from environment variables (docs/grants.md, ``grpublish``, lists them); imported
by ``settings``."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from justicework.config import env_list, env_str

__all__ = [
    "GRANTS_360_PREFIX",
    "GRANTS_IATI_DEFAULT_SECTOR",
    "GRANTS_IATI_ORG_REF",
    "GRANTS_IATI_ORG_TYPE",
    "GRANTS_IATI_SECTORS",
    "GRANTS_ORG_ID_LISTS",
]

#: the 360Giving publisher prefix of grant (and internal organisation) identifiers
GRANTS_360_PREFIX = env_str("JUSTICEWORK_GRANTS_360_PREFIX", "360G-justicework") or ""
#: country=org-id.guide list of the register recipients' registration numbers come from
GRANTS_ORG_ID_LISTS = env_list("JUSTICEWORK_GRANTS_ORG_ID_LISTS", ["UA=UA-EDR"])
#: the IATI organisation identifier of the publisher (empty: no IATI file is offered)
GRANTS_IATI_ORG_REF = env_str("JUSTICEWORK_GRANTS_IATI_ORG_REF", "") or ""
#: its IATI OrganisationType code (21: international NGO)
GRANTS_IATI_ORG_TYPE = env_str("JUSTICEWORK_GRANTS_IATI_ORG_TYPE", "21") or ""
#: activity type code=OECD DAC 5-digit sector; other activity types count under the default
GRANTS_IATI_SECTORS = env_list(
    "JUSTICEWORK_GRANTS_IATI_SECTORS",
    ["documentation=15160", "legal_aid=15130", "advocacy=15150", "psychosocial=12340"],
)
GRANTS_IATI_DEFAULT_SECTOR = env_str("JUSTICEWORK_GRANTS_IATI_DEFAULT_SECTOR", "15160") or ""
if not GRANTS_360_PREFIX.startswith("360G-"):
    raise ImproperlyConfigured("JUSTICEWORK_GRANTS_360_PREFIX must start with '360G-'.")
for _name, _items in [
    ("JUSTICEWORK_GRANTS_ORG_ID_LISTS", GRANTS_ORG_ID_LISTS),
    ("JUSTICEWORK_GRANTS_IATI_SECTORS", GRANTS_IATI_SECTORS),
]:
    if any(
        not key.strip() or not value.strip() for key, _, value in (i.partition("=") for i in _items)
    ):
        raise ImproperlyConfigured(f"{_name} items are written code=value: {_items!r}.")
_sectors = [GRANTS_IATI_DEFAULT_SECTOR] + [i.partition("=")[2] for i in GRANTS_IATI_SECTORS]
if not all(code.isdigit() and len(code) == 5 for code in _sectors):
    raise ImproperlyConfigured(
        "JUSTICEWORK_GRANTS_IATI_SECTORS and JUSTICEWORK_GRANTS_IATI_DEFAULT_SECTOR take OECD DAC "
        f"5-digit sector codes: {_sectors!r}."
    )
