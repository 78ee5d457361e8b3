#!/usr/bin/env python3
"""Mutant: serve.py verifying every MAC with an all-zero nonce instead of the one sent: no
honest client verifies (fails closed, but broken)."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

import netaio.auth as auth
from netaio.crypto import check_hmac as _check_hmac


def check_hmac(key, iv, message, mac):
    return _check_hmac(key, bytes(16), message, mac)


auth.check_hmac = check_hmac
run_peer("serve")
