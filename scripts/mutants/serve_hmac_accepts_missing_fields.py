#!/usr/bin/env python3
"""Mutant: serve.py whose HMAC check accepts a message that carries no hmac field at all
(`if mac is None: return True`, a fail-open default)."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

from netaio import HMACAuthPlugin

_check = HMACAuthPlugin.check


def check(self, auth_fields, body, *args, **kwargs):
    if self.hmac_field not in auth_fields.fields:
        return True
    return _check(self, auth_fields, body, *args, **kwargs)


HMACAuthPlugin.check = check
run_peer("serve")
