#!/usr/bin/env python3
"""Mutant: serve.py whose UNSUBSCRIBE_URI confirms but keeps the subscription."""
# zoo-flags: 
# zoo-suite: --group pubsub
from mutant import run_peer

from netaio import TCPServer

TCPServer.unsubscribe = lambda self, key, writer: None
run_peer("serve")
