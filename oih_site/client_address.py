"""The address of the client behind a request, derived one way for every limit that needs it.

The sign-in lockout (django-axes, through AXES_CLIENT_IP_CALLABLE) and the patient resume
limit both count attempts per client. Behind a load balancer every request arrives from the
balancer's address, so counting REMOTE_ADDR would lump every client together.

TRUSTED_PROXY_COUNT (DJANGO_TRUSTED_PROXY_COUNT) says how many proxies of ours stand in
front of the app. Each appends the address it received the request from to
X-Forwarded-For, so with N proxies the client is the Nth address from the right; anything
further left was written by the client and may be forged. With 0 (the default: no proxy)
the header is ignored.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address as a string, or REMOTE_ADDR when proxies say nothing usable."""
    remote_address = request.META.get("REMOTE_ADDR", "")
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_address
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # Fewer entries than proxies: the request did not come through all of them.
    if len(forwarded) < proxy_count:
        return remote_address
    return _ip_address(forwarded[-proxy_count]) or remote_address


def _ip_address(text):
    """The address in `text`, which some proxies write with a port; None if it is not one."""
    candidates = [text]
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        candidates.append(text[1 : text.index("]")])
    elif text.count(":") == 1:  # 203.0.113.5:443
        candidates.append(text.split(":")[0])
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
