from django.urls import path

from apps.strategies import views, views_funding, views_plan, views_scales

app_name = "strategies"
S = "c/<slug:slug>/strategy/"
urlpatterns = [
    path(S, views.detail, name="detail"),
    path(S + "edit/", views.edit, name="edit"),
    path(S + "issues/add/", views.issue_add, name="issue-add"),
    path(S + "issues/<int:pk>/remove/", views.issue_remove, name="issue-remove"),
    path(S + "interventions/add/", views.intervention_add, name="intervention-add"),
    path(S + "interventions/<int:pk>/", views.intervention_edit, name="intervention-edit"),
    path(S + "interventions/<int:pk>/remove/", views.intervention_remove,
         name="intervention-remove"),
    path(S + "ranking/", views.ranking, name="ranking"),
    path(S + "versions/", views.versions, name="versions"),
    path(S + "versions/save/", views.save_version, name="save-version"),
    path(S + "status/", views.set_status, name="status"),
    path(S + "new-version/", views.new_version, name="new-version"),
    path(S + "evidence/", views.evidence, name="evidence"),
    path(S + "strategy.pdf", views.pdf, name="pdf"),
    path(S + "development-plan/", views_plan.devplan, name="devplan"),
    path(S + "development-plan/import/", views_plan.devplan_import, name="devplan-import"),
    path(S + "interventions/<int:pk>/proposal/", views_funding.proposal_generate,
         name="proposal-generate"),
    path(S + "proposals/<int:pk>/", views_funding.proposal, name="proposal"),
    path(S + "proposals/<int:pk>/edit/", views_funding.proposal_edit, name="proposal-edit"),
    path(S + "proposals/<int:pk>/submissions/add/", views_funding.submission_add,
         name="submission-add"),
    path(S + "proposals/<int:pk>/proposal.docx", views_funding.proposal_docx,
         name="proposal-docx"),
    path(S + "proposals/<int:pk>/proposal.pdf", views_funding.proposal_pdf,
         name="proposal-pdf"),
    path("n/<slug:slug>/prioritisation-scales/", views_scales.scales, name="scales"),
    path("strategies/development-plan-template.xlsx", views_plan.devplan_template,
         name="devplan-template"),
]
