from __future__ import annotations

from typing import ClassVar

import pycountry
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from justicework.core.roles import Capability, Role, capabilities_of, user_requires_mfa


def validate_country_codes(value: list[str]) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Countries must be a list of ISO 3166-1 alpha-2 codes."))
    for code in value:
        if not isinstance(code, str) or pycountry.countries.get(alpha_2=code.upper()) is None:
            raise ValidationError(
                _("%(code)r is not an ISO 3166-1 alpha-2 country code."), params={"code": code}
            )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Coalition member")
        SECRETARIAT = "secretariat", _("Secretariat")
        ASSOCIATE = "associate", _("Associate")
        LOCAL_PARTNER = "local_partner", _("Local partner")
        GRANTEE = "grantee", _("Grantee")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    countries = models.JSONField(
        _("countries of work"),
        default=list,
        blank=True,
        validators=[validate_country_codes],
        help_text=_("ISO 3166-1 alpha-2 codes, e.g. UA, CD, CO."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def country_names(self) -> list[str]:
        names = []
        for code in self.countries:
            country = pycountry.countries.get(alpha_2=code)
            names.append(country.name if country else code)
        return names


class JusticeWorkUserManager(UserManager["User"]):
    def create_user(  # type: ignore[override]  # e-mail is the login, username optional
        self, email: str, password: str | None = None, **extra: object
    ) -> User:
        extra.setdefault("username", email)
        return super().create_user(email=email, password=password, **extra)  # type: ignore[arg-type]  # UserManager's stubs are positional

    def create_superuser(  # type: ignore[override]  # same reason as create_user
        self, email: str, password: str | None = None, **extra: object
    ) -> User:
        extra.setdefault("username", email)
        return super().create_superuser(email=email, password=password, **extra)  # type: ignore[arg-type]  # as above


class User(AbstractUser):
    """A person who logs in. E-mail is the login; the username mirrors it."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, blank=True)

    objects = JusticeWorkUserManager()  # type: ignore[misc]  # custom manager on AbstractUser

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    # Filled by ActiveOrganisationMiddleware for the current request.
    active_membership_cache: Membership | None = None

    def active_memberships(self) -> list[Membership]:
        cached = getattr(self, "_memberships_cache", None)
        if cached is None:
            cached = list(
                self.memberships.filter(organisation__is_active=True).select_related("organisation")
            )
            self._memberships_cache = cached
        return cached

    def forget_memberships(self) -> None:
        self.__dict__.pop("_memberships_cache", None)

    @property
    def requires_mfa(self) -> bool:
        return user_requires_mfa(self)


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    @property
    def capabilities(self) -> frozenset[Capability]:
        return capabilities_of(self.role)


class AccessGrant(models.Model):
    """An explicit need-to-know grant: a user may use ``capability`` on one object.

    Identities of persons and restricted records are opened only with such a grant (DESIGN 4.1).
    The grant names the object by content type and id so every domain app can use it without
    ``core`` knowing the domain.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    capability = models.CharField(max_length=40, choices=Capability.choices)
    object_type = models.CharField(max_length=100, help_text="app_label.model")
    object_id = models.CharField(max_length=64)
    granted_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "object_type", "object_id", "capability"])]

    def __str__(self) -> str:
        return f"{self.user} {self.capability} {self.object_type}:{self.object_id}"

    @property
    def is_current(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class ApiToken(models.Model):
    """A personal API token. The secret is shown once; only its SHA-256 is stored.

    The secret has 256 bits of entropy, so a fast hash is enough: nobody can brute-force it,
    and a slow hash would cost every API request. ``prefix`` is the public start of the token,
    shown in lists so the owner can tell tokens apart.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    prefix = models.CharField(_("prefix"), max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def allows_writes(self) -> bool:
        return self.scope == self.Scope.WRITE
