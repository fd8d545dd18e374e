from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.models import ApiToken
from apps.core.access import access


@access("login")
@require_http_methods(["GET", "POST"])
def tokens(request):
    """Personal API tokens: the raw key is shown once, right after it is made."""
    new_key = None
    if request.method == "POST":
        name = (request.POST.get("name") or "").strip()[:100]
        if not name:
            messages.error(request, _("Give the token a name."))
        else:
            _token, new_key = ApiToken.issue(request.user, name)
    return render(request, "accounts/tokens.html", {
        "tokens": request.user.api_tokens.order_by("-created"),
        "new_key": new_key,
    })


@access("login")
@require_POST
def revoke_token(request, pk):
    get_object_or_404(ApiToken, pk=pk, user=request.user).delete()
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
