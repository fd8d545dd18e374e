from django.urls import path

from apps.studies import views

app_name = "studies"
CHAINS = "c/<slug:slug>/impact-chains/"
STUDIES = "c/<slug:slug>/studies/"
STUDY = STUDIES + "<int:pk>/"
urlpatterns = [
    path(CHAINS, views.chains, name="chains"),
    path(CHAINS + "graph.svg", views.chains_svg, name="chains-svg"),
    path(CHAINS + "nodes/add/", views.node_add, name="node-add"),
    path(CHAINS + "nodes/<int:pk>/remove/", views.node_remove, name="node-remove"),
    path(CHAINS + "links/add/", views.link_add, name="link-add"),
    path(CHAINS + "links/<int:pk>/remove/", views.link_remove, name="link-remove"),
    path(STUDIES, views.study_list, name="list"),
    path(STUDIES + "new/", views.study_new, name="new"),
    path(STUDY, views.study_detail, name="study"),
    path(STUDY + "settings/", views.study_settings, name="settings"),
    path(STUDY + "edit/", views.study_edit, name="edit"),
    path(STUDY + "compare/", views.compare, name="compare"),
    path(STUDY + "rounds/<int:n>/sign-off/", views.sign_off, name="sign-off"),
    path(STUDY + "rounds/<int:n>/attachments/add/", views.attachment_add, name="attachment-add"),
    path(STUDY + "attachments/<int:attachment>/", views.attachment_file, name="attachment"),
    path(STUDY + "attachments/<int:attachment>/remove/", views.attachment_remove,
         name="attachment-remove"),
]
