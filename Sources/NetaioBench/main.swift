import NetaioWire
print("netaio-bench: see scripts/bench-codec")
