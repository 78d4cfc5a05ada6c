"""Load the demo district into a running system, through its public API."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from pingan.demo.calendar import Calendar
from pingan.demo.client import DemoClient, DemoRefused
from pingan.demo.district import draw
from pingan.demo.hazards import LAST
from pingan.demo.places import District
from pingan.demo.plan import Plan, Step, Story, resolve
from pingan.demo.progress import progress_bar

#: the list that shows whether the system already holds records of each service
HOLDINGS = (
    "/hazards/hazards",
    "/hazards/key-areas",
    "/campaigns/cases",
    "/campaigns/campaigns",
    "/scoring/units",
)
REVOCATION_WAIT_S = 120.0
PARALLEL = 12
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class NotEmpty(RuntimeError):
    """The system holds records already, and the demo was not told to add to them."""


@dataclass
class Summary:
    seed: int
    today: str
    plan_digest: str
    counts: dict[str, int]
    requests: int
    kept: int = 0
    revoked_units: int = 0
    #: stars the revocations' bar refused, as the plan expects
    stars_barred: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


async def load_demo(
    url: str,
    token: str,
    verifier_token: str,
    *,
    seed: int = 1,
    add: bool = False,
    show_progress: bool = True,
    parallel: int = PARALLEL,
) -> Summary:
    started = time.monotonic()
    async with DemoClient(url, token, verifier_token, parallel=parallel) as client:
        if not add:
            await _refuse_if_not_empty(client)
        district = District.from_areas(await client.get("/hazards/areas"))
        standards: dict[str, dict[str, Any]] = {}
        for standard in await client.get("/scoring/standards"):
            if standard["version"] >= standards.get(standard["id"], {}).get("version", 0):
                standards[standard["id"]] = standard
        calendar = Calendar.now()
        plan = draw(seed, district, calendar, standards)
        summary = Summary(
            seed, calendar.today.isoformat(), plan.digest(), plan.counts(), plan.requests()
        )
        sender = _Sender(client, plan)
        with progress_bar(show_progress) as bar:
            task = bar.add_task("平安秦州 demo", total=plan.requests())
            sender.advance = lambda n: bar.advance(task, n)
            for phase in sorted({story.phase for story in plan.stories}):
                if phase >= LAST:
                    await sender.finish()
                stories = [s for s in plan.stories if s.phase == phase]
                await asyncio.gather(*(sender.tell(story) for story in stories))
            await sender.finish()
        summary.kept = sender.kept
        summary.revoked_units = await _revocations(
            client, [sender.refs[u] for u in plan.revoked_units]
        )
        summary.stars_barred = await sender.barred()
    summary.seconds = round(time.monotonic() - started, 1)
    return summary


async def _refuse_if_not_empty(client: DemoClient) -> None:
    held = {path: (await client.get(path, limit=1))["total"] for path in HOLDINGS}
    found = {path: total for path, total in held.items() if total}
    if found:
        listed = ", ".join(f"{path}: {total}" for path, total in found.items())
        raise NotEmpty(
            f"the system already holds data ({listed}); add the demo to it with `pingan demo --add`"
        )


class _Sender:
    def __init__(self, client: DemoClient, plan: Plan) -> None:
        self.client = client
        self.plan = plan
        self.refs: dict[str, str] = {}
        self.kept = 0
        self.advance: Any = lambda n: None
        self._index = {id(story): n for n, story in enumerate(plan.stories)}
        self._following: list[asyncio.Task[None]] = []

    async def tell(self, story: Story) -> None:
        first, *rest = story.steps
        try:
            answer = await self.client.send(
                first.method,
                first.path,
                resolve(first.body, self.refs),
                key=str(self._index[id(story)]),
                verifier=first.verifier,
            )
        except DemoRefused as refused:
            # Under --add, a record that is unique in the system (an area's unit, a key
            # area's name) may be there already: keep it as it is, and refer to it.
            existing = _existing_id(refused)
            if not (story.unique and existing):
                raise
            if story.name:
                self.refs[story.name] = existing
            self.kept += 1
            self.advance(len(story.steps))
            return
        record = str(answer["id"])
        if story.name:
            self.refs[story.name] = record
        self.advance(1)
        # Only the records must exist in phase order (a month's cases before the next
        # month's, a unit before those it contains); what follows each runs on meanwhile.
        self._following.append(asyncio.create_task(self._follow(record, rest)))

    async def finish(self) -> None:
        """Wait until every story's remaining commands are sent."""
        following, self._following = self._following, []
        await asyncio.gather(*following)

    async def _follow(self, record: str, rest: list[Step]) -> None:
        for step in rest:
            path = step.path.replace("{id}", record)
            await self.client.send(
                step.method, path, resolve(step.body, self.refs), key=None, verifier=step.verifier
            )
            self.advance(1)

    async def barred(self) -> int:
        """Send the stars that the revocations bar; how many were refused for it (422)."""
        refused = 0
        for family, step in self.plan.barred:
            path = step.path.replace("{id}", self.refs[family])
            try:
                await self.client.send(
                    step.method, path, resolve(step.body, self.refs), key=None, verifier=False
                )
            except DemoRefused as refusal:
                if refusal.status != 422:
                    raise
                refused += 1
            self.advance(1)
        return refused


def _existing_id(refused: DemoRefused) -> str | None:
    """The id of the record already there, when the refusal says it is one (a key area's
    name taken: 409 with `existing_id`; an area's unit registered: 422 该单位已登记)."""
    text = str(refused)
    taken = refused.status == 409 and "existing_id" in text
    registered = refused.status == 422 and "该单位已登记" in text
    found = UUID_TEXT.search(text.split("existing_id", 1)[-1]) if taken or registered else None
    return found.group(0) if found else None


async def _revocations(client: DemoClient, units: list[str]) -> int:
    """Wait (bounded) until scoring's reaction has revoked the title of every unit the demo
    caused an incident in; how many it has."""
    deadline = time.monotonic() + REVOCATION_WAIT_S
    wanted = set(units)
    while True:
        page = await client.get("/scoring/revocations", limit=500)
        done = wanted & {str(item["unit_id"]) for item in page["items"]}
        if done == wanted or time.monotonic() > deadline:
            return len(done)
        await asyncio.sleep(0.5)
