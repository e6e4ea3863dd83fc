// TypeScript runs as it is: types are stripped at load time, positions stay those of this file.
interface Item {
  name: string;
  price: number;
  quantity: number;
}

class Inventory {
  private items: Item[] = [];

  add(item: Item): void {
    this.items.push(item);
  }

  total(): number {
    let sum = 0;
    for (const item of this.items) {
      sum += item.price * item.quantity;
    }
    return sum;
  }
}

const inventory = new Inventory();
inventory.add({ name: "pen", price: 1.5, quantity: 10 });
inventory.add({ name: "book", price: 12, quantity: 2 });
console.log(`total value: ${inventory.total()}`);
