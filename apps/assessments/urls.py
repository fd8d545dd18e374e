from django.urls import path, register_converter

from apps.assessments import views


class RecordConverter:
    """The kinds of record the overview adds, and those any assessment page removes."""

    regex = "|".join(views.RECORD_MODELS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class AddableConverter(RecordConverter):
    regex = "|".join(views.RECORD_FORMS)


register_converter(RecordConverter, "assessment_record")
register_converter(AddableConverter, "assessment_addable")

app_name = "assessments"
BASE = "c/<slug:slug>/assessment/"
urlpatterns = [
    path(BASE, views.overview, name="overview"),
    path(BASE + "start/", views.start, name="start"),
    path(BASE + "edit/", views.edit, name="edit"),
    path(BASE + "publish/", views.publish, name="publish"),
    path(BASE + "<assessment_addable:record>/add/", views.add_record, name="add"),
    path(BASE + "<assessment_record:record>/<int:pk>/remove/", views.remove_record,
         name="remove"),
    path(BASE + "evidence/cite/", views.cite_evidence, name="cite-evidence"),
    path(BASE + "risks/", views.risks, name="risks"),
    path(BASE + "risks/rate/", views.rate_risk, name="rate-risk"),
    path(BASE + "vulnerability/", views.vulnerability, name="vulnerability"),
    path(BASE + "vulnerability/rate/", views.rate_vulnerability, name="rate-vulnerability"),
    path(BASE + "areas/", views.areas, name="areas"),
    path(BASE + "areas.geojson", views.areas_geojson, name="areas-geojson"),
    path(BASE + "areas/draw/", views.draw_area, name="draw-area"),
    path(BASE + "areas/upload/", views.upload_areas, name="upload-areas"),
    path(BASE + "layers/upload/", views.upload_layer, name="upload-layer"),
    path("n/<slug:slug>/assessment-scale/", views.scale, name="scale"),
]
