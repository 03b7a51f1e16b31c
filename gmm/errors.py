"""Exceptions shared by the ``gmm`` package."""

from __future__ import annotations


class DataError(ValueError):
    """The user's data (or a data setting) cannot be used.

    The message is written for a person: it says what was wrong and what to do about
    it, so an app can show it as it is.
    """
