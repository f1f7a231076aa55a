"""The recorder's fixtures (a topic root per test, a field publisher, an in-process recorder),
shared by every service test module that needs them."""

from tests.services.test_recorder import field, make_recorder, root, topics  # noqa: F401
