"""Fakes for the account-deletion ports that every context's unit tests share."""

from __future__ import annotations


class PrefixErasing:
    """``erase_prefix`` for a fake file store that keeps its objects in ``self.objects`` (key -> anything)."""

    objects: dict

    def erase_prefix(self, prefix):
        gone = [key for key in self.objects if key.startswith(prefix)]
        for key in gone:
            del self.objects[key]
        return len(gone)


class ErasureSpy:
    """Records whom a context's erasure adapter was asked to erase (its DynamoDB part is proved against the
    emulator); ``fail`` makes it raise as a throttled or broken table would."""

    def __init__(self):
        self.erased: list[str] = []
        self.fail = False

    def erase_user(self, email):
        if self.fail:
            raise ConnectionError("the table is unreachable")
        self.erased.append(email)
