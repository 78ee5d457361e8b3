#!/usr/bin/env python3
"""Mutant: serve.py storing contents as UTF-8 text (decode with errors='replace', encode back):
binary contents are corrupted."""
# zoo-flags: 
# zoo-suite: --group crud
from mutant import run_peer

import peercommon as pc

_create = pc.ResourceStore.create


def create(self, msg):
    answer = _create(self, msg)
    self.contents[msg.body.uri] = msg.body.content.decode("utf-8", "replace").encode()
    return answer


pc.ResourceStore.create = create
run_peer("serve")
