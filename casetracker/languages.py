"""Which language a request is answered in, and the links between a page's languages.

Public pages carry their language in the address, so a shared link keeps it and every cached page has one
language: English at the addresses the site has always had (/prisoners/…), Belarusian under /be/ and Russian
under /ru/. Only the bare home page (/) negotiates: a reader's remembered choice (the cookie the language
switcher sets), else her browser's Accept-Language, sends her to /be/ or /ru/ on a first visit. Staff pages
(the admin) have no language in the address: they follow the staff member's choice, then the browser's.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import is_valid_path, reverse, translate_url
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import defaults
from django.views.decorators.http import require_safe

DEFAULT = settings.LANGUAGE_CODE
CODES = [code for code, _name in settings.LANGUAGES]
STAFF_PREFIXES = ("/admin/", "/media/")


def is_staff_path(path):
    return path.startswith(STAFF_PREFIXES)


def negotiated_language(request):
    """The reader's own choice (the switcher's cookie), else the best of her browser's Accept-Language the site has,
    else English: Django's order."""
    return translation.get_language_from_request(request) or DEFAULT


def staff_language(request):
    """The staff member's own choice (alerts.StaffPreferences), else the browser's."""
    user = getattr(request, "user", None)
    preferred = getattr(getattr(user, "staff_preferences", None), "language", "") if user else ""
    return preferred if preferred in CODES else negotiated_language(request)


class LanguageMiddleware:
    """Activates the request's language before its address is resolved (the /be/ and /ru/ prefixes match only
    under their own language), and sends a first visit to the bare home page to the reader's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        negotiated = False
        if is_staff_path(path):
            language, negotiated = staff_language(request), True
        else:
            language = translation.get_language_from_path(path) or DEFAULT
            if path == "/" and request.method in ("GET", "HEAD"):
                language, negotiated = negotiated_language(request), True
                if language != DEFAULT:
                    response = HttpResponseRedirect(home_in(language))
                    return self.varying(response)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
            if response.status_code == 404 and self.wants_slash(request):
                # CommonMiddleware would redirect, but it looks after this language is deactivated, when /be/… no
                # longer resolves; so here, as Django's LocaleMiddleware does.
                response = HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
        finally:
            translation.deactivate()  # the thread's next work (a command, a test, an in-process task): English
        response.headers.setdefault("Content-Language", language)
        if negotiated:
            self.varying(response)
        return response

    @staticmethod
    def wants_slash(request):
        path = request.path_info
        return (
            settings.APPEND_SLASH
            and not path.endswith("/")
            and is_valid_path(f"{path}/", getattr(request, "urlconf", None))
        )

    @staticmethod
    def varying(response):
        # Chosen per reader: a shared cache must not hand one reader's answer to the next.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        patch_cache_control(response, private=True)
        response.headers.pop("Expires", None)
        return response


def home_in(language):
    with translation.override(language):
        return reverse("publicsite:home")


def alternates(request):
    """The page in each language: (code, name, path), for the switcher and the hreflang links. A page not found
    links each language's home page: its address, which a reader mistyped or guessed, is never repeated."""
    if getattr(request, "resolver_match", None) is None or getattr(request, "not_found", False):
        return [(code, name, home_in(code)) for code, name in settings.LANGUAGES]
    path = request.get_full_path()
    return [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES]


def language_links(request):
    """Template context: `languages`, the page's alternates with the switcher's addresses (a context
    processor, so every public page has them)."""
    if request is None or is_staff_path(request.path_info):
        return {}
    current = translation.get_language()
    return {
        "languages": [
            {
                "code": code,
                "name": name,
                "path": path,
                "url": request.build_absolute_uri(path),
                "switch": f"{switch_path(code)}?{urlencode({'next': path})}" if code != current else path,
                "current": code == current,
            }
            for code, name, path in alternates(request)
        ],
    }


def page_not_found(request, exception):
    """Django's page-not-found view, after marking the request so the page links no other language's copy of an
    address that has none (`alternates`)."""
    request.not_found = True
    return defaults.page_not_found(request, exception)


def neutral(view):
    """For an address whose content has no language (an export, a photo, the sitemap): asked for under /be/ or
    /ru/, it answers with a permanent redirect to its one address, so no copy is cached per language."""

    @wraps(view)
    def answer(request, *args, **kwargs):
        if translation.get_language() != DEFAULT:
            return HttpResponsePermanentRedirect(translate_url(request.get_full_path(), DEFAULT))
        return view(request, *args, **kwargs)

    return answer


def switch_path(code):
    return f"/language/{code}/"


@require_safe
def switch(request, code):
    """The switcher's link: remembers the reader's choice (a cookie, read only by the bare home page) and goes to
    the page she was reading in that language. A plain link, so it works without JavaScript."""
    target = request.GET.get("next", "")
    if code not in CODES or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = home_in(code if code in CODES else DEFAULT)
    response = HttpResponseRedirect(target)
    if code in CODES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    patch_cache_control(response, private=True, no_store=True)
    return response
