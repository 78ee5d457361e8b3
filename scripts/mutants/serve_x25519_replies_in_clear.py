#!/usr/bin/env python3
"""Mutant: serve.py whose inner X25519 layer opens requests but sends replies unsealed
(encrypt is a no-op on the server side)."""
# zoo-flags: --manage-peers --x25519-seed 5151515151515151515151515151515151515151515151515151515151515151
# zoo-suite: --manage-peers --x25519 --group x25519
from mutant import run_peer

from netaio.asymmetric import X25519CipherPlugin

X25519CipherPlugin.encrypt = lambda self, message, node=None, peer=None, peer_plugin=None: message
run_peer("serve")
