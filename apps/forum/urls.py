from django.urls import path

from apps.forum import views

app_name = "forum"
urlpatterns = [
    path("forum/network/<slug:slug>/", views.synthesis_list, name="list"),
    path("forum/network/<slug:slug>/new/", views.synthesis_new, name="new"),
    path("forum/network/<slug:slug>/stakeholders/", views.stakeholder_page,
         name="stakeholders"),
    path("forum/<int:pk>/", views.detail, name="detail"),
    path("forum/<int:pk>/progress.json", views.progress, name="progress"),
    path("forum/<int:pk>/file/<str:kind>", views.download, name="file"),
    path("forum/<int:pk>/rebuild/", views.rebuild, name="rebuild"),
    path("forum/<int:pk>/publish/", views.publish, name="publish"),
    path("forum/<int:pk>/recommendations/", views.recommendation_add, name="recommendation-add"),
    path("forum/<int:pk>/recommendations/<int:row>/remove/", views.recommendation_remove,
         name="recommendation-remove"),
]
