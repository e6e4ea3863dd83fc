// Classes: constructors, methods, getters, static members and inheritance.
class Shape {
  static count = 0;

  constructor(name) {
    this.name = name;
    Shape.count++;
  }

  describe() {
    return `${this.name} with area ${this.area.toFixed(2)}`;
  }
}

class Circle extends Shape {
  constructor(radius) {
    super("circle");
    this.radius = radius;
  }

  get area() {
    return Math.PI * this.radius ** 2;
  }
}

class Rectangle extends Shape {
  constructor(width, height) {
    super("rectangle");
    this.width = width;
    this.height = height;
  }

  get area() {
    return this.width * this.height;
  }
}

const shapes = [new Circle(1), new Rectangle(2, 3), new Circle(0.5)];
for (const shape of shapes) {
  console.log(shape.describe());
}
console.log("shapes made:", Shape.count);
