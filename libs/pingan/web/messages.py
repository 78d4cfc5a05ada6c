"""The dashboard's problem texts, laid over the platform's."""

from __future__ import annotations

from pingan.api.i18n import Catalogue, ProblemText, Text

WEB = Catalogue(
    problems={
        "csrf-refused": ProblemText(
            Text("表单已失效", "Form refused"),
            Text(
                "表单已过期或来自其他网站,请刷新页面后重试",
                "the form is stale or from another site; reload the page",
            ),
        ),
        "event-stream-only": ProblemText(
            Text("仅提供事件流", "Event stream only"),
            Text("请以 Accept: text/event-stream 请求", "ask with Accept: text/event-stream"),
        ),
    }
)
