"""The fictional coalition every demo starts with.

Organisations: a secretariat, 8 member organisations, 2 associates and 6 local partners in
several priority countries. People: one user for every role in ``member-1``, an admin, a
programme officer and a reviewer in the secretariat, an admin and a documenter in
``partner-1``, and a platform administrator. Every name comes from Faker (locales en, fr, es,
ru, uk, ar); every e-mail address is under the reserved ``.test`` domain.

Passwords are random (``secrets``, not the seed) and shown once. Users whose role needs MFA get
a TOTP authenticator through allauth's own API; its base32 secret is shown once, so a person
can add it to an authenticator app and sign in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from random import Random

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from faker import Faker

from justicework import search
from justicework.core import actions
from justicework.core.models import Organisation, User
from justicework.core.roles import Role
from justicework.demo import DemoContext

MARKER_SLUG = "demo-secretariat"
EMAIL_DOMAIN = "demo.test"
LOCALES = ["en_GB", "fr_FR", "es_CO", "ru_RU", "uk_UA", "ar_AA"]

NAME_TEMPLATES: dict[str, list[str]] = {
    "en_GB": ["{n} Centre for Accountability", "{n} Justice Initiative", "{n} Rights Watch"],
    "fr_FR": ["Fondation {n} pour la justice", "Collectif {n} des droits humains"],
    "es_CO": ["Fundación {n} por la Verdad", "Corporación {n} de Derechos Humanos"],
    "ru_RU": ["Правозащитный центр «{n}»", "Фонд «{n}» за справедливость"],
    "uk_UA": ["Правозахисна група «{n}»", "Центр документації «{n}»"],
    "ar_AA": ["مركز {n} لحقوق الإنسان", "جمعية {n} للعدالة"],
}


@dataclass(frozen=True)
class OrgPlan:
    key: str
    kind: str
    locale: str
    countries: tuple[str, ...]


K = Organisation.Kind
PLAN: list[OrgPlan] = [
    OrgPlan("secretariat", K.SECRETARIAT, "en_GB", ("NL",)),
    OrgPlan("member-1", K.MEMBER, "en_GB", ("UA", "GE")),
    OrgPlan("member-2", K.MEMBER, "fr_FR", ("CD", "CF", "ML")),
    OrgPlan("member-3", K.MEMBER, "es_CO", ("CO", "VE", "GT")),
    OrgPlan("member-4", K.MEMBER, "ru_RU", ("UA", "BY")),
    OrgPlan("member-5", K.MEMBER, "ar_AA", ("SY", "IQ", "YE")),
    OrgPlan("member-6", K.MEMBER, "en_GB", ("MM", "BD")),
    OrgPlan("member-7", K.MEMBER, "fr_FR", ("BI", "RW")),
    OrgPlan("member-8", K.MEMBER, "uk_UA", ("UA",)),
    OrgPlan("associate-1", K.ASSOCIATE, "en_GB", ("SD", "SS")),
    OrgPlan("associate-2", K.ASSOCIATE, "es_CO", ("NI", "HN")),
    OrgPlan("partner-1", K.LOCAL_PARTNER, "uk_UA", ("UA",)),
    OrgPlan("partner-2", K.LOCAL_PARTNER, "fr_FR", ("CD",)),
    OrgPlan("partner-3", K.LOCAL_PARTNER, "es_CO", ("CO",)),
    OrgPlan("partner-4", K.LOCAL_PARTNER, "ar_AA", ("SY",)),
    OrgPlan("partner-5", K.LOCAL_PARTNER, "ar_AA", ("IQ",)),
    OrgPlan("partner-6", K.LOCAL_PARTNER, "en_GB", ("MM",)),
]

R = Role
PEOPLE: list[tuple[str, str]] = [
    *[("member-1", role) for role in Role.values],
    ("secretariat", R.ORG_ADMIN),
    ("secretariat", R.PROGRAMME_OFFICER),
    ("secretariat", R.REVIEWER),
    ("partner-1", R.ORG_ADMIN),
    ("partner-1", R.DOCUMENTER),
]
SUPERUSER_EMAIL = f"platform-admin@{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class Credential:
    email: str
    role: str
    organisation: str
    password: str
    totp_secret: str
    totp_url: str


def exists() -> bool:
    return Organisation.objects.filter(slug=MARKER_SLUG).exists()


def new_password() -> str:
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def _email(org_key: str, role: str) -> str:
    return f"{role.replace('_', '-')}@{org_key}.{EMAIL_DOMAIN}"


def make_context(seed: int) -> DemoContext:
    faker = Faker(LOCALES)
    faker.seed_instance(seed)
    return DemoContext(seed=seed, faker=faker, random=Random(seed))  # demo choices, not secrets


def load(ctx: DemoContext) -> None:
    """Fill ``ctx`` with the existing coalition (runs after the first time)."""
    slugs = {f"demo-{plan.key}": plan.key for plan in PLAN}
    for org in Organisation.objects.filter(slug__in=list(slugs)):
        ctx.organisations[slugs[org.slug]] = org
    emails = {_email(org_key, role): (org_key, role) for org_key, role in PEOPLE}
    for user in User.objects.filter(email__in=list(emails)):
        ctx.users[emails[user.email]] = user


def _activate_totp(user: User) -> tuple[str, str]:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret, get_mfa_adapter().build_totp_url(user, secret)


def _user(email: str, name: str, superuser: bool = False) -> tuple[User, str]:
    password = new_password()
    user = actions.create_user(
        None, email=email, password=password, display_name=name, is_superuser=superuser
    )
    return user, password


@transaction.atomic
def build(ctx: DemoContext) -> list[Credential]:
    """Create the coalition and its people; returns the credentials to show once."""
    used: set[str] = set(Organisation.objects.values_list("name", flat=True))
    for plan in PLAN:
        faker = ctx.faker[plan.locale]
        if plan.key == "secretariat":
            name = "Demo Coalition Secretariat"
        else:
            name = ""
            while not name or name in used:
                template = ctx.random.choice(NAME_TEMPLATES[plan.locale])
                name = template.format(n=faker.last_name())
        used.add(name)
        ctx.organisations[plan.key] = actions.create_organisation(
            None, name=name, kind=plan.kind, countries=list(plan.countries), slug=f"demo-{plan.key}"
        )
    search.index(ctx.organisations.values())

    credentials: list[Credential] = []
    locale_of = {plan.key: plan.locale for plan in PLAN}
    for org_key, role in PEOPLE:
        org = ctx.organisations[org_key]
        user, password = _user(_email(org_key, role), ctx.faker[locale_of[org_key]].name())
        actions.add_member(None, org, user, role)
        user.forget_memberships()
        ctx.users[(org_key, role)] = user
        secret, url = _activate_totp(user) if user.requires_mfa else ("", "")
        credentials.append(Credential(user.email, role, org.name, password, secret, url))

    root, password = _user(SUPERUSER_EMAIL, ctx.faker["en_GB"].name(), superuser=True)
    secret, url = _activate_totp(root)
    credentials.append(Credential(root.email, "platform superuser", "—", password, secret, url))
    ctx.created = True
    return credentials
