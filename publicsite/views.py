"""The public site. Every view reads through the `.public()` querysets, by way of
`publicsite.casefile`; business rules live on the models."""

from django.core.paginator import InvalidPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from events.models import Party
from prisoners.models import Facility, Prisoner

from . import opendata
from .casefile import CaseFile, public_incidents, public_prisoners
from .filters import PrisonerFilter

PAGE_SIZE = 25
LATEST_INCIDENTS = 8


def home(request):
    prisoners = Prisoner.objects.public()
    return render(
        request,
        "publicsite/home.html",
        {
            "held_count": prisoners.in_custody().count(),
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
        "publicsite/prisoner_list.html",
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


def prisoner_json(request, slug):
    return _json(opendata.case_record(_case_file(slug), request.build_absolute_uri))


def facility_list(request):
    facilities = Facility.objects.public().with_public_held_count().prefetch_related("name_variants")
    return render(request, "publicsite/facility_list.html", {"facilities": facilities})


def facility_detail(request, slug):
    facility = get_object_or_404(Facility.objects.public(), slug=slug)
    return render(
        request,
        "publicsite/facility_detail.html",
        {
            "facility": facility,
            "held": public_prisoners().held_at(facility),
            "incidents": public_incidents().filter(facility=facility).most_recent_first(),
        },
    )


def open_data(request):
    return render(request, "publicsite/open_data.html", {"columns": opendata.COLUMNS})


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('publicsite:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
