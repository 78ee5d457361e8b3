#!/usr/bin/env python3
"""Mutant: serve.py whose HMAC check lets a message with an entirely empty body (no uri,
no content) through — a "keep-alive" exemption that also admits an unauthenticated
REQUEST_URI/DELETE_URI/SUBSCRIBE_URI of the empty uri."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

from netaio import HMACAuthPlugin

_check = HMACAuthPlugin.check


def check(self, auth_fields, body, *args, **kwargs):
    if len(body.uri) == 0 and len(body.content) == 0:
        return True
    return _check(self, auth_fields, body, *args, **kwargs)


HMACAuthPlugin.check = check
run_peer("serve")
