// Partition shapes between members (Jepsen's nemeses), as data: which directed links are cut. Pure,
// so each shape is unit-tested; src/faults/member-links.ts puts them on the wire with iptables.
import type { MemberId } from "../topology";

export type LinkMode = "drop" | "reject";

/** Traffic from `from` to `to` is dropped (silently, a blackhole) or rejected (a reset). */
export interface CutLink {
  readonly from: MemberId;
  readonly to: MemberId;
  readonly mode: LinkMode;
  /** Only connections to this port of `to` (its quorum port: it can vote, not follow); absent: every port. */
  readonly port?: number;
}

export type Shape =
  /** One member cut off from every other. */
  | { readonly kind: "isolate"; readonly member: MemberId }
  /** Two groups that cannot reach each other. */
  | { readonly kind: "halves"; readonly sides: readonly [readonly MemberId[], readonly MemberId[]] }
  /** Two groups joined only through one member that sees both (Jepsen's bridge). */
  | { readonly kind: "bridge"; readonly bridge: MemberId; readonly sides: readonly [readonly MemberId[], readonly MemberId[]] }
  /** Each member sees a majority, no two the same one (Jepsen's majorities ring), in this ring order. */
  | { readonly kind: "majorities-ring"; readonly ring: readonly MemberId[] }
  /** `from` cannot send to `to`; the other way still works. */
  | { readonly kind: "one-way"; readonly from: readonly MemberId[]; readonly to: readonly MemberId[] };

export class ShapeError extends Error {
  override name = "CutError";
}

const both = (a: MemberId, b: MemberId, mode: LinkMode): CutLink[] => [
  { from: a, to: b, mode },
  { from: b, to: a, mode },
];

const across = (xs: readonly MemberId[], ys: readonly MemberId[], mode: LinkMode) => xs.flatMap((a) => ys.flatMap((b) => both(a, b, mode)));

/** The directed links a shape cuts among `members`; checks the shape names only those members. */
export function linksOf(shape: Shape, members: readonly MemberId[], mode: LinkMode = "drop"): CutLink[] {
  const known = (ids: readonly MemberId[], field: string) => {
    const bad = ids.filter((id) => !members.includes(id));
    if (bad.length) throw new ShapeError(`${shape.kind}.${field}: member(s) ${bad.join(", ")} are not in the ensemble; members are ${members.join(", ")}`);
    if (new Set(ids).size !== ids.length) throw new ShapeError(`${shape.kind}.${field}: a member is listed twice`);
  };
  switch (shape.kind) {
    case "isolate":
      known([shape.member], "member");
      return across([shape.member], members.filter((id) => id !== shape.member), mode);
    case "halves": {
      known([...shape.sides[0], ...shape.sides[1]], "sides");
      if (!shape.sides[0].length || !shape.sides[1].length) throw new ShapeError("halves.sides: both sides need a member");
      return across(shape.sides[0], shape.sides[1], mode);
    }
    case "bridge": {
      known([shape.bridge, ...shape.sides[0], ...shape.sides[1]], "sides");
      return across(shape.sides[0], shape.sides[1], mode);
    }
    case "majorities-ring": {
      known(shape.ring, "ring");
      const n = shape.ring.length;
      if (n < 5) throw new ShapeError(`majorities-ring.ring: needs 5 or more members (with ${n}, a majority ring is a full mesh or impossible)`);
      // As Jepsen builds it: member i hears only the majority that starts at it around the ring, so
      // every member hears a bare majority and no two hear the same one. The cuts are directed.
      const m = Math.floor(n / 2) + 1;
      const out: CutLink[] = [];
      shape.ring.forEach((to, i) => {
        const window = new Set(Array.from({ length: m }, (_, k) => shape.ring[(i + k) % n]));
        for (const from of shape.ring) if (!window.has(from)) out.push({ from, to, mode });
      });
      return out;
    }
    case "one-way": {
      known([...shape.from, ...shape.to], "from/to");
      return shape.from.flatMap((a) => shape.to.map((b) => ({ from: a, to: b, mode })));
    }
  }
}

/** Whom each member still hears directly under `links` (itself included). */
export function hears(members: readonly MemberId[], links: readonly CutLink[]): Map<MemberId, MemberId[]> {
  const cut = new Set(links.map((l) => `${l.from}>${l.to}`));
  return new Map(members.map((a) => [a, members.filter((b) => a === b || !cut.has(`${b}>${a}`))]));
}

export function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case "isolate":
      return `member ${shape.member} isolated`;
    case "halves":
      return `halves ${shape.sides[0].join(",")} | ${shape.sides[1].join(",")}`;
    case "bridge":
      return `bridge ${shape.sides[0].join(",")} - ${shape.bridge} - ${shape.sides[1].join(",")}`;
    case "majorities-ring":
      return `majorities ring ${shape.ring.join(",")}`;
    case "one-way":
      return `one-way ${shape.from.join(",")} -> ${shape.to.join(",")}`;
  }
}
