from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

PAGE_SIZE = 25


class PageCountPaginator(Paginator):
    """Django's paginator, but a page's rows carry the count of all (``COUNT(*) OVER ()``,
    taken before the LIMIT): one query, not a count and then the page.

    Only for a list whose page PostgreSQL must read every matching row for anyway, such as
    one filtered by the families' room (a subquery per family): there the count read them
    all a second time. A list it can read in index order up to the page's last row would
    instead read every row for the window. A page past the end is Django's (the last)."""

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        # a number beyond any list's pages (the offset must fit PostgreSQL's bigint) is
        # Django's to answer: counted, then the last page
        if 1 <= number <= 100_000 and not self.object_list.query.distinct:
            bottom = (number - 1) * self.per_page
            window = self.object_list.annotate(page_total=Window(Count("pk")))
            rows = list(window[bottom : bottom + self.per_page])
            if rows:
                self.__dict__["count"] = rows[0].page_total  # Paginator.count is cached
                return self._get_page(rows, number, self)
        return super().get_page(number)


def paginate(request, queryset, *, per_page: int = PAGE_SIZE, count_with_page=False) -> Page:
    """The requested page of a list; templates/includes/pagination.html links the others
    with {% querystring %}, which keeps the list's filters. ``count_with_page``: the page's
    own query counts the list (``PageCountPaginator``)."""
    paginator = (PageCountPaginator if count_with_page else Paginator)(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))
