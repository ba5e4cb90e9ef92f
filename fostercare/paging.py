from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of a list; templates/includes/pagination.html links the others
    with {% querystring %}, which keeps the list's filters."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
