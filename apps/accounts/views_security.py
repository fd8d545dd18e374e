"""Sign-in (password, then a code for those who turned two-step sign-in on), password reset
and change, and the account security page."""
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice

from apps.accounts import twofactor
from apps.accounts.backends import client_address
from apps.accounts.forms import (CodeForm, LoginForm, PasswordChangeForm, PasswordConfirmForm,
                                 ResetForm, SetPasswordForm, lockout_message)
from apps.accounts.models import LoginThrottle, PasswordResetRequest
from apps.accounts.scope import scope_of
from apps.core.access import access
from apps.core.trail import may_read_trail

PENDING = "pending_login"  # the session key of a sign-in waiting for its code


def suggest_two_factor(request, user):
    if twofactor.encouraged(user):
        messages.warning(request, _(
            "Your role decides on plans and funding: protect your account with two-step "
            "sign-in (Account security)."))


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.has_two_factor(user):
            # Not signed in yet: the password was right, the code step decides.
            self.request.session[PENDING] = {
                "user": user.pk, "backend": user.backend, "at": time.time(),
                "next": self.get_success_url(),
            }
            return redirect("accounts:login-code")
        response = super().form_valid(form)
        suggest_two_factor(self.request, user)
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, "login_locked_until", None):
            response.status_code = 429
        return response


login = access("public")(LoginView.as_view())


@access("public")
@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second step: a code from the authenticator app, or a recovery code."""
    pending = request.session.get(PENDING)
    user = None
    if pending and time.time() - pending["at"] < settings.LOGIN_CODE_MINUTES * 60:
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        if pending:
            messages.info(request, _("Sign-in took too long: enter your password again."))
        return redirect("accounts:login")
    username, address = user.get_username(), client_address(request)
    until = LoginThrottle.objects.locked_until(username, address)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not until and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            user.backend = pending["backend"]
            auth_login(request, user)
            otp_login(request, device)
            LoginThrottle.objects.record_success(username)
            if isinstance(device, StaticDevice):
                messages.warning(request, _(
                    "You used a recovery code; %(count)s left. Make new ones on the Account "
                    "security page.") % {"count": twofactor.recovery_codes_left(user)})
            return redirect(pending["next"])
        # Wrong codes count like wrong passwords; the device also slows down retries.
        until = LoginThrottle.objects.record_failure(username, address)
        form.add_error("code", _("This code is not right or was already used. Wait for the "
                                 "next code in your app and try again."))
    if until:
        request.session.pop(PENDING, None)
        messages.error(request, lockout_message(until))
        return redirect("accounts:login")
    return render(request, "accounts/login_code.html", {"form": form})


@access("login")
@never_cache  # recovery codes are shown here
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def security(request):
    """Two-step sign-in on or off, recovery codes, and the way to change the password."""
    user = request.user
    enabled = twofactor.has_two_factor(user)
    form = PasswordConfirmForm(user)
    codes = None
    if request.method == "POST" and enabled:
        action = request.POST.get("action")
        if action == "recovery":
            codes = twofactor.new_recovery_codes(user)
        elif action == "off":
            form = PasswordConfirmForm(user, request.POST)
            if form.is_valid():
                twofactor.turn_off(user)
                messages.success(request, _("Two-step sign-in is off."))
                return redirect("accounts:security")
    return render(request, "accounts/security.html", {
        "enabled": enabled, "encouraged": not enabled and twofactor.encouraged(user),
        "codes_left": twofactor.recovery_codes_left(user) if enabled else 0,
        "codes": codes, "form": form, "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "can_read_audit": may_read_trail(scope_of(user)),
    })


@access("login")
@never_cache  # the secret key is shown here
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """Scan the QR code (or type the key), then confirm with a code from the app."""
    if twofactor.has_two_factor(request.user):
        return redirect("accounts:security")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm(device, form.cleaned_data["code"])
        if codes:
            messages.success(request, _("Two-step sign-in is on."))
            return render(request, "accounts/security.html", {
                "enabled": True, "codes": codes,
                "codes_left": len(codes), "form": PasswordConfirmForm(request.user),
                "session_hours": settings.SESSION_COOKIE_AGE // 3600})
        form.add_error("code", _("This code does not match. Check the time on your phone and "
                                 "enter the code your app shows now."))
    # Safe markup: segno draws only path data; the secret is encoded in the QR pattern, never
    # written out as text, so nothing user-controlled reaches the SVG.
    qr = mark_safe(twofactor.qr_svg(device))  # nosec B308, B703
    return render(request, "accounts/two_factor_setup.html", {
        "form": form, "qr": qr, "key": twofactor.manual_key(device),
    })


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:security")

    def form_valid(self, form):
        messages.success(self.request, _("Your password has been changed."))
        return super().form_valid(form)


password_change = access("login")(PasswordChangeView.as_view())

class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        # Over the hourly limit (per client address, per email): the same confirmation page as
        # always, so the answer reveals neither the limit's key nor whether an account exists,
        # but nothing is sent.
        if not PasswordResetRequest.objects.admit(form.cleaned_data["email"],
                                                  client_address(self.request)):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


password_reset = access("public")(PasswordResetView.as_view(
    form_class=ResetForm,
    success_url=reverse_lazy("accounts:password-reset-done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
    # Links in the mail point at our public address, whatever Host the request named.
    extra_email_context={"site_url": settings.SITE_URL},
))
password_reset_done = access("public")(auth_views.PasswordResetDoneView.as_view())
password_reset_confirm = access("public")(auth_views.PasswordResetConfirmView.as_view(
    form_class=SetPasswordForm, success_url=reverse_lazy("accounts:password-reset-complete"),
))
password_reset_complete = access("public")(auth_views.PasswordResetCompleteView.as_view())
