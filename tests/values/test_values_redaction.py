"""Secret-name table: which variable names (and dict keys) are redacted, and which are not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from recorder.values import is_secret_name

SECRET = [
    "password", "PASSWORD", "user_password", "userPassword", "db_passwd", "pwd", "password2",
    "__password", "passphrase", "secret", "client_secret", "AWS_SECRET_ACCESS_KEY", "secrets",
    "token", "API_TOKEN", "apiToken", "csrf_token", "refresh_token", "github-token", "accessToken",
    "api_key", "apiKey", "APIKey", "apikey", "API-KEY", "access_key", "private_key", "privateKey",
    "secret_key", "session_key", "sessionKey", "session_id", "sessionid", "SESSIONID",
    "credential", "credentials", "db_creds", "auth", "auth_header", "Authorization", "cookie",
    "cookies", "set_cookie", "jwt", "bearer_header", "request.signature", "signing_key",
]

NOT_SECRET = [
    "tokenizer", "tokens", "tokenize", "author", "authority",
    "authors", "key", "keys", "monkey", "keyboard", "session", "sessions", "db_session",
    "secretary", "passage", "pass_count", "passing",
    "pw", "word", "x", "", "_", "__name__", "cookbook", "private", "access", "api", "apis",
    "primary_key", "sort_key", "key_func", "signal", "credit", "authentic",
]


@pytest.mark.parametrize("name", SECRET)
def test_secret_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize("name", NOT_SECRET)
def test_names_that_are_not_secret(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize("name", ["password", "api_key", "Authorization"])
def test_cached_answer_is_stable(name: str) -> None:
    assert is_secret_name(name) is is_secret_name(name) is True


class Key(str):
    """A str subclass key whose hash and equality fail once armed (after the dict is built)."""

    armed = False

    def __hash__(self) -> int:
        if Key.armed:
            raise RuntimeError("hash")
        return str.__hash__(self)

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("eq")


def test_secret_str_subclass_dict_key_is_redacted(make_encoder: Callable[..., Any]) -> None:
    value = {Key("api_token"): "s3cret"}
    Key.armed = True
    try:
        record = make_encoder().encode(value)
    finally:
        Key.armed = False
    assert record["elements"][0]["elements"][1]["msg"] == "<redacted>"
    assert "s3cret" not in repr(record)


@pytest.mark.parametrize("name", SECRET[:10])
def test_encode_variable_redacts_whatever_the_value(
    make_encoder: Callable[..., Any], name: str
) -> None:
    encoder = make_encoder()
    for value in ("hunter2", 1234, ["a", "b"], object()):
        record = encoder.encode_variable(name, value)
        assert (record["kind"], record["msg"]) == ("Error", "<redacted>")
