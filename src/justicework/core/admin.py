"""The Django admin: platform superusers only, read-only for core records.

Every change goes through actions (and so the audit log); the admin is for looking. Logging in
to the admin goes through allauth's login (and so MFA and lock-out), never Django's own form.
"""

from __future__ import annotations

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest

from justicework.core import policy
from justicework.core.models import AccessGrant, ApiToken, Membership, Organisation, User


def superuser_only(request: HttpRequest) -> bool:
    return bool(policy.can(request.user, "use_admin", User))


# The default site is shared by every app's admin module; gate it once, here.
admin.site.has_permission = superuser_only  # type: ignore[method-assign]  # instance override
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]  # allauth
admin.site.site_header = "JusticeWork"


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "kind", "is_active", "created_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug")


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fields = ("organisation", "role", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ("email", "display_name", "is_active", "is_superuser", "last_login")
    list_filter = ("is_active", "is_superuser")
    search_fields = ("email", "display_name")
    exclude = ("password", "user_permissions", "groups")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "created_at")
    list_filter = ("role", "organisation")
    list_select_related = ("user", "organisation")


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "capability", "object_type", "object_id", "expires_at")
    list_select_related = ("user", "organisation")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "prefix", "scope", "expires_at", "last_used_at", "revoked_at")
    list_select_related = ("user",)
    exclude = ("secret_hash",)
