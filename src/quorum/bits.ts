// Random bits in bulk for the quorum Monte Carlo: the same sfc32 stream as
// base/rng.ts's Rng for the same seed (seeded the same way, through
// splitmix32 and twelve discarded outputs), but with the four words of state
// held in local variables for a whole buffer. Generating millions of draws
// one method call at a time keeps the state in object fields, which costs
// several times more per draw than the generator itself. Pure.

export class BitStream {
  private readonly state = new Int32Array(4);

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    for (let i = 0; i < 4; i++) this.state[i] = next();
    this.fill(new Uint32Array(12), 12);
  }

  /** Writes the next `count` 32-bit outputs to out[0..count), as `count` calls of Rng.nextUint32 would return them. */
  fill(out: Uint32Array, count: number): void {
    const state = this.state;
    let a = state[0];
    let b = state[1];
    let c = state[2];
    let d = state[3];
    for (let k = 0; k < count; k++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (c << 21) | (c >>> 11);
      c = (c + t) | 0;
      out[k] = t;
    }
    state[0] = a;
    state[1] = b;
    state[2] = c;
    state[3] = d;
  }
}
