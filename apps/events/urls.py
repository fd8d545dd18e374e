from django.urls import path

from apps.events import views

app_name = "events"
urlpatterns = [
    path("c/<slug:slug>/events/", views.city_list, name="city-list"),
    path("c/<slug:slug>/activities/<int:number>/events/new/", views.create, name="create"),
    path("n/<slug:slug>/events/", views.network_list, name="network-list"),
    path("n/<slug:slug>/events/new/", views.network_create, name="network-create"),
    path("events/<int:pk>/", views.detail, name="detail"),
    path("events/<int:pk>/edit/", views.edit, name="edit"),
    path("events/<int:pk>/move/", views.move, name="move"),
    path("events/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("events/<int:pk>/held/", views.held, name="held"),
    path("events/<int:pk>/publish/", views.publish, name="publish"),
    path("events/<int:pk>/agenda/", views.agenda_add, name="agenda-add"),
    path("events/<int:pk>/agenda/<int:item>/delete/", views.agenda_delete, name="agenda-delete"),
    path("events/<int:pk>/materials/", views.material_add, name="material-add"),
    path("events/<int:pk>/materials/<int:item>/", views.material_file, name="material"),
    path("events/<int:pk>/invite/", views.invite, name="invite"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("events/<int:pk>/register/me/", views.register_self, name="register-self"),
    path("events/<int:pk>/check-in/", views.check_in, name="check-in"),
    path("events/<int:pk>/check-in/<int:registration>/", views.check_in_person,
         name="check-in-person"),
    path("events/<int:pk>/sign-in.pdf", views.sign_in_sheet, name="sign-in-sheet"),
    path("events/registrations/<int:pk>/cancel/", views.cancel_registration,
         name="cancel-registration"),
    path("events/invitations/<str:token>/", views.invitation, name="invitation"),
]
