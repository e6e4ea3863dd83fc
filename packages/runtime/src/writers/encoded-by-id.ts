import { CborEncoder } from "./cbor.js";

/** Ids up to here get their bytes cached: ids are positions, small in any real trace. */
const CACHED_IDS = 4096;
const NOTHING = new Uint8Array(0);

/**
 * The CBOR of `prefix`, one small integer id, and `suffix` (`"type_id": 7`, the head of a Value
 * event for variable 3), encoded once per id and then copied: the hot events are mostly such
 * parts, and one copy costs less than copying the parts and encoding the integer each time.
 */
export class EncodedById {
  private readonly cache: Uint8Array[] = [];

  constructor(
    private readonly prefix: Uint8Array,
    private readonly suffix: Uint8Array = NOTHING,
  ) {}

  write(encoder: CborEncoder, id: number): void {
    if (!(Number.isInteger(id) && id >= 0 && id < CACHED_IDS)) {
      this.build(encoder, id);
      return;
    }
    let bytes = this.cache[id];
    if (bytes === undefined) {
      const encoded = new CborEncoder(this.prefix.length + this.suffix.length + 16);
      this.build(encoded, id);
      bytes = this.cache[id] = encoded.toBytes();
    }
    encoder.writeEncoded(bytes);
  }

  private build(encoder: CborEncoder, id: number): void {
    encoder.writeEncoded(this.prefix);
    encoder.writeNumber(id);
    encoder.writeEncoded(this.suffix);
  }
}
