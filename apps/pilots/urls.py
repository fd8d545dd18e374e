from django.urls import path

from apps.pilots import tracking_views as t
from apps.pilots import views

app_name = "pilots"
urlpatterns = [
    path("pilots/<int:pk>/", views.detail, name="detail"),
    path("n/<slug:slug>/pilots/", t.overview, name="overview"),
    path("pilots/<int:pk>/workplan/", t.workplan, name="workplan"),
    path("pilots/<int:pk>/workplan/period/", t.schedule, name="schedule"),
    path("pilots/<int:pk>/workplan/components/", t.component_new, name="component-new"),
    path("pilots/<int:pk>/workplan/milestones/", t.milestone_new, name="milestone-new"),
    path("pilots/milestones/<int:pk>/edit/", t.milestone_edit, name="milestone-edit"),
    path("pilots/milestones/<int:pk>/delete/", t.milestone_delete, name="milestone-delete"),
    path("pilots/components/<int:pk>/delete/", t.component_delete, name="component-delete"),
    path("pilots/<int:pk>/publish/", views.publish, name="publish"),
    path("pilots/<int:pk>/budget/", t.budget, name="budget"),
    path("pilots/<int:pk>/budget/expenses/", t.expense_new, name="expense-new"),
    path("pilots/lines/<int:pk>/close/", t.line_close, name="line-close"),
    path("pilots/expenses/<int:pk>/receipt/", t.receipt, name="receipt"),
    path("pilots/<int:pk>/reports/", t.reports, name="reports"),
    path("pilots/<int:pk>/reports/new/", t.report_new, name="report-new"),
    path("pilots/reports/<int:pk>/", t.report, name="report"),
    path("pilots/reports/<int:pk>/edit/", t.report_edit, name="report-edit"),
    path("pilots/reports/<int:pk>/submit/", t.report_submit, name="report-submit"),
    path("pilots/reports/<int:pk>/review/", t.report_review, name="report-review"),
    path("pilots/photos/<int:pk>/", t.photo, name="photo"),
]
