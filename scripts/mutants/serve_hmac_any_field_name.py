#!/usr/bin/env python3
"""Mutant: serve.py whose HMAC check also takes the MAC from any field whose name starts with
`hmac` (with the matching nonce/ts names), so another plugin's fields verify it."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

from netaio import HMACAuthPlugin

_check = HMACAuthPlugin.check


def check(self, auth_fields, body, *args, **kwargs):
    if _check(self, auth_fields, body, *args, **kwargs):
        return True
    for name in list(auth_fields.fields):
        if name.startswith("hmac") and name != self.hmac_field:
            suffix = name[len("hmac"):]
            other = HMACAuthPlugin({"secret": b"", "hmac_field": name, "nonce_field": "nonce" + suffix, "ts_field": "ts" + suffix})
            other.secret = self.secret
            if _check(other, auth_fields, body, *args, **kwargs):
                return True
    return False


HMACAuthPlugin.check = check
run_peer("serve")
