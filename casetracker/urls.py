from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Casetracker"
admin.site.site_title = "Casetracker admin"
admin.site.index_title = "Case records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("publicsite.urls")),
]
