"""Plugin mutants of the zoo: netaio 0.0.9's own plugins with ONE injected bug each.

    netaio validate-plugin --python-path scripts/mutants --python plugin_mutants:FixedIVStreamCipher --config '{"key": "k"}'

Every class must FAIL `netaio validate-plugin` (scripts/mutants/zoo prints the kill
table; docs/conformance.md "Mutant zoo").  Each docstring names the bug and the
property expected to catch it.
"""
from __future__ import annotations

import netaio.cipher as _cipher_module
from netaio import DefaultPeerPlugin, Peer, Sha256StreamCipherPlugin
from netaio.crypto import encrypt as _encrypt

# --- cipher plugins --------------------------------------------------------------


class FixedIVStreamCipher(Sha256StreamCipherPlugin):
    """Issue 16 hole 2: every message is encrypted with the same IV (all zeros), so two
    ciphertexts XOR to the XOR of their plaintexts.  Killed by cipher.fresh-iv and
    cipher.keystream-reuse."""

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        saved = _cipher_module.encrypt
        _cipher_module.encrypt = lambda key, data, iv=None: _encrypt(key, data, bytes(16))
        try:
            return super().encrypt(message, node, peer, peer_plugin)
        finally:
            _cipher_module.encrypt = saved


# --- peer plugins ----------------------------------------------------------------


class IdlessPeerPlugin(DefaultPeerPlugin):
    """Issue 16 hole 3: validate accepts every peer, also one without an id.
    Killed by peer.validate-no-id."""

    def validate(self, peer: Peer) -> bool:
        return True
