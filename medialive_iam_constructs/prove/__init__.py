"""Offline, symbolic questions about IAM policies (``pip install medialive-iam-constructs[prove]``, needs
``z3-solver``). :mod:`.symbolic` is the evaluator; issue 21 adds the library's own questions and the user API."""
