"""A generated proof of least privilege: a universe of requests built from the Service Authorization Reference
(``universe``), the personas of the library's constructs (``personas``); the assertions are in
``tests/test_proof_generated.py``."""
