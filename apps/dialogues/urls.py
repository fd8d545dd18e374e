from django.urls import path, register_converter

from apps.dialogues import views
from apps.dialogues.models import RECORD_MODELS


class RecordConverter:
    """The kinds of record a dialogue page adds and removes: anything else is not a URL."""

    regex = "|".join(RECORD_MODELS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(RecordConverter, "record")

app_name = "dialogues"
SLD = "c/<slug:slug>/sld/<int:n>/"
urlpatterns = [
    path(SLD, views.dialogue_detail, name="dialogue"),
    path(SLD + "edit/", views.edit, name="edit"),
    path(SLD + "publish/", views.publish, name="publish"),
    path(SLD + "<record:record>/add/", views.add_record, name="add"),
    path(SLD + "<record:record>/<int:pk>/remove/", views.remove_record, name="remove"),
    path(SLD + "actions/<int:pk>/status/", views.action_status, name="action-status"),
    path(SLD + "votes/new/", views.vote_open, name="vote-open"),
    path(SLD + "votes/<int:pk>/", views.vote_detail, name="vote"),
    path(SLD + "votes/<int:pk>/ballots/<int:person>/", views.ballot, name="ballot"),
    path(SLD + "votes/<int:pk>/close/", views.vote_close, name="vote-close"),
]
