// Words composed from parts, not stacked in a class tower: each part is a class over the run core
// (src/drill/core.ts) and the parts it names; its public methods and getters are its words. One
// object carries every part's words, each bound to the part that owns it.

/** What others see of a part: its public members (private ones are no words). */
export type Words<T> = { [K in keyof T]: T[K] };

type Intersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** The words of every part, on one object. */
export type Composed<P extends readonly object[]> = Intersection<{ [I in keyof P]: Words<P[I]> }[number]>;

/**
 * The parts' methods and getters on one object. A word two parts define is a mistake, said at once;
 * helpers a part keeps to itself are `#private`, so they never reach the composed object.
 */
export function compose<P extends readonly object[]>(...parts: P): Composed<P> {
  const words: Record<string, unknown> = {};
  const owners = new Map<string, string>();
  for (const part of parts) {
    const owner = part.constructor.name;
    for (let proto = Object.getPrototypeOf(part) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const [name, desc] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
        if (name === "constructor") continue;
        if (owners.has(name)) throw new Error(`the word ${name} is defined by both ${owners.get(name)} and ${owner}: rename one`);
        owners.set(name, owner);
        const getter = desc.get;
        Object.defineProperty(words, name, getter ? { get: () => getter.call(part), enumerable: true } : { value: (desc.value as (...a: unknown[]) => unknown).bind(part), enumerable: true });
      }
    }
  }
  return words as Composed<P>;
}
