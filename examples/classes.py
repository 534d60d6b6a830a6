"""Classes: __init__, methods, properties, inheritance, a dataclass, a __repr__."""
from dataclasses import dataclass


class Shape:
    def __init__(self, name):
        self.name = name

    def area(self):
        return 0

    def describe(self):
        return f"{self.name} with area {self.area()}"


class Square(Shape):
    def __init__(self, side):
        super().__init__("square")
        self.side = side

    def area(self):
        return self.side * self.side

    @property
    def perimeter(self):
        return 4 * self.side

    def __repr__(self):
        return f"Square({self.side})"


@dataclass
class Point:
    x: int
    y: int

    def moved(self, dx):
        return Point(self.x + dx, self.y)


sq = Square(3)
text = sq.describe()
p = Point(1, 2).moved(5)
print(text, sq.perimeter, p)
