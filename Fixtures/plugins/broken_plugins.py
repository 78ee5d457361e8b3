"""Deliberately broken netaio plugins: `netaio validate-plugin` must fail each one with a
clear message per broken property (Tests/NetaioPluginKitTests/PythonPluginContractTests).

    netaio validate-plugin --python-path Fixtures/plugins --python broken_plugins:LeakyHMAC --config '{"secret": "s"}'
"""
import hashlib
import os
import random

from netaio import Body, HMACAuthPlugin, Message, MessageType, Sha256StreamCipherPlugin
from netaio.crypto import hmac as _hmac, check_hmac


class LeakyHMAC:
    """An HMAC plugin with four bugs, one per property:
    - the MAC covers the content only, not the uri              -> auth.tamper-uri
    - make throws away the fields other plugins wrote            -> auth.foreign-fields
    - the nonce comes from random.SystemRandom, not os.urandom   -> auth.deterministic
    - error() answers with OK, which peers would answer back     -> auth.error-message
    and check kills the interpreter on a non-bytes nonce         -> auth.garbage (a trap)
    """

    def __init__(self, config: dict):
        secret = config['secret']
        self.key = hashlib.sha256(secret.encode() if isinstance(secret, str) else secret).digest()

    def make(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        nonce = random.SystemRandom().getrandbits(128).to_bytes(16, 'big')
        auth_fields.fields.clear()
        auth_fields.fields['nonce'] = nonce
        auth_fields.fields['hmac'] = _hmac(self.key, nonce, body.content)

    def check(self, auth_fields, body, node=None, peer=None, peer_plugin=None):
        nonce = auth_fields.fields.get('nonce')
        mac = auth_fields.fields.get('hmac')
        if nonce is not None and not isinstance(nonce, (bytes, bytearray)):
            os._exit(3)
        if nonce is None or not isinstance(mac, (bytes, bytearray)):
            return False
        return check_hmac(self.key, nonce, body.content, mac)

    def error(self, *args, **kwargs):
        return Message.prepare(Body.prepare(b'no', b'ERROR'), MessageType.OK)

    def is_peer_specific(self):
        return False


class LossyStreamCipher(Sha256StreamCipherPlugin):
    """netaio's stream cipher with two bugs:
    - decrypt drops the last content byte when the content is longer than 100 bytes
                                                                 -> cipher.roundtrip
    - encrypt keeps only its own iv field                        -> cipher.foreign-fields
    """

    def encrypt(self, message, node=None, peer=None, peer_plugin=None):
        out = super().encrypt(message, node, peer, peer_plugin)
        iv = out.auth_data.fields[self.iv_field]
        out.auth_data.fields.clear()
        out.auth_data.fields[self.iv_field] = iv
        return out

    def decrypt(self, message, node=None, peer=None, peer_plugin=None):
        out = super().decrypt(message, node, peer, peer_plugin)
        if len(out.body.content) > 100:
            out = Message.prepare(Body.prepare(out.body.content[:-1], out.body.uri), out.header.message_type)
        return out
