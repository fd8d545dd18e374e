app_name = "baselines"
urlpatterns = []
