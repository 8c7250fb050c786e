// Who a YAML step acts on, as zod schemas: ids, words, zones, saved names, differences.
import { z } from "zod";

/** Selector words resolved against the live ensemble when the step runs (selectors.ts). */
export const SELECTOR_KEYWORDS = ["leader", "followers", "observers", "running", "all", "random-follower", "leader-zone-mate"] as const;
export type SelectorKeyword = (typeof SELECTOR_KEYWORDS)[number];

export const QUORUM_PARTS = ["leader", "followers", "observers"] as const;
export type QuorumPart = (typeof QUORUM_PARTS)[number];

export const SAVED_NAME = /^[a-z][a-z0-9-]*$/;
/** `$name`, or `$name.leader` / `.followers` / `.observers` of a saved quorum. */
export const SAVED_REF = /^\$([a-z][a-z0-9-]*)(?:\.(leader|followers|observers))?$/;
export const BARE_REF = /^\$[a-z][a-z0-9-]*$/;

/**
 * Who a step acts on: ids, a word (leader, followers, ...), a zone, something saved earlier, or a
 * difference. Strings cover both the words and `$saved` references.
 */
export type MemberSelector =
  | number
  | readonly number[]
  | string
  | { readonly zone: string }
  | { readonly except: MemberSelector; readonly of?: MemberSelector };

export const memberId = z
  .number({ error: "must be a member id, a whole number 1..255" })
  .int("must be a whole number (a member id is ZooKeeper's myid)")
  .min(1, "must be 1..255 (ZooKeeper's myid)")
  .max(255, "must be 1..255 (ZooKeeper's myid)");

export const zoneName = z.string({ error: "must be a zone name of the topology" }).min(1, "must be a zone name of the topology");

export const memberSelector: z.ZodType<MemberSelector> = z.lazy(() => selectorForms);
const selectorForms = z
  .union([
    memberId,
    z.array(memberId).min(1),
    z.enum(SELECTOR_KEYWORDS),
    z.string().regex(SAVED_REF),
    z.strictObject({ zone: zoneName }),
    z.strictObject({ except: memberSelector, of: memberSelector.optional() }),
  ])
  .meta({
    id: "memberSelector",
    description:
      "Members, resolved when the step runs: an id or list of ids; leader, followers, observers, running, all, random-follower (seeded), " +
      "leader-zone-mate; {zone: name}; $saved, $saved.leader, $saved.followers, $saved.observers; {except: <selector>, of: <selector, default running>}",
  });
