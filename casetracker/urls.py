from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from django.utils.translation import gettext_lazy
from django.views.static import serve

from . import languages

admin.site.site_header = "Casetracker"
admin.site.site_title = gettext_lazy("Casetracker admin")
admin.site.index_title = gettext_lazy("Case records")

handler404 = languages.page_not_found

urlpatterns = [
    path("admin/", admin.site.urls),
    # Uploads are for staff: the public sees a photo only through the public case page.
    path("media/<path:path>", staff_member_required(serve), {"document_root": settings.MEDIA_ROOT}),
    path("language/<str:code>/", languages.switch, name="switch_language"),
    # English at the addresses it always had, Belarusian under /be/ and Russian under /ru/ (casetracker.languages).
    *i18n_patterns(path("", include("publicsite.urls")), prefix_default_language=False),
]
