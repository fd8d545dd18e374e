"""Password-reset requests are limited per client address and per email, in the database, and
a refused request looks exactly like an accepted one."""
import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from apps.accounts.models import PasswordResetRequest

RESET = "/accounts/password/reset/"


def ask(client, email, address="198.51.100.7"):
    return client.post(RESET, {"email": email}, follow=True, HTTP_ACCEPT_LANGUAGE="en",
                       REMOTE_ADDR=address)


def page(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_three_mails_per_hour_to_one_email_whatever_the_address(world, client):
    answers = [ask(client, "member@example.org", f"198.51.100.{i}") for i in range(5)]
    assert len(mail.outbox) == 3
    # The refused requests get the same confirmation page as the accepted ones.
    assert {a.status_code for a in answers} == {200}
    assert len({page(a) for a in answers}) == 1
    assert answers[0].redirect_chain == answers[4].redirect_chain
    assert "If an account uses that address" in page(answers[4])


def test_five_requests_per_hour_from_one_address_whatever_the_email(world, client):
    for i in range(5):
        ask(client, f"nobody{i}@example.org")
    ask(client, "member@example.org")  # a real account, but the address is over its limit
    assert len(mail.outbox) == 0
    ask(client, "member@example.org", address="203.0.113.9")  # another address may ask
    assert len(mail.outbox) == 1


def test_the_email_key_ignores_case(world, client):
    for i, email in enumerate(["member@example.org", "MEMBER@example.org", "Member@Example.org",
                               "member@EXAMPLE.ORG"]):
        ask(client, email, f"198.51.100.{i}")
    assert len(mail.outbox) == 3
    assert PasswordResetRequest.objects.filter(kind="email",
                                               key="member@example.org").count() == 4


def test_the_limit_lifts_after_an_hour(world, client):
    for i in range(3):
        ask(client, "member@example.org", f"198.51.100.{i}")
    assert len(mail.outbox) == 3
    ask(client, "member@example.org", "198.51.100.50")
    assert len(mail.outbox) == 3
    PasswordResetRequest.objects.update(created=timezone.now() - dt.timedelta(minutes=61))
    ask(client, "member@example.org", "198.51.100.51")
    assert len(mail.outbox) == 4
    # Old rows are dropped on the way: the table does not grow without bound.
    assert PasswordResetRequest.objects.filter(
        created__lt=timezone.now() - dt.timedelta(hours=1)).count() == 0


def test_limits_come_from_settings(world, client, settings):
    settings.PASSWORD_RESET_LIMIT_EMAIL = 1
    ask(client, "member@example.org", "198.51.100.1")
    ask(client, "member@example.org", "198.51.100.2")
    assert len(mail.outbox) == 1
