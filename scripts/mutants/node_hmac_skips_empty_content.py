#!/usr/bin/env python3
"""Mutant (issue 16, hole 1, UDP): node.py (UDP) whose HMAC check is skipped for messages with
EMPTY content: an auth bypass for DELETE_URI, SUBSCRIBE_URI and empty REQUEST_URI.
Killed by H-11..H-14 (every type with an empty body, bad auth)."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

from netaio import HMACAuthPlugin

_check = HMACAuthPlugin.check


def check(self, auth_fields, body, *args, **kwargs):
    if len(body.content) == 0:
        return True
    return _check(self, auth_fields, body, *args, **kwargs)


HMACAuthPlugin.check = check
run_peer("node")
