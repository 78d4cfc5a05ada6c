"""The campaigns service, as the platform sees it."""

from pingan.service import ServiceSpec
from pingan.write.application import ServiceApplication

SERVICE: ServiceSpec[ServiceApplication] = ServiceSpec(
    name="campaigns",
    title="Campaigns",
    description=(
        "Strike-hard special campaigns and situation analysis (严打专项行动, 治安形势分析)."
    ),
)
