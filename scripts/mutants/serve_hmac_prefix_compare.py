#!/usr/bin/env python3
"""Mutant: serve.py comparing only the first 4 bytes of the MAC (a truncated comparison:
any change to the MAC's tail goes unnoticed, forgeable in 2^32 tries)."""
# zoo-flags: --hmac-secret s
# zoo-suite: --hmac-secret s --group hmac
from mutant import run_peer

import netaio.auth as auth
from netaio.crypto import hmac


def check_hmac(key, iv, message, mac):
    return hmac(key, iv, message)[:4] == bytes(mac)[:4]


auth.check_hmac = check_hmac
run_peer("serve")
