"""Plugin mutants of the zoo: netaio 0.0.9's own plugins with ONE injected bug each.

    netaio validate-plugin --python-path scripts/mutants --python plugin_mutants:FixedIVStreamCipher --config '{"key": "k"}'

Every class must FAIL `netaio validate-plugin`; `ZOO_CONFIG` is the --config the zoo
(scripts/mutants/zoo, kill table in docs/conformance.md "Mutant zoo") runs it with.  Each
docstring names the bug and the property expected to catch it.
"""
from __future__ import annotations

import hashlib
import os

import netaio.asymmetric as _asymmetric_module
import netaio.auth as _auth_module
import netaio.cipher as _cipher_module
import packify
from nacl.public import Box as _Box
from netaio import (Body, DefaultPeerPlugin, HMACAuthPlugin, Message, MessageType, Peer,
                    Sha256StreamCipherPlugin)
from netaio.asymmetric import X25519CipherPlugin
from netaio.crypto import check_hmac as _check_hmac, encrypt as _encrypt, hmac as _hmac

STREAM = {"key": "k"}
STREAM_CLEAR_URI = {"key": "k", "encrypt_uri": False}
X25519 = {"seed_hex": "ab" * 32}
HMAC = {"secret": "s"}


class _Patched:
    """Context manager replacing module attributes for one call."""

    def __init__(self, module, **values):
        self.module, self.values = module, values

    def __enter__(self):
        self.saved = {k: getattr(self.module, k) for k in self.values}
        for k, v in self.values.items():
            setattr(self.module, k, v)

    def __exit__(self, *exc):
        for k, v in self.saved.items():
            setattr(self.module, k, v)
        return False


# --- cipher plugins --------------------------------------------------------------


class FixedIVStreamCipher(Sha256StreamCipherPlugin):
    """Issue 16 hole 2: every message is encrypted with the same IV (all zeros), so two
    ciphertexts XOR to the XOR of their plaintexts.  Killed by cipher.fresh-iv and
    cipher.keystream-reuse."""
    ZOO_CONFIG = STREAM

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        with _Patched(_cipher_module, encrypt=lambda key, data, iv=None: _encrypt(key, data, bytes(16))):
            return super().encrypt(message, node, peer, peer_plugin)


class FixedIVClearURIStreamCipher(FixedIVStreamCipher):
    """The same constant IV with encrypt_uri false (the inner-layer configuration)."""
    ZOO_CONFIG = STREAM_CLEAR_URI


class KeylessStreamCipher(Sha256StreamCipherPlugin):
    """The configured key is ignored (keystream from sha256(b'') — a config key typo'd
    to a default): anyone decrypts.  Killed by cipher.wrong-key."""
    ZOO_CONFIG = STREAM

    def __init__(self, config: dict):
        super().__init__(config)
        self.key = hashlib.sha256(b"").digest()


class ContentInClearStreamCipher(Sha256StreamCipherPlugin):
    """Encrypts the uri only; the content travels in clear (encrypt_uri misread as
    'encrypt only the uri').  Killed by cipher.hides-content."""
    ZOO_CONFIG = STREAM

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        empty = Message.prepare(Body.prepare(b"", message.body.uri), message.header.message_type, message.auth_data)
        out = super().encrypt(empty, node, peer, peer_plugin)
        return Message.prepare(Body.prepare(message.body.content, out.body.uri + out.body.content),
                               out.header.message_type, out.auth_data)

    def decrypt(self, message, node=None, peer=None, peer_plugin=None):
        hidden = Message.prepare(Body.prepare(b"", message.body.uri), message.header.message_type, message.auth_data)
        out = super().decrypt(hidden, node, peer, peer_plugin)
        return Message.prepare(Body.prepare(message.body.content, out.body.uri), out.header.message_type, out.auth_data)


class DropsForeignFieldsStreamCipher(Sha256StreamCipherPlugin):
    """encrypt keeps only its own iv field: an inner layer's hmac2 is lost.  Killed by
    cipher.foreign-fields (and cipher.inner-layer)."""
    ZOO_CONFIG = STREAM_CLEAR_URI

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        out = super().encrypt(message, node, peer, peer_plugin)
        iv = out.auth_data.fields[self.iv_field]
        out.auth_data.fields.clear()
        out.auth_data.fields[self.iv_field] = iv
        return out


class ShortContentStreamCipher(Sha256StreamCipherPlugin):
    """decrypt loses the last byte of contents longer than 255 bytes (an off-by-one in a
    length field).  Killed by cipher.roundtrip."""
    ZOO_CONFIG = STREAM_CLEAR_URI

    def decrypt(self, message, node=None, peer=None, peer_plugin=None):
        out = super().decrypt(message, node, peer, peer_plugin)
        if len(out.body.content) > 255:
            out = Message.prepare(Body.prepare(out.body.content[:-1], out.body.uri), out.header.message_type, out.auth_data)
        return out


class SystemRandomStreamCipher(Sha256StreamCipherPlugin):
    """Draws its IV from random.SystemRandom (outside the injected randomness): output
    cannot be replayed.  Killed by cipher.deterministic."""
    ZOO_CONFIG = STREAM

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        import random
        iv = random.SystemRandom().getrandbits(128).to_bytes(16, "big")
        with _Patched(_cipher_module, encrypt=lambda key, data, _iv=None: _encrypt(key, data, iv)):
            return super().encrypt(message, node, peer, peer_plugin)


class LowEntropyIVStreamCipher(Sha256StreamCipherPlugin):
    """The IV has only 8 random bits (the rest zero): IVs repeat after ~20 messages
    (birthday bound).  Expected to SURVIVE: the kit compares 2 IVs per case (1 in 256)
    and no pair collides with the default seed — documented in docs/conformance.md."""
    ZOO_CONFIG = STREAM

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        with _Patched(_cipher_module, encrypt=lambda key, data, iv=None: _encrypt(key, data, os.urandom(1) + bytes(15))):
            return super().encrypt(message, node, peer, peer_plugin)


class _FixedNonceBox(_Box):
    def encrypt(self, plaintext, nonce=None, encoder=None):
        return super().encrypt(plaintext, bytes(24))


class FixedNonceX25519Cipher(X25519CipherPlugin):
    """X25519 (NaCl Box) with a constant all-zero nonce: XSalsa20 keystream reuse under
    the same key pair.  Killed by cipher.fresh-iv and cipher.keystream-reuse."""
    ZOO_CONFIG = X25519

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        with _Patched(_asymmetric_module, Box=_FixedNonceBox):
            return super().encrypt(message, node, peer, peer_plugin)


class SealsToItselfX25519Cipher(X25519CipherPlugin):
    """X25519 that boxes every message to its own public key instead of the peer's: the
    receiver cannot open it.  Killed by cipher.roundtrip."""
    ZOO_CONFIG = X25519

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        me = Peer(set(), b"self", DefaultPeerPlugin().encode_data({"pubkey": bytes(self.pubk)}))
        return super().encrypt(message, node, me, peer_plugin)


# --- auth plugins ----------------------------------------------------------------


class EmptyContentBypassHMAC(HMACAuthPlugin):
    """Issue 16 hole 1 as a plugin: check accepts any message whose content is empty.
    Killed by auth.wrong-key / auth.tamper-uri (shrunk to an empty content)."""
    ZOO_CONFIG = HMAC

    def check(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        return len(body.content) == 0 or super().check(auth_fields, body, node, peer, peer_plugin)


class UriNotCoveredHMAC(HMACAuthPlugin):
    """The MAC covers ts ‖ content, not the uri: a request can be re-pointed at another
    resource.  Killed by auth.tamper-uri."""
    ZOO_CONFIG = HMAC

    def make(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        super().make(auth_fields, body, node, peer, peer_plugin)
        f = auth_fields.fields
        f[self.hmac_field] = _hmac(self.secret, f[self.nonce_field], f[self.ts_field] + body.content)

    def check(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        f = auth_fields.fields
        nonce, ts, mac = f.get(self.nonce_field), f.get(self.ts_field), f.get(self.hmac_field)
        if not (isinstance(nonce, bytes) and isinstance(ts, bytes) and isinstance(mac, bytes)):
            return False
        return _check_hmac(self.secret, nonce, ts + body.content, mac)


class TruncatedCompareHMAC(HMACAuthPlugin):
    """Compares only the first 4 bytes of the MAC.  Killed by auth.tamper-fields."""
    ZOO_CONFIG = HMAC

    def check(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        with _Patched(_auth_module, check_hmac=lambda key, iv, message, mac: _hmac(key, iv, message)[:4] == bytes(mac)[:4]):
            return super().check(auth_fields, body, node, peer, peer_plugin)


class TsNotCoveredHMAC(HMACAuthPlugin):
    """The MAC covers the body only; ts is written but not authenticated (a changed
    timestamp goes unnoticed).  Killed by auth.tamper-fields."""
    ZOO_CONFIG = HMAC

    def make(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        super().make(auth_fields, body, node, peer, peer_plugin)
        f = auth_fields.fields
        f[self.hmac_field] = _hmac(self.secret, f[self.nonce_field], body.encode())

    def check(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        f = auth_fields.fields
        nonce, ts, mac = f.get(self.nonce_field), f.get(self.ts_field), f.get(self.hmac_field)
        if ts is None or not isinstance(nonce, bytes) or not isinstance(mac, bytes):
            return False
        return _check_hmac(self.secret, nonce, body.encode(), mac)


class KeylessHMAC(HMACAuthPlugin):
    """The secret is ignored (MAC key sha256(b'')): anyone can sign.  Killed by
    auth.wrong-key."""
    ZOO_CONFIG = HMAC

    def __init__(self, config: dict):
        super().__init__(config)
        self.secret = hashlib.sha256(b"").digest()


class ClearsForeignFieldsHMAC(HMACAuthPlugin):
    """make wipes the fields other plugins wrote (the outer cipher's iv).  Killed by
    auth.foreign-fields."""
    ZOO_CONFIG = HMAC

    def make(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        auth_fields.fields.clear()
        super().make(auth_fields, body, node, peer, peer_plugin)


class OkErrorHMAC(HMACAuthPlugin):
    """error() answers OK: peers answer it back.  Killed by auth.error-message."""
    ZOO_CONFIG = HMAC

    def error(self, *args, **kwargs):
        return Message.prepare(Body.prepare(b"HMAC auth failed", b"ERROR"), MessageType.OK)


class MissingFieldsAcceptedHMAC(HMACAuthPlugin):
    """check accepts a message without an hmac field (fail-open).  Killed by
    auth.tamper-fields (removing a field make wrote must be rejected)."""
    ZOO_CONFIG = HMAC

    def check(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        if self.hmac_field not in auth_fields.fields:
            return True
        return super().check(auth_fields, body, node, peer, peer_plugin)


class SystemNonceHMAC(HMACAuthPlugin):
    """Draws its nonce from random.SystemRandom (outside the injected randomness).
    Killed by auth.deterministic."""
    ZOO_CONFIG = HMAC

    def make(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        import random
        auth_fields.fields[self.nonce_field] = random.SystemRandom().getrandbits(128).to_bytes(16, "big")
        super().make(auth_fields, body, node, peer, peer_plugin)


# --- peer plugins ----------------------------------------------------------------


class IdlessPeerPlugin(DefaultPeerPlugin):
    """Issue 16 hole 3: validate accepts every peer, also one without an id.
    Killed by peer.validate-no-id."""
    ZOO_CONFIG: dict = {}

    def validate(self, peer: Peer) -> bool:
        return True


class LenientUnpackPeerPlugin(DefaultPeerPlugin):
    """unpack never raises: undecodable records become a peer without id or data.
    Killed by peer.unpack-undecodable."""
    ZOO_CONFIG: dict = {}

    def unpack(self, data: bytes) -> Peer:
        try:
            return super().unpack(data)
        except Exception:
            return Peer(addrs=set(), id=None, data=None)


class DataDroppingPeerPlugin(DefaultPeerPlugin):
    """pack writes the id only: the data (an X25519 pubkey) is lost in transit.
    Killed by peer.pack-unpack."""
    ZOO_CONFIG: dict = {}

    def pack(self, peer: Peer) -> bytes:
        return packify.pack((peer.id, None))


class RawParsePeerPlugin(DefaultPeerPlugin):
    """parse_data returns the raw bytes instead of the decoded value.  Killed by
    peer.encode-parse."""
    ZOO_CONFIG: dict = {}

    def parse_data(self, peer: Peer):
        return peer.data


class RejectAllPeerPlugin(DefaultPeerPlugin):
    """validate refuses every peer (an inverted condition): no peer is ever added.
    Killed by peer.validate."""
    ZOO_CONFIG: dict = {}

    def validate(self, peer: Peer) -> bool:
        return peer.id is None


class PaddedPackPeerPlugin(DefaultPeerPlugin):
    """pack appends random padding bytes (os.urandom, not injected): the same peer packs
    differently each time.  Killed by peer.deterministic."""
    ZOO_CONFIG: dict = {}

    def pack(self, peer: Peer) -> bytes:
        return packify.pack((peer.id, peer.data)) + os.urandom(4)
