#!/usr/bin/env python3
"""Mutant: node.py (UDP) whose default handler answers NOT_FOUND to every unhandled message,
ERROR and AUTH_ERROR included (Q1 ping-pong)."""
# zoo-flags: 
# zoo-suite: --group errors
from mutant import run_peer

import peercommon as pc

pc.is_silent_type = lambda message_type: False
run_peer("node")
