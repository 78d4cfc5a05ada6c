"""The kinds the application decides with, from its configuration."""

from __future__ import annotations

from functools import cached_property

from campaigns.configuration import ENV, vocabulary
from campaigns.domain.kinds import Vocabulary
from pingan.write.application import ServiceApplication


class Configured(ServiceApplication):
    @cached_property
    def vocabulary(self) -> Vocabulary:
        return vocabulary(self.env.get(ENV))
