# ruff: noqa: RUF001  # Ukrainian demo texts are meant to contain Cyrillic letters
"""The survivors demo's fixed parts: who consents to what (one profile per survivor, in turn),
where each referral ends, and the phrases its texts are made from (filled with Faker names and
places). Nothing here is about a real person or a real service."""

from __future__ import annotations

from dataclasses import dataclass

from justicework.core.uses import Scope
from justicework.survivors.models import Referral, ServiceKind

S = Scope
EVERY_USE: tuple[str, ...] = tuple(Scope.values)


@dataclass(frozen=True)
class Profile:
    """One survivor's consent: the uses given, refused, and withdrawn later (each withdrawn
    use is among those given); ``qualified``: a use given for one named forum or service only
    (the general use refused)."""

    key: str
    given: tuple[str, ...]
    refused: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    qualified: tuple[tuple[str, str], ...] = ()
    child: bool = False
    #: the interview's purposes beyond documentation
    purposes: tuple[str, ...] = ()
    interviews: int = 1
    take_part: str = "undecided"


PROFILES: tuple[Profile, ...] = (
    Profile(
        "every-use", EVERY_USE, purposes=("legal", "assistance"), interviews=3, take_part="yes"
    ),
    Profile(
        "some-refused",
        (S.DOCUMENTATION, S.REFERRAL, S.FOLLOW_UP, S.STATEMENTS_IMAGES),
        refused=(S.SHARING, S.LEGAL_PROCEEDINGS, S.PUBLICATION),
        purposes=("assistance",),
        take_part="no",
    ),
    Profile(
        "withdrew-legal",
        (S.DOCUMENTATION, S.REFERRAL, S.FOLLOW_UP, S.SHARING, S.LEGAL_PROCEEDINGS),
        refused=(S.PUBLICATION,),
        withdrawn=(S.LEGAL_PROCEEDINGS,),
        purposes=("legal", "sexual_violence"),
        interviews=2,
    ),
    Profile(
        "child",
        (S.DOCUMENTATION, S.REFERRAL, S.FOLLOW_UP),
        refused=(S.STATEMENTS_IMAGES, S.PUBLICATION, S.SHARING),
        child=True,
        purposes=("assistance",),
    ),
    Profile(
        "no-referral",
        (S.DOCUMENTATION, S.FOLLOW_UP),
        refused=(S.REFERRAL, S.LEGAL_PROCEEDINGS),
        qualified=((S.LEGAL_PROCEEDINGS, "ICC"),),
        take_part="yes",
    ),
    Profile(
        "withdrew-sharing",
        (S.DOCUMENTATION, S.REFERRAL, S.SHARING, S.FOLLOW_UP),
        withdrawn=(S.SHARING,),
        purposes=("follow_up",),
    ),
)

R = Referral.Status
#: Where each demo referral ends, and the way there (the transitions the action allows).
REFERRAL_PATHS: dict[str, tuple[str, ...]] = {
    R.PROPOSED: (),
    R.CONSENT_CHECKED: (R.CONSENT_CHECKED,),
    R.SENT: (R.CONSENT_CHECKED, R.SENT),
    R.ACCEPTED: (R.CONSENT_CHECKED, R.SENT, R.ACCEPTED),
    R.DECLINED: (R.CONSENT_CHECKED, R.SENT, R.DECLINED),
    R.COMPLETED: (R.CONSENT_CHECKED, R.SENT, R.ACCEPTED, R.COMPLETED),
    R.CLOSED: (R.CLOSED,),
}

K = ServiceKind
PROVIDER_NAMES: dict[str, tuple[str, ...]] = {
    K.MEDICAL: ("{city} Women's Health Clinic", "{city} Regional Hospital, survivor unit"),
    K.PSYCHOSOCIAL: ("{city} Trauma Support Centre", "Peer Circle {name}"),
    K.LEGAL: ("{name} Legal Aid Bureau", "{city} Free Legal Clinic"),
    K.SHELTER: ("{city} Safe House", "Shelter {name}"),
    K.ECONOMIC: ("{city} Livelihoods Fund", "{name} Small Grants Programme"),
    K.PROTECTION: ("{city} Protection Desk", "{name} Relocation Network"),
}
#: The directory's countries (the demo organisation's) with the languages spoken there.
PROVIDER_COUNTRIES: dict[str, tuple[str, ...]] = {
    "UA": ("uk", "ru", "en"),
    "GE": ("ka", "ru", "en"),
}
ACCESSIBILITY = (
    "Step-free entrance; a sign-language interpreter on request.",
    "First floor, no lift; home visits can be arranged.",
    "Accessible toilet; staff trained in working with children.",
)
HOURS = ("Mon–Fri 9:00–17:00", "Every day 8:00–20:00", "Tue and Thu 10:00–16:00, by appointment")

THREATS = (
    "Was threatened by a member of the unit that detained them; the man lives in {city}.",
    "Neighbours reported the family to the occupying administration in {city}.",
    "",
)
CONTACT_METHODS = (
    "Only on the second phone, by a call first; never by text message.",
    "Through the local partner's office in {city}; no home visits.",
    "Messages through her sister {name}, who knows of the case.",
)
CONTACT_TIMES = ("Weekdays after 18:00", "Mornings before 9:00", "Any time; no weekends")
NEVER_TELL = ("Her brother-in-law, {name}.", "The village head, {name}.", "")
CODE_WORDS = ("sunflower", "blue kettle", "grandmother's recipe", "")

INFORMATION = (
    "Told that the case file was shared with the prosecutor, as agreed.",
    "Explained the next steps of the referral and who will call.",
    "Gave the date of the hearing in {city} and what protective measures were asked for.",
    "Confirmed that the withdrawal of a use took effect at once.",
    "Read back the statement and corrected two dates at the survivor's request.",
)
LEGAL_REPRESENTATIVES = ("{name}, lawyer at the {city} bar", "{name} (legal aid bureau)")
MEASURES = ("Testimony by video link; face and voice distorted.", "Pseudonym in court papers.")
REPARATIONS = ("Medical costs and rehabilitation.", "Compensation for the destroyed house.")
PLAN_ACTIONS = (
    "Accompany to the first medical appointment.",
    "Help with the application for the housing allowance.",
    "Call back after the first counselling session.",
)

SHEETS: dict[str, tuple[str, str]] = {
    "en": (
        "Information about consent",
        "We document what happened so that it can be used for justice and support. You choose "
        "each use separately: documentation, referral to services, sharing with other "
        "organisations, use in legal proceedings, use of recorded statements and images, "
        "anonymised publication and follow-up contact. You may refuse any of them, and you may "
        "withdraw any of them at any time; a withdrawal takes effect at once.",
    ),
    "uk": (
        "Інформація про згоду",
        "Ми документуємо те, що сталося, щоб це можна було використати для правосуддя та "
        "допомоги. Ви обираєте кожне використання окремо і можете відмовитися від будь-якого "
        "з них або відкликати згоду будь-коли; відкликання діє одразу.",
    ),
}
