"""Signing in by e-mail, lockout after repeated failures, and password reset by e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_sign_in_by_email_whatever_its_case(client):
    person = UserFactory(email="dana.director@example.org")
    response = sign_in(client, "Dana.Director@EXAMPLE.org", TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_wrong_password_keeps_the_email_and_says_what_to_do(client):
    UserFactory(email="dana.director@example.org")
    response = sign_in(client, "dana.director@example.org", "not-the-password")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == ["Enter the e-mail address and password of your account."]
    assert 'value="dana.director@example.org"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_with_the_right_password(client):
    UserFactory(email="dana.director@example.org")
    for _ in range(5):
        sign_in(client, "dana.director@example.org", "wrong-password")
    response = sign_in(client, "dana.director@example.org", TEST_PASSWORD)
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_address_does_not_restart_the_count(client):
    UserFactory(email="dana.director@example.org")
    for address in [
        "dana.director@example.org",
        "Dana.Director@example.org",
        "DANA.DIRECTOR@EXAMPLE.ORG",
        " dana.director@Example.org",
        "dana.DIRECTOR@example.org",
    ]:
        sign_in(client, address, "wrong-password")
    response = sign_in(client, "Dana.director@example.org", TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client):
    UserFactory(email="dana.director@example.org")
    for _ in range(4):
        sign_in(client, "dana.director@example.org", "wrong-password")
    assert sign_in(client, "dana.director@example.org", TEST_PASSWORD).status_code == 302


def test_sign_out_is_a_post(client):
    client.force_login(UserFactory())
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_sets_a_new_password(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="rory.reset@example.org", full_name="Rory Reset")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "RORY.reset@example.org"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["rory.reset@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Set a new password for East Midlands Sector-Led Improvement"
    assert message.alternatives[0][1] == "text/html"
    link = re.search(r"http://testserver(/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    new_password = "a-brand-new-passphrase-9"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_used_reset_link_no_longer_works(client, django_capture_on_commit_callbacks):
    UserFactory(email="rory.reset@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "rory.reset@example.org"})
    link = re.search(r"http://testserver(/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    url = form_page.redirect_chain[-1][0]
    client.post(
        url, {"new_password1": "first-new-passphrase-1", "new_password2": "first-new-passphrase-1"}
    )
    again = client.get(link, follow=True)
    assert again.context["validlink"] is False
    assert "This link no longer works" in again.content.decode()


def test_a_look_alike_address_neither_signs_in_nor_breaks_sign_in(client, east_midlands):
    # On PostgreSQL a case-insensitive match folds a dotless i into an i; addresses are
    # matched exactly in their stored lower-case form instead, and look-alikes refused.
    UserFactory(email="dana.director@example.org")
    assert sign_in(client, "dana.d\u0131rector@example.org", TEST_PASSWORD).status_code == 200
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "Dana.Director@example.org", TEST_PASSWORD).status_code == 302


def test_an_address_that_is_not_plain_ascii_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:emslirp_user_add"),
        {
            "email": "dana.d\u0131rector@example.org",
            "full_name": "Look Alike",
            "region": coordinator.region_id,
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"] == [
        "Use an address made of plain letters, digits and punctuation."
    ]


def test_behind_a_proxy_one_client_cannot_lock_out_another(client, settings):
    settings.EMSLIRP_PROXY_COUNT = 1
    UserFactory(email="dana.director@example.org")
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "192.0.2.66"}
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": "dana.director@example.org", "password": "wrong"},
            **attacker,
        )
    dana = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    response = client.post(
        reverse("login"),
        {"username": "dana.director@example.org", "password": TEST_PASSWORD},
        **dana,
    )
    assert response.status_code == 302
    # And the attacker cannot escape their own count by sending a header of their own.
    client.logout()
    spoofed = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9, 192.0.2.66"}
    response = client.post(
        reverse("login"),
        {"username": "dana.director@example.org", "password": TEST_PASSWORD},
        **spoofed,
    )
    assert response.status_code == 429
