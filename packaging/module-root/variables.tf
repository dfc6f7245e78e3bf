# No inputs: call a tier module under modules/ instead.
