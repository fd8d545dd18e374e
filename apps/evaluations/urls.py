from django.urls import path

from apps.evaluations import views

app_name = "evaluations"
LIST = "c/<slug:slug>/evaluations/"
ONE = LIST + "<int:pk>/"
urlpatterns = [
    path(LIST, views.evaluation_list, name="list"),
    path(LIST + "new/", views.evaluation_new, name="new"),
    path(LIST + "for-the-strategy/", views.strategy, name="strategy"),
    path(ONE, views.evaluation_detail, name="detail"),
    path(ONE + "edit/", views.evaluation_edit, name="edit"),
    path(ONE + "<str:kind>/add/", views.part_add, name="part-add"),
    path(ONE + "<str:kind>/<int:row>/remove/", views.part_remove, name="part-remove"),
    path(ONE + "sign-off/", views.sign_off, name="sign-off"),
    path(ONE + "reopen/", views.reopen, name="reopen"),
    path(ONE + "publish/", views.publish, name="publish"),
    path(ONE + "print.pdf", views.print_pdf, name="pdf"),
]
