from django.urls import path

from apps.practices import views

app_name = "practices"
ONE = "practices/<int:pk>/"
urlpatterns = [
    path("practices/", views.library, name="library"),
    path("practices/export.pdf", views.library_pdf, name="library-pdf"),
    path("practices/export.docx", views.library_docx, name="library-docx"),
    path("c/<slug:slug>/practices/new/", views.new, name="new"),
    path(ONE, views.detail, name="detail"),
    path(ONE + "edit/", views.edit, name="edit"),
    path(ONE + "submit/", views.submit, name="submit"),
    path(ONE + "draft/", views.to_draft, name="to-draft"),
    path(ONE + "publish/", views.publish, name="publish"),
    path(ONE + "unpublish/", views.unpublish, name="unpublish"),
    path(ONE + "photos/add/", views.photo_add, name="photo-add"),
    path(ONE + "photos/<int:photo>/", views.photo, name="photo"),
    path(ONE + "photos/<int:photo>/remove/", views.photo_remove, name="photo-remove"),
    path(ONE + "files/add/", views.file_add, name="file-add"),
    path(ONE + "files/<int:item>/", views.file, name="file"),
    path(ONE + "files/<int:item>/remove/", views.file_remove, name="file-remove"),
    path(ONE + "export.pdf", views.export_pdf, name="pdf"),
    path(ONE + "export.docx", views.export_docx, name="docx"),
]
