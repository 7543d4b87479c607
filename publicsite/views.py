"""The public site. Every view reads through the `.public()` querysets, by way of
`publicsite.casefile`; business rules live on the models."""

from functools import wraps

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from casetracker.languages import switch_path
from prisoners.models import Facility, PreviousSlug, Prisoner

from . import export_rows, opendata
from . import facility_map as public_facility_map
from . import statistics as public_statistics
from .casefile import CaseFile, listed_prisoners, public_incidents, public_prisoners, with_information_as_of
from .filters import FacilityFilter, PrisonerFilter
from .pagination import InvalidCursor, Key, SeekPaginator

PAGE_SIZE = 25
LATEST_INCIDENTS = 8
FACILITIES_WITH_PRISONERS = 3  # facilities a name search on the prisoner list also names


def home(request):
    prisoners = Prisoner.objects.public()
    return render(
        request,
        "publicsite/home.html",
        {
            "held_count": prisoners.in_custody().count(),
            "cut_off": public_statistics.cut_off_now(),
            "incidents": public_incidents().most_recent_first()[:LATEST_INCIDENTS],
        },
    )


def prisoner_list(request):
    """The list, and the results of any name search (the header's search box comes here)."""
    filterset = PrisonerFilter(request.GET)
    paginator = filterset.paginator(PAGE_SIZE)
    try:
        page = paginator.page(after=request.GET.get("after"), before=request.GET.get("before"))
    except InvalidCursor:
        raise Http404("No such page of results.") from None
    query = filterset.form.cleaned_data.get("q") or ""
    count = paginator.count(page)
    return render(
        request,
        "publicsite/prisoner_list.html",
        {
            "filter": filterset,
            "page": page,
            "prisoners": with_information_as_of(page.object_list),
            "count": count,
            "filter_errors": filterset.error_messages(),
            "query": query,
            "suggestions": Prisoner.objects.public().suggestions(query) if query and not count else [],
            "facilities": _public_facilities().search(query)[:FACILITIES_WITH_PRISONERS] if query else [],
        },
    )


def _filtered_for_export(request):
    """The list's filters for an export; a bad filter is an error, never silently ignored."""
    filterset = PrisonerFilter(request.GET)
    if not filterset.is_valid():
        return None, HttpResponse(
            "\n".join(filterset.error_messages()), status=400, content_type="text/plain; charset=utf-8"
        )
    return filterset.qs, None


EXPORT_CHUNK = 2000  # rows fetched at a time: memory stays flat however long the export
# Exports are data, in English at every address: they are served only at their English address
# (casetracker.languages.neutral), and a streamed one is made after the response has left the language middleware,
# which leaves the thread in English. So no row pays for switching languages.


def _csv_response(lines, filename, *, stream=True):
    """CSV lines as a download; streamed unless short (a whole response is kept by the page cache)."""
    kind = StreamingHttpResponse if stream else HttpResponse
    response = kind(lines if stream else "".join(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _csv_export(request, items, filename, columns=None):
    return _csv_response(opendata.csv_lines(items, request.build_absolute_uri, columns), filename)


def _json_export(request, items, key, columns=None):
    chunks = opendata.json_chunks(items, request.build_absolute_uri, key, columns)
    return StreamingHttpResponse(chunks, content_type="application/json")


def _export(request, prisoners):
    """The export's rows, stored where current (publicsite.export_rows); addresses on the request's site."""
    return export_rows.Export(prisoners, request.build_absolute_uri("/")[:-1], EXPORT_CHUNK)


def prisoners_csv(request):
    prisoners, error = _filtered_for_export(request)
    return error or _csv_response(_export(request, prisoners).csv_lines(), "prisoners.csv")


def prisoners_json(request):
    prisoners, error = _filtered_for_export(request)
    if error:
        return error
    return StreamingHttpResponse(_export(request, prisoners).json_chunks(), content_type="application/json")


def _facility_rows():
    return ((facility, None) for facility in _public_facilities().iterator(chunk_size=EXPORT_CHUNK))


def _public_facilities():
    return Facility.objects.public().with_public_held_count().prefetch_related("name_variants").order_by("name", "pk")


def facilities_csv(request):
    return _csv_export(request, _facility_rows(), "facilities.csv", opendata.FACILITY_COLUMNS)


def facilities_json(request):
    return _json_export(request, _facility_rows(), "facilities", opendata.FACILITY_COLUMNS)


def _json(data):
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2})


def former_slugs(view, url_name):
    """A case's page (`view`, named `url_name`) that answers a slug the case had before with a permanent redirect
    to the same page at its slug now, if the public saw the old one (`PreviousSlug.objects.public()`). Any other
    unknown slug stays a plain 404: a slug the public never saw tells it nothing."""

    @wraps(view)
    def wrapped(request, slug):
        try:
            return view(request, slug=slug)
        except Http404:
            moved = PreviousSlug.objects.public().filter(slug=slug).select_related("prisoner").first()
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(reverse(f"publicsite:{url_name}", args=[moved.prisoner.slug]))

    return wrapped


def _case_file(slug):
    return CaseFile(get_object_or_404(public_prisoners(), slug=slug))


def prisoner_detail(request, slug):
    case = _case_file(slug)
    return render(
        request,
        "publicsite/prisoner_detail.html",
        {
            "prisoner": case.prisoner,
            "case": case,
            "canonical_url": request.build_absolute_uri(case.prisoner.get_absolute_url()),
        },
    )


@staff_member_required
def preview(request, pk):
    """Staff: a case's public page as it would look if published now, whether it is or not. Built by the public
    page's own code in a transaction that publishes the case and is always rolled back: nobody else ever sees it
    published, nothing is cached, and search engines are told to keep away."""
    if not request.user.has_perm("prisoners.view_prisoner"):
        raise PermissionDenied
    was_published = get_object_or_404(Prisoner._base_manager.values_list("published", flat=True), pk=pk)
    with transaction.atomic():
        Prisoner._base_manager.filter(pk=pk).update(published=True)
        case = CaseFile(get_object_or_404(public_prisoners(), pk=pk))
        response = render(
            request,
            "publicsite/prisoner_detail.html",
            {
                "prisoner": case.prisoner,
                "case": case,
                "canonical_url": request.build_absolute_uri(case.prisoner.get_absolute_url()),
                "preview": True,
                "was_published": was_published,
            },
        )
        transaction.set_rollback(True)
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def prisoner_photo(request, slug):
    """A photo an editor made public, of a published prisoner; anything else is 404."""
    prisoner = get_object_or_404(Prisoner.objects.public().filter(photo_public=True).exclude(photo=""), slug=slug)
    try:
        return FileResponse(prisoner.photo.open("rb"))
    except FileNotFoundError:
        raise Http404("No photo.") from None


def prisoner_json(request, slug):
    return _json(opendata.case_record(_case_file(slug), request.build_absolute_uri))


FACILITIES_PAGE = 100


def facility_list(request):
    """Every facility a public record names, a page at a time by name; or those a search finds, best first."""
    filterset = FacilityFilter(request.GET, _public_facilities())
    query = filterset.form.cleaned_data.get("q") or "" if filterset.is_valid() else ""
    if query:
        facilities = list(filterset.qs)
    else:
        facilities = _seek(request, SeekPaginator(_public_facilities(), [Key("name")], FACILITIES_PAGE), "facilities")
    return render(
        request,
        "publicsite/facility_list.html",
        {
            "filter": filterset,
            "facilities": facilities,
            "count": None if query else Facility.objects.public().count(),
            "query": query,
            "filter_errors": filterset.error_messages(),
            "suggestions": Facility.objects.public().suggestions(query) if query and not facilities else [],
        },
    )


FACILITY_HELD_PAGE = 50
FACILITY_INCIDENTS_PAGE = 20
# The dates of an incident are never empty: its pages read the facility's chronological index backwards.
NEWEST_FIRST = [Key(name, descending=True, nullable=False) for name in ["start", "start_latest", "pk"]]


def _seek(request, paginator, prefix):
    """A page of one of several lists on a page, each paged by its own `<prefix>_after`/`_before`."""
    try:
        return paginator.page(after=request.GET.get(f"{prefix}_after"), before=request.GET.get(f"{prefix}_before"))
    except InvalidCursor:
        raise Http404("No such page of results.") from None


def facility_detail(request, slug):
    facility = get_object_or_404(Facility.objects.public().with_public_held_count(), slug=slug)
    held = listed_prisoners().held_at(facility)
    incidents = public_incidents().filter(facility=facility)
    return render(
        request,
        "publicsite/facility_detail.html",
        {
            "facility": facility,
            "held": _seek(request, SeekPaginator(held, [Key("name")], FACILITY_HELD_PAGE), "held"),
            "held_count": facility.held_count,
            "incidents": _seek(request, SeekPaginator(incidents, NEWEST_FIRST, FACILITY_INCIDENTS_PAGE), "incidents"),
        },
    )


def open_data(request):
    return render(
        request,
        "publicsite/open_data.html",
        {"columns": opendata.COLUMNS, "facility_columns": opendata.FACILITY_COLUMNS},
    )


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Disallow: {reverse('publicsite:preview', args=[0]).removesuffix('0/')}",
        f"Disallow: {switch_path('').removesuffix('/')}",  # the language switcher's links: a choice and a redirect
        f"Sitemap: {request.build_absolute_uri(reverse('publicsite:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def statistics(request):
    """Counts of the public record, each drawn as SVG on the server, with its numbers and a CSV."""
    return render(request, "publicsite/statistics.html", {"charts": public_statistics.charts()})


def statistics_csv(request, slug):
    chart = public_statistics.chart(slug)  # counted in English (statistics.chart)
    if chart is None:
        raise Http404("No such chart.")
    lines = opendata.table_lines([chart.label, chart.value], chart.rows)
    return _csv_response(lines, f"statistics-{slug}.csv", stream=False)  # a few hundred lines at most


def facility_map(request):
    """Facilities on a map drawn on the server, with how many are held in each: no request to any other site."""
    return render(request, "publicsite/facility_map.html", {"map": public_facility_map.facilities_map()})
