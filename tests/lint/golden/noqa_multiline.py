# ruff: noqa
# Golden file: noqa follows flake8, which joins the lines of one multi-line token run.
print("""a
b""")  # noqa: REC001
print(  # REC001
    1,
)  # noqa: REC001
x = 1 + \
    print(2)  # noqa
