"""The kinds the application decides with, from its configuration."""

from __future__ import annotations

from functools import cached_property

from campaigns.configuration import ENV, vocabulary, warning_rule
from campaigns.domain.kinds import Vocabulary
from campaigns.domain.warning_rule import WarningRule
from pingan.write.application import ServiceApplication


class Configured(ServiceApplication):
    @cached_property
    def vocabulary(self) -> Vocabulary:
        return vocabulary(self.env.get(ENV))

    @cached_property
    def warning_rule(self) -> WarningRule:
        return warning_rule(self.env.get(ENV))
