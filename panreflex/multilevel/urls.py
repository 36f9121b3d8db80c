app_name = "multilevel"
urlpatterns = []
