"""Password reset by email answers the same whether or not the address has an account."""
import re

from django.core import mail

from apps.core.testing import PASSWORD

RESET = "/accounts/password/reset/"


def ask(client, email):
    return client.post(RESET, {"email": email}, follow=True, HTTP_ACCEPT_LANGUAGE="en")


def test_the_login_page_links_to_the_reset(client, db):
    text = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/accounts/password/reset/"' in text and "Forgot your password?" in text


def test_the_answer_does_not_reveal_whether_an_account_exists(world, client):
    known = ask(client, "member@example.org")
    assert len(mail.outbox) == 1
    unknown = ask(client, "nobody@example.org")
    assert len(mail.outbox) == 1  # no mail for an unknown address
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    strip = lambda r: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", r.content.decode())
    assert strip(known) == strip(unknown)
    assert "If an account uses that address" in strip(known)


def test_the_mail_link_sets_a_new_password_and_clears_a_lock(world, client, settings):
    from apps.accounts.models import LoginThrottle

    LoginThrottle.objects.create(kind="account", key="member", failures=9,
                                 window_start="2030-01-01T00:00Z", locked_until="2030-01-01T00:00Z")
    ask(client, "member@example.org")
    message = mail.outbox[0]
    assert message.to == ["member@example.org"]
    link = re.search(r"(http\S+/accounts/password/reset/\S+/)", message.body).group(1)
    assert link.startswith(settings.SITE_URL)
    response = client.get(link.removeprefix(settings.SITE_URL), follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "paddy-field-sunrise-42"
    response = client.post(form_url, {"new_password1": "too-short", "new_password2": "too-short"})
    assert response.status_code == 200  # the password rules apply here too
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert not LoginThrottle.objects.filter(kind="account", key="member").exists()
    assert client.login(username="member", password=new)
    assert not client.login(username="member", password=PASSWORD)
    # The link works once.
    response = client.get(form_url, HTTP_ACCEPT_LANGUAGE="en")
    assert "does not work any more" in response.content.decode()


def test_the_mail_is_in_the_language_of_the_request(world, client):
    client.post(RESET, {"email": "member@example.org"}, HTTP_ACCEPT_LANGUAGE="en")
    assert mail.outbox[0].subject == "Resilience Workbench: choose a new password"
    assert "Hello member," in mail.outbox[0].body
