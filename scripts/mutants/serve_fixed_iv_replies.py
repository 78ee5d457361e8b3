#!/usr/bin/env python3
"""Mutant: serve.py whose outer stream cipher encrypts every reply with the same IV
(keystream reuse on the server's side)."""
# zoo-flags: --cipher-key k
# zoo-suite: --cipher-key k --group cipher
from mutant import run_peer

import netaio.cipher as cipher
from netaio.crypto import encrypt as _encrypt

cipher.encrypt = lambda key, data, iv=None: _encrypt(key, data, bytes(16))
run_peer("serve")
