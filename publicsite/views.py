"""The public site. Every view reads through the `.public()` querysets (via `with_public_details()`,
`Facility.objects.public()`, `Incident.objects.public()`); business rules live on the models."""

from django.core.paginator import InvalidPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from events.models import Incident
from prisoners.models import Facility, Party, Prisoner, Status

from . import opendata
from .filters import PrisonerFilter

PAGE_SIZE = 25
LATEST_INCIDENTS = 8


def public_incidents():
    return Incident.objects.public().select_related("prisoner", "facility").with_public_sources()


def home(request):
    prisoners = Prisoner.objects.public()
    return render(
        request,
        "public/home.html",
        {
            "held_count": prisoners.filter(status=Status.DETAINED).count(),
            "cut_off": {party: prisoners.overdue(party, public=True).count() for party in Party.values},
            "incidents": public_incidents().most_recent_first()[:LATEST_INCIDENTS],
        },
    )


def prisoner_list(request):
    filterset = PrisonerFilter(request.GET)
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page of results.")
    return render(
        request,
        "public/prisoner_list.html",
        {"filter": filterset, "page": page, "filter_errors": filterset.error_messages()},
    )


def _filtered_for_export(request):
    """The list's filters for an export; a bad filter is an error, never silently ignored."""
    filterset = PrisonerFilter(request.GET)
    if not filterset.is_valid():
        return None, HttpResponse(
            "\n".join(filterset.error_messages()), status=400, content_type="text/plain; charset=utf-8"
        )
    return filterset.qs, None


def prisoners_csv(request):
    prisoners, error = _filtered_for_export(request)
    if error:
        return error
    response = HttpResponse(
        opendata.as_csv(prisoners, request.build_absolute_uri), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="prisoners.csv"'
    return response


def _json(data):
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False, "indent": 2})


def prisoners_json(request):
    prisoners, error = _filtered_for_export(request)
    if error:
        return error
    records = [opendata.record(prisoner, request.build_absolute_uri) for prisoner in prisoners]
    return _json({"count": len(records), "prisoners": records})


def _public_prisoner(slug):
    return get_object_or_404(Prisoner.objects.with_public_details(), slug=slug)


def prisoner_detail(request, slug):
    prisoner = _public_prisoner(slug)
    timeline = prisoner.public_timeline()
    return render(
        request,
        "public/prisoner_detail.html",
        {
            "prisoner": prisoner,
            "lapses": [opendata.public_lapse(prisoner, party) for party in Party.values] if prisoner.in_custody else [],
            "canonical_url": request.build_absolute_uri(reverse("public:prisoner", args=[slug])),
            "lawyers": prisoner.public_lawyers(),
            "timeline": timeline,
            "sources": list({source.pk: source for entry in timeline for source in entry.sources}.values()),
        },
    )


def prisoner_json(request, slug):
    return _json(opendata.case_record(_public_prisoner(slug), request.build_absolute_uri))


def facility_list(request):
    facilities = Facility.objects.public().with_public_held_count().prefetch_related("name_variants")
    return render(request, "public/facility_list.html", {"facilities": facilities})


def facility_detail(request, slug):
    facility = get_object_or_404(Facility.objects.public(), slug=slug)
    return render(
        request,
        "public/facility_detail.html",
        {
            "facility": facility,
            "held": Prisoner.objects.with_public_details().held_at(facility),
            "incidents": public_incidents().filter(facility=facility).most_recent_first(),
        },
    )


def open_data(request):
    return render(request, "public/open_data.html", {"columns": opendata.COLUMNS})


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {request.build_absolute_uri(reverse('public:sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
