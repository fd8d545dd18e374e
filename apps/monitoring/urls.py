from django.urls import path

from apps.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("c/<slug:slug>/monitoring/", views.framework, name="framework"),
    path("c/<slug:slug>/monitoring/start/", views.start_from_sld3, name="start"),
    path("c/<slug:slug>/monitoring/criteria/", views.criterion_new, name="criterion-new"),
    path("c/<slug:slug>/monitoring/periods/", views.period_new, name="period-new"),
    path("c/<slug:slug>/monitoring/library/", views.library_pick, name="library-pick"),
    path("c/<slug:slug>/monitoring/indicators/new/", views.indicator_new, name="indicator-new"),
    path("c/<slug:slug>/monitoring/reports/", views.report_open, name="report-open"),
    path("c/<slug:slug>/monitoring/import/", views.import_values, name="import-new"),
    path("monitoring/indicators/<int:pk>/edit/", views.indicator_edit, name="indicator-edit"),
    path("monitoring/indicators/<int:pk>/targets/", views.targets, name="targets"),
    path("monitoring/reports/<int:pk>/", views.report, name="report"),
    path("monitoring/reports/<int:pk>/values/", views.report_edit, name="report-edit"),
    path("monitoring/reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("monitoring/reports/<int:pk>/review/", views.report_review, name="report-review"),
    path("monitoring/reports/<int:pk>/history/", views.report_history, name="report-history"),
    path("monitoring/imports/<int:pk>/", views.import_status, name="import"),
    path("monitoring/imports/<int:pk>/status/", views.import_poll, name="import-poll"),
    path("pilots/<int:pk>/indicators/", views.pilot_reports, name="pilot-reports"),
]

from apps.monitoring import urls_progress  # noqa: E402  (the progress pages)
urlpatterns += urls_progress.urlpatterns
