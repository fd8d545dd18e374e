"""The library's pages: the public list with search and filters, an entry, the city editors'
forms, the national coordinator's publishing, photos and files, and the exports.

Unpublished entries answer 404 to anyone outside their city (and the national coordinator),
as a missing page would; readable-but-not-yours answers 403.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.scope import scope_of
from apps.core.access import access, require
from apps.events import pdf
from apps.networks.models import City
from apps.practices import exports
from apps.practices.forms import FileForm, FilterForm, PhotoForm, PracticeForm
from apps.practices.models import Practice, PracticeChange, PracticeFile, PracticePhoto
from apps.studies.files import content_type

PER_PAGE = 20
NEW_BUTTONS = 5  # at most this many "New practice: <city>" buttons
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- lookups ----------------------------------------------------------------------------------
def _practice(request, pk):
    practice = (Practice.objects.visible_to(request.user).select_related("city__network", "pilot")
                .filter(pk=pk).first())
    if practice is None:
        raise Http404(_("This practice does not exist or is not published."))
    return practice


def _editable(request, pk):
    practice = _practice(request, pk)
    require(practice.can_edit(request.user))
    return practice


def _publishable(request, pk):
    practice = _practice(request, pk)
    require(practice.can_publish(request.user))
    return practice


def _filtered(request):
    form = FilterForm(request.GET or None)
    rows = form.apply(Practice.objects.visible_to(request.user).for_list())
    return form, rows


# -- the library ------------------------------------------------------------------------------
@access("public")
def library(request):
    form, rows = _filtered(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = scope_of(request.user)
    return render(request, "practices/library.html", {
        "form": form, "page": page, "practices": list(page.object_list),
        "query": query.urlencode(),
        # The status filter only means something to those who see unpublished entries.
        "show_status": scope.superuser or bool(scope.read_cities or scope.admin_networks),
        # A button per city the reader drafts for; a national coordinator (thousands of
        # cities) starts from a city's page instead.
        "new_cities": list(City.objects.filter(scope.city_edit_q(prefix=""))
                           .order_by("name_en")[:NEW_BUTTONS + 1])
        if scope.authenticated else [],
        "new_buttons": NEW_BUTTONS,
    })


@access("public")
def detail(request, pk):
    practice = _practice(request, pk)
    return render(request, "practices/detail.html", {
        "practice": practice, "city": practice.city,
        "photos": list(practice.photos.all()), "files": list(practice.files.all()),
        "changes": list(practice.changes.select_related("by"))
        if scope_of(request.user).can_read_city(practice.city) else [],
        "can_edit": practice.can_edit(request.user),
        "can_publish": practice.can_publish(request.user),
        "photo_form": PhotoForm(), "file_form": FileForm(),
    })


# -- writing ----------------------------------------------------------------------------------
@access("city-edit")
@require_http_methods(["GET", "POST"])
def new(request, slug):
    city = get_object_or_404(City.objects.select_related("network"), slug=slug)
    scope = scope_of(request.user)
    if not scope.can_edit_city(city):
        # The city page is public, so its existence is no secret: 403.
        require(False)
    form = PracticeForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            practice = form.save(commit=False)
            practice.created_by = request.user
            practice.save()
            PracticeChange.objects.create(practice=practice, action=PracticeChange.Action.CREATED,
                                          by=request.user)
        messages.success(request, _("Practice saved as a draft."))
        return redirect("practices:detail", practice.pk)
    return render(request, "practices/form.html", {"form": form, "city": city, "practice": None})


@access("city-edit")
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    practice = _editable(request, pk)
    was_published = practice.status == Practice.Status.PUBLISHED
    form = PracticeForm(request.POST or None, instance=practice, city=practice.city)
    if request.method == "POST" and form.is_valid():
        practice = form.save(commit=False)
        practice.edited(request.user)
        messages.success(request, _("Practice saved."))
        if was_published and practice.status != Practice.Status.PUBLISHED:
            messages.warning(request, _("The change takes the practice out of the library "
                                        "until the national coordinator publishes it again."))
        return redirect("practices:detail", practice.pk)
    return render(request, "practices/form.html", {"form": form, "city": practice.city,
                                                   "practice": practice})


def _step(request, practice, method, done):
    try:
        getattr(practice, method)(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("practices:detail", practice.pk)


@access("city-edit")
@require_POST
def submit(request, pk):
    return _step(request, _editable(request, pk), "submit",
                 _("Submitted to the national coordinator for publication."))


@access("city-edit")
@require_POST
def to_draft(request, pk):
    return _step(request, _editable(request, pk), "return_to_draft", _("Returned to draft."))


@access("network-admin")
@require_POST
def publish(request, pk):
    return _step(request, _publishable(request, pk), "publish",
                 _("Published in the good-practice library."))


@access("network-admin")
@require_POST
def unpublish(request, pk):
    return _step(request, _publishable(request, pk), "unpublish",
                 _("Taken out of the library; it waits as submitted."))


# -- photos and files -------------------------------------------------------------------------
def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@access("city-edit")
@require_POST
def photo_add(request, pk):
    practice = _editable(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        form.save(practice, request.user)
        messages.success(request, _("Photo added."))
    else:
        _form_errors(request, form)
    return redirect(f"{practice.get_absolute_url()}#photos")


@access("city-edit")
@require_POST
def photo_remove(request, pk, photo):
    practice = _editable(request, pk)
    get_object_or_404(PracticePhoto, practice=practice, pk=photo).delete()
    messages.success(request, _("Photo removed."))
    return redirect(f"{practice.get_absolute_url()}#photos")


@access("public")
def photo(request, pk, photo):
    practice = _practice(request, pk)
    item = get_object_or_404(PracticePhoto, practice=practice, pk=photo)
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@access("city-edit")
@require_POST
def file_add(request, pk):
    practice = _editable(request, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        item = form.save(practice, request.user)
        messages.success(request, _("Attached “%(title)s”.") % {"title": item.title})
    else:
        _form_errors(request, form)
    return redirect(f"{practice.get_absolute_url()}#files")


@access("city-edit")
@require_POST
def file_remove(request, pk, item):
    practice = _editable(request, pk)
    found = get_object_or_404(PracticeFile, practice=practice, pk=item)
    found.delete()
    messages.success(request, _("Removed “%(title)s”.") % {"title": found.title})
    return redirect(f"{practice.get_absolute_url()}#files")


@access("public")
def file(request, pk, item):
    practice = _practice(request, pk)
    found = get_object_or_404(PracticeFile, practice=practice, pk=item)
    response = FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename,
                            content_type=content_type(found.file_type))
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- exports ----------------------------------------------------------------------------------
def _download(content, mime, filename, inline=False):
    response = HttpResponse(content, content_type=mime)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _lang(request):
    return "en" if request.GET.get("lang") == "en" else translation.get_language()[:2]


@access("public")
def export_pdf(request, pk):
    practice = _practice(request, pk)
    lang = _lang(request)
    with translation.override(lang):
        html = render_to_string("practices/print/practices.html",
                                exports.print_context([practice], lang, single=True))
    return _download(pdf.html_to_pdf(html), "application/pdf", f"practice-{practice.pk}.pdf",
                     inline=True)


@access("public")
def export_docx(request, pk):
    practice = _practice(request, pk)
    with translation.override(_lang(request)):
        content = exports.to_docx([practice], single=True)
    return _download(content, DOCX, f"practice-{practice.pk}.docx")


def _library_rows(request):
    """Published entries the user may see, with the library's filters (never drafts: an
    export is something to hand out)."""
    _form, rows = _filtered(request)
    return list(rows.filter(status=Practice.Status.PUBLISHED)[:exports.MAX_ROWS])


@access("public")
def library_pdf(request):
    rows = _library_rows(request)
    lang = _lang(request)
    with translation.override(lang):
        html = render_to_string("practices/print/practices.html",
                                exports.print_context(rows, lang, single=False))
    return _download(pdf.html_to_pdf(html), "application/pdf", "good-practices.pdf", inline=True)


@access("public")
def library_docx(request):
    rows = _library_rows(request)
    with translation.override(_lang(request)):
        content = exports.to_docx(rows, single=False)
    return _download(content, DOCX, "good-practices.docx")
