"""Variables whose names look like secrets are recorded as redacted Error values."""


def login(user, password):
    api_key = "sk-" + password[::-1]
    length = len(api_key)
    return length


settings = {"user": "alice", "secret": "s3cr3t"}
print(login("alice", "hunter2"))
