import math

from django import forms
from django.contrib.auth import forms as auth_forms
from django.template import loader
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import LoginThrottle


def lockout_message(until):
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return _("Too many failed sign-in attempts. Try again after %(time)s "
             "(in about %(minutes)s minutes).") % {
        "time": time_format(timezone.localtime(until), "H:i"), "minutes": minutes}


class LoginForm(auth_forms.AuthenticationForm):
    def get_invalid_login_error(self):
        until = getattr(self.request, "login_locked_until", None)
        if until:
            return forms.ValidationError(lockout_message(until), code="locked")
        return forms.ValidationError(
            _("That user name and password do not match. Both are case-sensitive."),
            code="invalid_login")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"), max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True, "class": "input"}))

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("That is not your password."))
        return self.cleaned_data["password"]


class ResetForm(auth_forms.PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        from apps.accounts.tasks import send_email

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_email.enqueue(subject, body, [to_email])


class OurPasswordMessages:
    """Django's Thai catalogue lacks these two; ours has them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages = {**self.error_messages,
                               "password_mismatch": _("The two new passwords are not the same.")}
        self.fields["new_password2"].help_text = _("Type the new password again.")


class PasswordChangeForm(OurPasswordMessages, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(OurPasswordMessages, auth_forms.SetPasswordForm):
    def save(self, commit=True):
        user = super().save(commit)
        # Whoever reset the password through their mailbox may sign in again at once.
        LoginThrottle.objects.record_success(user.get_username())
        return user
