from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from justicework.core.uses import Scope, Use
from justicework.survivors.retention_types import RecordType


class SurvivorsConfig(AppConfig):
    name = "justicework.survivors"
    label = "survivors"
    verbose_name = _("Survivors")
    default_auto_field = "django.db.models.BigAutoField"

    #: Administering consent is the one use that needs no consent: recording a refusal or a
    #: withdrawal must work when every other use is refused.
    declared_uses = (
        Use(
            "survivors.consent",
            None,
            _("Opening a survivor file, recording, reading and withdrawing consent."),
        ),
        Use(
            "survivors.participation",
            Scope.DOCUMENTATION,
            _(
                "Reading and recording a survivor's participation in justice and the "
                "information given back to them."
            ),
        ),
        #: The survivor page: the survivor reads their own consents and updates and withdraws
        #: a use. Being the survivor (holding the code) is the ground; no further consent.
        Use(
            "survivors.own_view",
            None,
            _("The survivor's own view of their consents and updates, reached with their code."),
        ),
        Use(
            "survivors.safety",
            Scope.DOCUMENTATION,
            _("Recording and reading a survivor's safety assessment."),
        ),
        Use(
            "survivors.interviews",
            Scope.DOCUMENTATION,
            _("Recording interviews, reading earlier accounts and narratives."),
        ),
        #: Ending what may not be kept needs no consent (and must work when all is withdrawn).
        Use(
            "survivors.retention",
            None,
            _("Retention: reviewing, anonymising and deleting survivor records; legal holds."),
        ),
        #: Counts by sex, gender and age group, small cells suppressed: not person data.
        Use(
            "survivors.statistics",
            None,
            _("Recording a survivor's statistical data; counts disaggregated by it."),
        ),
        Use(
            "survivors.support",
            Scope.DOCUMENTATION,
            _("Reading and managing a survivor's referrals and support plan."),
        ),
        Use(
            "survivors.referral",
            Scope.REFERRAL,
            _("Referring a survivor to a service (the provider or kind of service is asked)."),
        ),
    )

    #: Header links, read by ``web`` (``web.declared``).
    nav_links = (
        (_("Information sheets"), "survivors:sheet_list", "manage_information_sheets", 40),
        (_("Survivors not updated"), "survivors:not_updated", "follow_up_survivors", 41),
        (_("Repeat interviews"), "survivors:interview_report", "view_interview_report", 42),
        (_("Retention"), "survivors:retention", "manage_retention", 43),
        (_("Service providers"), "survivors:provider_list", "manage_providers", 44),
        (_("Survivor page"), "survivors:page_switch", "manage_survivor_page", 45),
    )
    #: The "Consent" section of a person's page (``web.panels``).
    detail_panels: tuple[tuple[str, str], ...] = (
        ("violations.person", "justicework.survivors.views.panels.panel"),
    )
    #: The safety warning on the person's page, with the safety and interview links.
    detail_panels += (("violations.person", "justicework.survivors.views.safety.panel"),)
    #: The safety warning before contact, export or packaging (``core.warnings``).
    person_warnings = "justicework.survivors.safety.warnings_for_many"
    detail_panels += (("violations.person", "justicework.survivors.views.retention_panel.panel"),)
    #: The Support section (referrals, plan) for support coordinators.
    detail_panels += (("violations.person", "justicework.survivors.views.support_panel.panel"),)
    #: Survivors by sex on the dashboard (``web.dashboard``).
    dashboard_cards = ("justicework.survivors.views.statistics.survivors_card",)
    #: Record types retention schedules can name (``survivors.retention_types``).
    retention_types: tuple[RecordType, ...] = (
        RecordType(
            "survivors.file",
            _("Survivor file and the person's identity"),
            "survivors.SurvivorFile",
            "id",
            {"opened": (_("file opened"), "opened_at")},
            "justicework.survivors.actions.retention_records.anonymise_file",
            "justicework.survivors.actions.retention_records.delete_file",
        ),
        RecordType(
            "survivors.consent",
            _("Consent (conditions, interpreter)"),
            "survivors.Consent",
            "file_id",
            {
                "given": (_("consent given"), "given_at"),
                "recorded": (_("consent recorded"), "recorded_at"),
            },
            "justicework.survivors.actions.retention_records.anonymise_consent",
            "justicework.survivors.actions.retention_records.delete_consent",
        ),
    )
    #: The casework records (i13retention2): anonymising wipes their free text, keeps what
    #: counts (``actions.retention_casework``); anonymising or deleting a file does them all.
    retention_types += tuple(
        RecordType(
            f"survivors.{name}",
            label,
            f"survivors.{model}",
            "file_id",
            events,
            f"justicework.survivors.actions.retention_casework.anonymise_{name}",
            f"justicework.survivors.actions.retention_casework.delete_{name}",
        )
        for name, label, model, events in (
            ("safety", _("Safety assessment"), "SafetyAssessment",
             {"recorded": (_("assessment recorded"), "recorded_at")}),
            ("interview", _("Interview (narratives, interpreter)"), "Interview",
             {"held": (_("interview held"), "held_at"),
              "recorded": (_("interview recorded"), "recorded_at")}),
            ("participation", _("Participation wishes"), "ParticipationWish",
             {"recorded": (_("wish recorded"), "recorded_at")}),
            ("victim_status", _("Application for victim status"), "VictimStatusApplication",
             {"recorded": (_("state recorded"), "recorded_at"),
              "decided": (_("decided"), "decided_on")}),
            ("information", _("Information given"), "InformationGiven",
             {"given": (_("information given"), "given_at"),
              "recorded": (_("entry recorded"), "recorded_at")}),
            ("referral", _("Referral (note, outcome)"), "Referral",
             {"created": (_("referral made"), "created_at"),
              "updated": (_("referral last changed"), "updated_at")}),
            ("plan", _("Support plan and its actions"), "SupportPlan",
             {"created": (_("plan made"), "created_at"),
              "reviewed": (_("plan last reviewed"), "reviewed_at")}),
        )
    )  # fmt: skip

    def ready(self) -> None:
        from justicework.survivors import api, gate, gate_items, rules

        rules.register()
        rules.register_safety()
        rules.register_interviews()
        rules.register_support()
        gate.register()
        gate_items.register()  # statements and images: consent on the evidence item (i13pdf)
        api.register()
