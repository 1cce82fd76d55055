"""Readers, one module per API shape; each module's ``READER`` is listed in ``registry.READERS``."""
