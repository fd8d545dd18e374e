from django.urls import path

from apps.people import views, views_privacy

app_name = "people"
urlpatterns = [
    path("c/<slug:slug>/working-group/", views.group_detail, name="group"),
    path("c/<slug:slug>/working-group/members/", views.add_member, name="add-member"),
    path("memberships/<int:pk>/end/", views.end_membership, name="end-membership"),
    path("c/<slug:slug>/people/", views.people_list, name="people"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/data/", views_privacy.person_data, name="person-data"),
    path("people/<int:pk>/data/export.json", views_privacy.person_export, name="person-export"),
    path("people/<int:pk>/erase/", views_privacy.person_erase, name="person-erase"),
    path("organisations/", views.organisations, name="organisations"),
]
