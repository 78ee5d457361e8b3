#!/usr/bin/env python3
"""Mutant: serve.py whose default handler answers NOT_FOUND to every unhandled message, ERROR
and AUTH_ERROR included (netaio's own default: two such peers ping-pong, Q1)."""
# zoo-flags: 
# zoo-suite: --group errors
from mutant import run_peer

import peercommon as pc

pc.is_silent_type = lambda message_type: False
run_peer("serve")
