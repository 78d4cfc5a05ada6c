"""The platform's own texts: the problems every service can answer."""

from __future__ import annotations

from pingan.api.i18n import Catalogue, ProblemText, Text
from pingan.auth.actions import TERMS as AUTH_TERMS

PLATFORM = Catalogue(
    problems={
        "invalid-request": ProblemText(
            Text("请求内容不符合接口要求", "The request does not match its schema"),
            Text(
                "请求中有 {count} 处错误,详见 errors",
                "the request has {count} error(s); see errors",
            ),
        ),
        "invalid-query": ProblemText(
            Text("查询参数无效", "Invalid query"),
            Text("数据库拒绝了其中的某个值", "the database refused a value"),
        ),
        "not-found": ProblemText(
            Text("未找到", "Not found"),
            Text("没有编号为 {id} 的{what}", "no {what} with id {id}"),
        ),
        "illegal-transition": ProblemText(
            Text("当前状态下不能执行该操作", "Command not allowed in the current state"),
            # Filled with labels: an action reads 「开始整改」(/start), “start rectification”
            # (/start); `a_thing` carries its English article.
            Text(
                "{thing}当前状态为「{state}」,不能执行{action};当前可执行:{allowed}",
                "{action} is not allowed on {a_thing} that is {state}; allowed now: {allowed}",
            ),
        ),
        "rule-violation": ProblemText(Text("不符合业务规则", "Business rule violated")),
        "file-too-large": ProblemText(
            Text("文件过大", "File too large"),
            Text("文件超过 {limit} 字节的上限", "the file is larger than {limit} bytes"),
        ),
        "file-type-refused": ProblemText(
            Text("文件类型不受支持", "File type not accepted"),
            Text(
                "{name} 不是可接受的文件类型;请上传 JPEG、PNG、HEIC/HEIF、WebP 照片或 PDF 文件",
                "{name} is none of the accepted types (JPEG, PNG, HEIC/HEIF, WebP photos, PDF)",
            ),
        ),
        "file-name-mismatch": ProblemText(
            Text("文件名与内容不符", "File name does not match its content"),
            Text(
                "{name} 的扩展名与文件内容不符,其内容为 {media_type}",
                "{name} is named as another type than its content, which is {media_type}",
            ),
        ),
        "files-not-stored": ProblemText(
            Text("所引用的文件尚未上传", "Files not uploaded"),
            Text(
                "以下文件尚未上传:{missing};请先上传再引用",
                "no file is stored with sha256 {missing}; upload each file first",
            ),
        ),
        "concurrent-update": ProblemText(
            Text("记录已被同时修改", "Concurrent update"),
            Text(
                "该记录刚被他人修改,请重新读取后再试",
                "the record changed meanwhile; read it again and retry",
            ),
        ),
        "view-behind": ProblemText(
            Text("查询视图尚未更新", "Read view not yet up to date"),
            Text(
                "{projection} 视图已到位置 {reached},尚未到 {wanted},请稍后重试",
                "the {projection} view has reached position {reached}, not yet {wanted}; "
                "retry shortly",
            ),
        ),
        "too-many-waiting": ProblemText(
            Text("等待查询视图更新的请求过多", "Too many queries waiting"),
            Text(
                "已有 {limit} 个查询在等待视图更新,请稍后重试",
                "{limit} queries are already waiting for the read views; retry shortly",
            ),
        ),
        "position-ahead": ProblemText(
            Text("位置尚未写入", "Position not yet written"),
            Text(
                "位置 {wanted} 超出已写入的最后位置 {written}:min_position 应取自命令的应答",
                "position {wanted} is beyond the last one written, {written}: min_position "
                "must come from a command's answer",
            ),
        ),
        "after-malformed": ProblemText(
            Text("after 参数格式错误", "Malformed after token"),
            Text(
                "{token} 不是「流名:位置」格式(例如 CAMPAIGNS:17),应取自命令应答的 after",
                "{token} is not STREAM:position (e.g. CAMPAIGNS:17); take it from a "
                "command's after",
            ),
        ),
        "too-many-after": ProblemText(
            Text("after 参数过多", "Too many after tokens"),
            Text(
                "给出了 {given} 个 after 参数,最多 {limit} 个",
                "{given} after tokens given, at most {limit} allowed",
            ),
        ),
        "stream-not-followed": ProblemText(
            Text("本服务不读取该事件流", "Stream not followed"),
            Text(
                "本服务不读取事件流 {stream};可等待的事件流:{followed}",
                "this service does not read the stream {stream}; it reads {followed}",
            ),
        ),
        "upstream-behind": ProblemText(
            Text("尚未处理上游事件", "Upstream event not yet processed"),
            Text(
                "{reaction} 已处理 {stream} 至位置 {reached},尚未到 {wanted},请稍后重试",
                "{reaction} has processed {stream} up to position {reached}, not yet "
                "{wanted}; retry shortly",
            ),
        ),
        "store-unavailable": ProblemText(
            Text("存储暂不可用", "Store unavailable"),
            Text("暂时无法连接{store},请稍后重试", "the {store} cannot be reached; retry shortly"),
        ),
        "command-timed-out": ProblemText(
            Text("命令未能及时完成", "Command timed out"),
            Text(
                "命令未在 {budget} 秒内完成,可能已被记录;请使用相同的 Idempotency-Key 重试",
                "the command did not finish within {budget} s and may have been recorded; "
                "retry with the same Idempotency-Key",
            ),
        ),
        "not-ready": ProblemText(
            Text("服务尚未就绪", "Service not ready"),
            Text("有依赖服务无法连接", "a dependency cannot be reached"),
        ),
        "internal-error": ProblemText(
            Text("服务器内部错误", "Internal error"),
            Text("发生了意外错误", "an unexpected error occurred"),
        ),
        "token-missing": ProblemText(
            Text("需要登录", "Authentication required"),
            Text(
                "请在 Authorization 请求头中携带令牌:Bearer <令牌>",
                "send a token in the Authorization header: Bearer <token>",
            ),
        ),
        "token-malformed": ProblemText(
            Text("令牌无效", "Invalid token"), Text("令牌格式不正确", "the token is malformed")
        ),
        "token-algorithm": ProblemText(
            Text("令牌无效", "Invalid token"),
            Text("令牌必须以 EdDSA 签名", "tokens must be signed with EdDSA"),
        ),
        "token-unknown-key": ProblemText(
            Text("令牌无效", "Invalid token"),
            Text("令牌的签名密钥不被认可", "the token is signed with an unknown key"),
        ),
        "token-signature": ProblemText(
            Text("令牌无效", "Invalid token"),
            Text("令牌签名校验失败", "the token's signature does not verify"),
        ),
        "token-audience": ProblemText(
            Text("令牌无效", "Invalid token"),
            Text("令牌不是签发给本系统的", "the token is meant for another issuer or audience"),
        ),
        "token-expired": ProblemText(
            Text("令牌已过期", "Token expired"),
            Text("令牌已过期,请重新登录", "the token has expired; sign in again"),
        ),
        "token-revoked": ProblemText(
            Text("令牌已注销", "Token revoked"),
            Text("该令牌已被注销,请重新登录", "the token has been revoked; sign in again"),
        ),
        "token-disabled": ProblemText(
            Text("账号已停用", "Account disabled"),
            Text("该账号已被停用", "the account is disabled"),
        ),
        "sign-in-failed": ProblemText(
            Text("登录失败", "Sign-in failed"),
            Text("用户名或密码不正确,或账号已停用", "wrong login or password, or account disabled"),
        ),
        "role-not-allowed": ProblemText(
            Text("无权执行该操作", "Role not allowed"),
            Text(
                "{role}无权{action_name};可执行的角色:{allowed_roles}",
                "the role {role} may not {action_name}; allowed: {allowed_roles}",
            ),
        ),
        "other-township": ProblemText(
            Text("不在本辖区", "Another township"),
            Text(
                "该记录属于{township},不在您的辖区({scope})内",
                "the record lies in {township}, outside your townships: {scope}",
            ),
        ),
        "township-required": ProblemText(
            Text("请指定乡镇(街道)", "Township required"),
            Text(
                "请指定您辖区内的一个乡镇(街道):{scope}",
                "name one of your townships: {scope}",
            ),
        ),
        "separation-of-duties": ProblemText(Text("违反职责分离", "Separation of duties")),
        "retained-by-law": ProblemText(
            Text("依法须保存,不能删除", "Kept by law, cannot be erased"),
            Text(
                "以下记录依法须保存:{rules}", "the law requires these records to be kept: {rules}"
            ),
        ),
        "account-exists": ProblemText(
            Text("账号已存在", "Account exists"),
            Text("已有登录名为 {login} 的账号", "an account {login!r} exists already"),
        ),
        "body-too-large": ProblemText(
            Text("请求内容过大", "Request body too large"),
            Text(
                "请求内容超过 {limit} 字节的上限", "the request body is larger than {limit} bytes"
            ),
        ),
        "query-too-long": ProblemText(
            Text("查询字符串过长", "Query string too long"),
            Text(
                "查询字符串超过 {limit} 字节的上限", "the query string is longer than {limit} bytes"
            ),
        ),
        "unsupported-media-type": ProblemText(
            Text("请以 JSON 格式提交", "Send JSON"),
            Text(
                "请求内容的类型为 {content_type};请以 JSON 格式提交,"
                "并注明 Content-Type: application/json",
                "the body is {content_type}; send JSON with Content-Type: application/json",
            ),
        ),
        "too-many-query-parameters": ProblemText(
            Text("查询参数过多", "Too many query parameters"),
            Text("查询参数超过 {limit} 个的上限", "the query has more than {limit} parameters"),
        ),
        "too-many-commands": ProblemText(
            Text("操作过于频繁", "Too many commands"),
            Text(
                "提交的操作过于频繁,请 {seconds} 秒后重试",
                "too many commands; retry in {seconds} s",
            ),
        ),
        "too-many-sign-in-attempts": ProblemText(
            Text("登录尝试过于频繁", "Too many sign-in attempts"),
            Text(
                "登录尝试过于频繁,请 {seconds} 秒后重试",
                "too many sign-in attempts; retry in {seconds} s",
            ),
        ),
        "http-400": ProblemText(Text("请求无效", "Bad request")),
        "http-404": ProblemText(Text("未找到", "Not found"), Text("没有这个地址", "no such path")),
        "http-405": ProblemText(
            Text("不支持该请求方法", "Method not allowed"),
            Text("该地址不支持此请求方法", "the path does not accept this method"),
        ),
    },
    terms={
        "event store": "事件存储",
        "read views": "查询视图",
        "file store": "文件存储",
        "file": "文件",
        "the file": "该文件",
        "record": "记录",
        "account": "账号",
        **AUTH_TERMS,
    },
)

# Per pydantic error type: the message of one entry of `errors`, with the error's context.
VALIDATION = {
    "missing": Text("缺少必填项", "Field required"),
    "extra_forbidden": Text("不允许的字段", "Extra inputs are not permitted"),
    "string_too_short": Text("至少 {min_length} 个字符", "at least {min_length} character(s)"),
    "string_too_long": Text("最多 {max_length} 个字符", "at most {max_length} character(s)"),
    "enum": Text("应为以下之一:{expected}", "Input should be {expected}"),
    "literal_error": Text("应为以下之一:{expected}", "Input should be {expected}"),
    "greater_than_equal": Text("应不小于 {ge}", "Input should be greater than or equal to {ge}"),
    "less_than_equal": Text("应不大于 {le}", "Input should be less than or equal to {le}"),
    "unknown_township": Text(
        "本区没有乡镇(街道)「{name}」;相近的有:{matches}",
        "no township or street {name!r} in the district; close matches: {matches}",
    ),
    "unknown_village": Text(
        "{township}没有村(社区)「{name}」;相近的有:{matches}",
        "no village or community {name!r} in {township}; close matches: {matches}",
    ),
    "unknown_area": Text(
        "本区没有乡镇(街道)或村(社区)「{name}」,或名称不唯一;可写作:{matches}",
        "no township, village or community {name!r} in the district, or more than one; "
        "say: {matches}",
    ),
}
