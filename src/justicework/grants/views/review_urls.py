"""The review pages (grreview), joined into ``grants/urls.py``; applicants are organisations:
no person data of the documentation is read."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from justicework.core.uses import NO_PERSON_DATA, declare_urls
from justicework.grants.views import review_ranking, review_reviewer, review_staff

urlpatterns: list[URLPattern | URLResolver] = declare_urls(
    NO_PERSON_DATA.name,
    [
        path("review/", review_staff.desk, name="review_desk"),
        path(
            "review/calls/<int:call_id>/eligibility/",
            review_staff.eligibility_list,
            name="review_eligibility",
        ),
        path(
            "review/applications/<int:application_id>/eligibility/",
            review_staff.eligibility_detail,
            name="review_eligibility_app",
        ),
        path(
            "review/calls/<int:call_id>/assignments/",
            review_staff.assignments,
            name="review_assignments",
        ),
        path(
            "review/applications/<int:application_id>/consolidation/",
            review_staff.consolidation,
            name="review_consolidation",
        ),
        path(
            "review/calls/<int:call_id>/ranking/",
            review_ranking.ranking_page,
            name="review_ranking",
        ),
        path(
            "review/applications/<int:application_id>/decision/",
            review_ranking.decision_page,
            name="review_decision",
        ),
        path("review/queue/", review_reviewer.queue, name="review_queue"),
        path(
            "review/calls/<int:call_id>/conflicts/", review_reviewer.declare, name="review_declare"
        ),
        path(
            "review/assignments/<int:pk>/",
            review_reviewer.assignment_page,
            name="review_assignment",
        ),
    ],
)
