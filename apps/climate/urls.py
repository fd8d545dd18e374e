from django.urls import path

from apps.climate import views

app_name = "climate"
CITY = "c/<slug:slug>/climate/"
STATION = CITY + "<int:pk>/"
urlpatterns = [
    path(CITY, views.stations, name="stations"),
    path(CITY + "new/", views.station_new, name="station-new"),
    path(STATION, views.station, name="station"),
    path(STATION + "edit/", views.station_edit, name="station-edit"),
    path(STATION + "publish/", views.publish, name="publish"),
    path(STATION + "upload/", views.upload, name="upload"),
    path(STATION + "uploads/<int:upload>/", views.upload_detail, name="upload-detail"),
    path(STATION + "uploads/<int:upload>/file/", views.upload_file, name="upload-file"),
    path(STATION + "analyses/new/", views.analyse, name="analyse"),
    path(STATION + "analyses/<int:analysis>/", views.analysis, name="analysis"),
    path(STATION + "analyses/<int:analysis>/status/", views.analysis_status,
         name="analysis-status"),
]
