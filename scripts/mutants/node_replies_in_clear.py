#!/usr/bin/env python3
"""Mutant: node.py (UDP) that decrypts requests but sends its replies unencrypted (outer
cipher forgotten on the way out)."""
# zoo-flags: --cipher-key k
# zoo-suite: --cipher-key k --group cipher
from mutant import run_peer

from netaio import Sha256StreamCipherPlugin

_encrypt = Sha256StreamCipherPlugin.encrypt


def encrypt(self, message, node=None, peer=None, peer_plugin=None):
    if node is not None:
        return message
    return _encrypt(self, message, node, peer, peer_plugin)


Sha256StreamCipherPlugin.encrypt = encrypt
run_peer("node")
