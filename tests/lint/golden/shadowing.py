# ruff: noqa
# Golden file: names are resolved by scope, not by spelling.
print("module level")  # REC001


def uses_parameter(print):
    print("a parameter named print is not the builtin")


def local_def():
    def print(*args):
        return args

    print("the local def shadows the builtin")


def local_assignment():
    print = len
    print("an assignment anywhere in the function makes it local")


def reads_builtin():
    print("no binding in this function or the module")  # REC001


class Printer:
    print = staticmethod(len)

    def method(self):
        # Class attributes are not visible in methods: this is the builtin.
        print("builtin")  # REC001
        self.print("an attribute call")

    x = print("class body sees the class attribute")


def in_comprehension(items):
    return [print for print in items] + [print(i) for i in items]  # REC001


def uses_global():
    global sink
    sink = print("the builtin")  # REC001


def outer():
    def print(*args):
        return args

    def inner():
        print("resolved to outer's local def")

    return inner


obj.print("a method, never the builtin")
assert_ = print  # reading the name without calling it is not a finding
