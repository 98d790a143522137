"""Error pages use the layout and never reveal whether a record exists."""

import re

import pytest
from django.test import override_settings


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_missing_page_uses_the_layout_and_says_nothing_about_access(client, cast):
    client.force_login(cast.viewer)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "There is nothing here, or you do not have access to it." in body
    assert 'class="skip-link"' in body  # rendered inside base.html


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_another_organisations_record_gives_the_same_404_as_a_missing_one(client, cast):
    client.force_login(cast.viewer)
    other = client.get(f"/organisations/{cast.beacon.pk}/audit/")
    missing = client.get("/organisations/999999/audit/")
    assert other.status_code == missing.status_code == 404
    main = re.compile(rb"<main.*?</main>", re.S)  # the layout around it holds the path and tokens
    other_main, missing_main = main.search(other.content), main.search(missing.content)
    assert other_main is not None and missing_main is not None
    assert other_main.group() == missing_main.group()
