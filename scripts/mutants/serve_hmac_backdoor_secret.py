#!/usr/bin/env python3
"""Mutant: serve.py whose auth plugin also accepts MACs made with a second secret (a debug
backdoor left in: the suite's "wrong" secret happens to be it)."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

from netaio import HMACAuthPlugin

_check = HMACAuthPlugin.check
_other = {}


def check(self, auth_fields, body, *args, **kwargs):
    if _check(self, auth_fields, body, *args, **kwargs):
        return True
    key = (self.hmac_field, self.nonce_field, self.ts_field)
    if key not in _other:
        _other[key] = HMACAuthPlugin({"secret": "s (not the secret)", "hmac_field": self.hmac_field,
                                      "nonce_field": self.nonce_field, "ts_field": self.ts_field})
    return _check(_other[key], auth_fields, body, *args, **kwargs)


HMACAuthPlugin.check = check
run_peer("serve")
