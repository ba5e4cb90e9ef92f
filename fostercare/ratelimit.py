"""Public forms' rate limit: a few submissions per sender address per hour (Django's cache).

The public inquiry form and the accessibility feedback form share this one rule.
"""

from django.conf import settings
from django.core.cache import cache

PUBLIC_FORM_LIMIT = 5
PUBLIC_FORM_LIMIT_SECONDS = 3600


def client_address(request) -> str:
    """The sender's address. Behind the HTTPS reverse proxy REMOTE_ADDR is the proxy's own
    address; the proxy appends the address it saw to X-Forwarded-For, so the LAST entry is
    the one to trust (earlier entries come from the client and can be forged)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR", "")


def over_rate_limit(request, form_name: str) -> bool:
    """Count this submission of ``form_name`` against the sender's address; True when over
    the limit."""
    key = f"public-form:{form_name}:{client_address(request)}"
    cache.add(key, 0, PUBLIC_FORM_LIMIT_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, PUBLIC_FORM_LIMIT_SECONDS)
        count = 1
    return count > PUBLIC_FORM_LIMIT
